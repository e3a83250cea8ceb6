import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import { queryIpc } from './arrowFraming.ts';
import { measureAll } from './measureChecks.ts';
import { profileTable } from './profile.ts';
import { projectedInputs, projectionCandidate } from './projection.ts';
import { DEFAULT_MEMORY_LIMIT, isMemoryLimit, openSandboxed, SOURCE_FILE } from '../duckdb/sharedModule.ts';
import { cleanMessage, messageOf, sandboxMessage, sqlError } from './sandboxErrors.ts';
import { describeTable, loadSource } from './sourceLoaders.ts';
import { isQuery, splitStatements, stripComments } from '../../core/sql/splitStatements.ts';
import type {
  ColumnInfo,
  FinishOutcome,
  PortExport,
  PortMeasures,
  PortRequest,
  PortRun,
  QuantumApi,
  QuantumError,
  QuantumSettings,
  QueryOutcome,
  RunOutcome,
  RunRequest,
  SourceInput,
  StartOutcome,
  TableFault,
} from './api.ts';

/**
 * A data product's runtime: one DuckDB-WASM instance holding its inputs, its transform's
 * output ports and nothing else. Runs in-process (tests, the CLI's fallback) or inside a
 * worker (quantum.worker.ts) with the same code. Never throws across its API: failures come
 * back as a QuantumError naming the file and line where possible.
 */
export class Quantum implements QuantumApi {
  readonly #db: DuckDBBindings;
  #connection: DuckDBConnection;
  /** The memory limit the database was opened with (a locked setting: changing it reopens). */
  #memoryLimit = DEFAULT_MEMORY_LIMIT;
  /** The in-memory catalog of the current run (see #dropAll). */
  #catalog: string | undefined;
  #runs = 0;
  /** What the last successful `start` exported, for `finish` to measure. */
  #started: { readonly ports: readonly PortRequest[]; readonly columns: readonly (readonly ColumnInfo[])[] } | undefined;

  /** `db` was opened sandboxed (openOnSharedModule) with `memoryLimit`. */
  constructor(db: DuckDBBindings, memoryLimit = DEFAULT_MEMORY_LIMIT) {
    this.#db = db;
    this.#memoryLimit = memoryLimit;
    this.#connection = db.connect();
    this.#db.registerFileBuffer(SOURCE_FILE, new Uint8Array(0));
  }

  /** The bytes this quantum's wasm memory holds: it grows and never shrinks (the pool watches it). */
  get heapBytes(): number {
    return (this.#db as unknown as { readonly mod: { readonly HEAPU8: Uint8Array } }).mod.HEAPU8.byteLength;
  }

  async configure(settings: QuantumSettings): Promise<void> {
    // A pooled quantum served another product before: a product without a limit gets the default back.
    const limit = settings.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    if (!isMemoryLimit(limit)) throw new Error(`memory limit "${limit}" must look like 256MB`);
    if (limit === this.#memoryLimit) return;
    // The sandbox's settings are locked: a new limit means a fresh database (tens of ms).
    this.#connection.close();
    openSandboxed(this.#db, limit);
    this.#memoryLimit = limit;
    this.#connection = this.#db.connect();
    this.#catalog = undefined;
    this.#db.registerFileBuffer(SOURCE_FILE, new Uint8Array(0));
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    const started = performance.now();
    const exported = await this.start(request);
    if (!exported.ok) return { ...exported, durationMs: performance.now() - started };
    const measured = await this.finish();
    if (!measured.ok) return { ...measured, durationMs: performance.now() - started };
    const ports = exported.ports.map((port, i): PortRun => {
      const m = measured.ports[i] as PortMeasures;
      return { ...port, rows: m.rows, measurements: m.measurements, profile: m.profile };
    });
    return { ok: true, ports, durationMs: performance.now() - started };
  }

  async start(request: RunRequest): Promise<StartOutcome> {
    const started = performance.now();
    this.#started = undefined;
    const fail = (error: QuantumError): StartOutcome => ({ ok: false, error, durationMs: performance.now() - started });
    try {
      // Projection at the edge: load only the input columns the transform reads. If the
      // analysis was wrong the transform fails to bind, and it runs again on whole inputs.
      const projected = this.#projectedInputs(request);
      let error = await this.#prepare(request, projected);
      if (!error) error = this.#transform(request);
      if (error && projected) error = (await this.#prepare(request, undefined)) ?? this.#transform(request);
      if (error) return fail(error);
      const ports: PortExport[] = [];
      for (const port of request.ports) {
        const columns = this.#describe(port.name);
        if (!columns) {
          const hint =
            request.ports.length > 1
              ? `write CREATE TABLE ${port.name} AS SELECT … for each output port`
              : 'end the transform with a SELECT';
          return fail({
            kind: 'output',
            message: `the transform did not produce output port "${port.name}"; ${hint}`,
            ...(request.transform ? { file: request.transform.file } : {}),
          });
        }
        ports.push({ port: port.name, columns, ipc: this.#ipc(`SELECT * FROM ${quoteIdent(port.name)}`) });
      }
      this.#started = { ports: request.ports, columns: ports.map((p) => p.columns) };
      return { ok: true, ports, durationMs: performance.now() - started };
    } catch (error) {
      return fail(this.#sqlError(error, 'internal'));
    }
  }

  async finish(): Promise<FinishOutcome> {
    const started = performance.now();
    const run = this.#started;
    this.#started = undefined;
    const fail = (message: string): FinishOutcome => ({
      ok: false,
      error: { kind: 'internal', message },
      durationMs: performance.now() - started,
    });
    if (!run) return fail('finish() without a successful start()');
    try {
      const ports = run.ports.map((port, i): PortMeasures => {
        const { rows, profile } = profileTable(this.#connection, port.name, run.columns[i] ?? []);
        const measurements = measureAll(this.#connection, port.checks, (e) => this.#sqlError(e, 'sql').message);
        return { port: port.name, rows, measurements, profile };
      });
      return { ok: true, ports, durationMs: performance.now() - started };
    } catch (error) {
      const refused = this.#sqlError(error, 'internal');
      return { ok: false, error: refused, durationMs: performance.now() - started };
    }
  }

  /** Clean slate, inputs loaded (the projected bytes of an input where given), faults applied. */
  async #prepare(request: RunRequest, projected: ReadonlyMap<string, Uint8Array> | undefined): Promise<QuantumError | undefined> {
    this.#dropAll();
    for (const input of request.inputs) {
      const ipc = input.kind === 'arrow' ? projected?.get(input.name) : undefined;
      const error = await this.#load(input.kind === 'arrow' && ipc ? { ...input, ipc } : input);
      if (error) return error;
    }
    for (const fault of request.faults ?? []) {
      const error = this.#applyFault(fault);
      if (error) return error;
    }
    return undefined;
  }

  /** Per input port that can be narrowed, its bytes with only the columns the transform reads (projection.ts). */
  #projectedInputs(request: RunRequest): Map<string, Uint8Array> | undefined {
    const candidate = projectionCandidate(request);
    if (!candidate) return undefined;
    try {
      this.#dropAll(); // the plan is made on empty tables in a fresh catalog
    } catch {
      return undefined; // the transform's own run will report what is wrong
    }
    return projectedInputs(this.#connection, candidate);
  }

  async query(sql: string): Promise<QueryOutcome> {
    try {
      const ipc = this.#ipc(sql);
      return { ok: true, ipc, rows: tableFromIPC(ipc).numRows };
    } catch (error) {
      return { ok: false, error: this.#sqlError(error, 'sql') };
    }
  }

  async loadTable(name: string, ipc: Uint8Array, schema?: string): Promise<void> {
    const qualified = schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
    if (schema !== undefined) this.#connection.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    this.#connection.query(`DROP TABLE IF EXISTS ${qualified}`);
    this.#connection.insertArrowFromIPCStream(ipc, { name, create: true, ...(schema === undefined ? {} : { schema }) });
  }

  async reset(): Promise<void> {
    this.#dropAll();
  }

  async close(): Promise<void> {
    this.#connection.close();
    await this.#db.reset();
  }

  #sqlError(error: unknown, kind: 'sql' | 'input' | 'internal'): QuantumError {
    return sqlError(error, kind, this.#memoryLimit);
  }

  /**
   * Forgets everything the previous run made: each run works in a fresh in-memory catalog,
   * and the previous one is detached — one cheap call, whatever the transform created
   * (tables, views, schemas), instead of listing and dropping each.
   */
  #dropAll(): void {
    const previous = this.#catalog;
    this.#catalog = `quantum_run_${++this.#runs}`;
    this.#connection.query(`ATTACH ':memory:' AS ${this.#catalog}; USE ${this.#catalog}`);
    if (previous !== undefined) this.#connection.query(`DETACH ${previous}`);
  }

  /** A fault a scenario or the UI injected into an input table (see core/run/faults.ts). */
  #applyFault(fault: TableFault): QuantumError | undefined {
    const table = quoteIdent(fault.table);
    const column = quoteIdent(fault.column);
    if (!this.#describe(fault.table)?.some((c) => c.name === fault.column)) {
      return { kind: 'input', message: `injected fault ${fault.kind}: input "${fault.table}" has no column "${fault.column}"` };
    }
    try {
      switch (fault.kind) {
        case 'dropColumn':
          this.#connection.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
          break;
        case 'renameColumn':
          this.#connection.query(`ALTER TABLE ${table} RENAME COLUMN ${column} TO ${quoteIdent(fault.to)}`);
          break;
        case 'nullSpike': {
          const perMillion = Math.round(Math.min(1, Math.max(0, fault.share)) * 1_000_000);
          this.#connection.query(`UPDATE ${table} SET ${column} = NULL WHERE hash(rowid) % 1000000 < ${perMillion}`);
          break;
        }
      }
      return undefined;
    } catch (error) {
      return {
        kind: 'input',
        message: `injected fault ${fault.kind} on ${fault.table}.${fault.column}: ${cleanMessage(messageOf(error))}`,
      };
    }
  }

  #load(input: SourceInput): Promise<QuantumError | undefined> {
    return loadSource({ db: this.#db, connection: this.#connection, memoryLimit: this.#memoryLimit }, input);
  }

  #transform(request: RunRequest): QuantumError | undefined {
    if (!request.transform) {
      // No transform: a single port publishes the single input as it is.
      const [port] = request.ports;
      const [input] = request.inputs;
      if (request.ports.length === 1 && request.inputs.length === 1 && port && input) {
        this.#connection.query(`CREATE TABLE ${quoteIdent(port.name)} AS SELECT * FROM ${quoteIdent(input.name)}`);
        return undefined;
      }
      return { kind: 'output', message: 'this product has no transform.sql; write one that produces its output ports' };
    }
    const { file, sql } = request.transform;
    const statements = splitStatements(sql);
    if (statements.length === 0) return { kind: 'sql', file, line: 1, message: `${file} is empty` };
    const [onlyPort] = request.ports;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i] as { text: string; line: number };
      // DuckDB-WASM accepts INSTALL as a no-op (DuckDB refuses LOAD itself); say so instead of
      // letting a transform that wants an extension publish as if it had one.
      if (EXTENSION_STATEMENT.test(stripComments(statement.text).trim())) {
        return {
          kind: 'sandbox',
          file,
          line: statement.line,
          message: sandboxMessage('installing extensions is out of reach of a quantum'),
        };
      }
      const last = i === statements.length - 1;
      const text =
        last && request.ports.length === 1 && onlyPort && isQuery(statement.text)
          ? `CREATE TABLE ${quoteIdent(onlyPort.name)} AS ${statement.text}`
          : statement.text;
      try {
        this.#connection.query(text);
      } catch (error) {
        const relative = /LINE (\d+):/.exec(messageOf(error))?.[1];
        return { ...this.#sqlError(error, 'sql'), file, line: statement.line + (relative ? Number(relative) - 1 : 0) };
      }
    }
    return undefined;
  }

  /** A query's result as Arrow IPC stream bytes (arrowFraming.ts says why it is re-framed). */
  #ipc(sql: string): Uint8Array {
    return queryIpc(this.#connection, sql);
  }

  #describe(table: string): ColumnInfo[] | undefined {
    return describeTable(this.#connection, table);
  }
}

/** INSTALL, FORCE INSTALL, UPDATE EXTENSIONS (DuckDB itself refuses LOAD in the sandbox). */
const EXTENSION_STATEMENT = /^(?:force\s+install|install|update\s+extensions)\b/i;
