import { tableFromIPC } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import { isQuery, splitStatements, stripComments } from '../../core/sql/splitStatements.ts';
import type {
  ColumnInfo,
  FinishOutcome,
  PortExport,
  PortMeasures,
  PortRequest,
  PortRun,
  QuantumError,
  QueryOutcome,
  RunOutcome,
  RunRequest,
  SourceInput,
  StartOutcome,
  TableFault,
} from './api.ts';
import { ipcRowCount, measurePort } from './portScan.ts';
import { narrowedInputs, planProjection, projectionCandidate, ProjectionPlans } from './projection.ts';
import { cleanMessage, messageOf, sandboxMessage, sqlError } from './sandboxErrors.ts';
import { GeneratedSourceCache } from './generatedSources.ts';
import { describeTable, loadSource } from './sourceLoaders.ts';
import type { SqlSession } from './sqlSession.ts';

/** What a runner runs on: the engine's database session (stable while the engine reopens its database) and memory limit. */
export interface RunnerEngine {
  readonly session: SqlSession;
  readonly memoryLimit: () => string;
}

/**
 * A data product's run, written once for both engines (DuckDB-WASM's Quantum and the native
 * NativeQuantum): loads the inputs, runs the transform, exports and measures the output
 * ports, answers queries. Never throws from start, finish or query: failures come back as a
 * QuantumError naming the file and line where possible.
 */
export class QuantumRunner {
  readonly #engine: RunnerEngine;
  /** The in-memory catalog of the current run (see #dropAll). */
  #catalog: string | undefined;
  #runs = 0;
  /** Generated sources of earlier runs, whatever product asked (generatedSources.ts). */
  readonly #generated = new GeneratedSourceCache();
  /** Projection plans of earlier runs, by statement and input schemas (projection.ts). */
  readonly #plans = new ProjectionPlans();
  /** What the last successful `start` exported, for `finish` to measure. */
  #started:
    | {
        readonly ports: readonly PortRequest[];
        readonly columns: readonly (readonly ColumnInfo[])[];
        /** Each port's rows as its exported Arrow says (ipcRowCount), for the profile to choose exact or estimated counts. */
        readonly rows: readonly (number | undefined)[];
      }
    | undefined;

  constructor(engine: RunnerEngine) {
    this.#engine = engine;
  }

  get #session(): SqlSession {
    return this.#engine.session;
  }

  /** The engine opened a fresh database: there is no catalog to detach. */
  reopened(): void {
    this.#catalog = undefined;
    this.#started = undefined;
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
      const projected = await this.#projectedInputs(request);
      let error = await this.#prepare(request, projected);
      if (!error) error = await this.#transform(request);
      if (error && projected) error = (await this.#prepare(request, undefined)) ?? (await this.#transform(request));
      if (error) return fail(error);
      const ports: PortExport[] = [];
      for (const port of request.ports) {
        const columns = await describeTable(this.#session, port.name);
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
        ports.push({ port: port.name, columns, ipc: await this.#session.ipc(`SELECT * FROM ${quoteIdent(port.name)}`) });
      }
      this.#started = { ports: request.ports, columns: ports.map((p) => p.columns), rows: ports.map((p) => ipcRowCount(p.ipc)) };
      return { ok: true, ports, durationMs: performance.now() - started };
    } catch (error) {
      return fail(this.#sqlError(error, 'internal'));
    }
  }

  async finish(): Promise<FinishOutcome> {
    const started = performance.now();
    const run = this.#started;
    this.#started = undefined;
    if (!run) {
      return {
        ok: false,
        error: { kind: 'internal', message: 'finish() without a successful start()' },
        durationMs: performance.now() - started,
      };
    }
    try {
      const ports: PortMeasures[] = [];
      for (const [i, port] of run.ports.entries()) {
        // One scan of the port for its row count, profile and aggregate checks (portScan.ts).
        const describe = (e: unknown): string => this.#sqlError(e, 'sql').message;
        const { rows, profile, measurements } = await measurePort(this.#session, port, run.columns[i] ?? [], run.rows[i], describe);
        ports.push({ port: port.name, rows, measurements, profile });
      }
      return { ok: true, ports, durationMs: performance.now() - started };
    } catch (error) {
      return { ok: false, error: this.#sqlError(error, 'internal'), durationMs: performance.now() - started };
    }
  }

  async query(sql: string): Promise<QueryOutcome> {
    try {
      const ipc = await this.#session.ipc(sql);
      return { ok: true, ipc, rows: tableFromIPC(ipc).numRows };
    } catch (error) {
      return { ok: false, error: this.#sqlError(error, 'sql') };
    }
  }

  async loadTable(name: string, ipc: Uint8Array, schema?: string): Promise<void> {
    const qualified = schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
    if (schema !== undefined) await this.#session.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await this.#session.run(`DROP TABLE IF EXISTS ${qualified}`);
    await this.#session.insertIpc(ipc, name, schema);
  }

  async reset(): Promise<void> {
    await this.#dropAll();
  }

  /** Clean slate, inputs loaded (the projected bytes of an input where given), faults applied. */
  async #prepare(request: RunRequest, projected: ReadonlyMap<string, Uint8Array> | undefined): Promise<QuantumError | undefined> {
    await this.#dropAll();
    for (const input of request.inputs) {
      const ipc = input.kind === 'arrow' ? projected?.get(input.name) : undefined;
      const error = await this.#load(input.kind === 'arrow' && ipc ? { ...input, ipc } : input);
      if (error) return error;
    }
    for (const fault of request.faults ?? []) {
      const error = await this.#applyFault(fault);
      if (error) return error;
    }
    return undefined;
  }

  /** Per input port that can be narrowed, its bytes with only the columns the transform reads (projection.ts). */
  async #projectedInputs(request: RunRequest): Promise<Map<string, Uint8Array> | undefined> {
    const candidate = projectionCandidate(request);
    if (!candidate) return undefined;
    const key = ProjectionPlans.keyOf(candidate);
    const planned = this.#plans.get(key);
    if (planned) return narrowedInputs(candidate, planned);
    try {
      await this.#dropAll(); // the plan is made on empty tables in a fresh catalog
    } catch {
      return undefined; // the transform's own run will report what is wrong
    }
    const used = await planProjection(this.#session, candidate);
    if (!used) return undefined;
    this.#plans.set(key, used);
    return narrowedInputs(candidate, used);
  }

  #sqlError(error: unknown, kind: 'sql' | 'input' | 'internal'): QuantumError {
    return sqlError(error, kind, this.#engine.memoryLimit());
  }

  /**
   * Forgets everything the previous run made: each run works in a fresh in-memory catalog,
   * and the previous one is detached — one cheap call, whatever the transform created
   * (tables, views, schemas), instead of listing and dropping each.
   */
  async #dropAll(): Promise<void> {
    const previous = this.#catalog;
    this.#catalog = `quantum_run_${++this.#runs}`;
    await this.#session.run(`ATTACH ':memory:' AS ${this.#catalog}; USE ${this.#catalog}`);
    if (previous !== undefined) await this.#session.run(`DETACH ${previous}`);
  }

  /** A fault a scenario or the UI injected into an input table (see core/run/faults.ts). */
  async #applyFault(fault: TableFault): Promise<QuantumError | undefined> {
    const table = quoteIdent(fault.table);
    const column = quoteIdent(fault.column);
    if (!(await describeTable(this.#session, fault.table))?.some((c) => c.name === fault.column)) {
      return { kind: 'input', message: `injected fault ${fault.kind}: input "${fault.table}" has no column "${fault.column}"` };
    }
    try {
      switch (fault.kind) {
        case 'dropColumn':
          await this.#session.run(`ALTER TABLE ${table} DROP COLUMN ${column}`);
          break;
        case 'renameColumn':
          await this.#session.run(`ALTER TABLE ${table} RENAME COLUMN ${column} TO ${quoteIdent(fault.to)}`);
          break;
        case 'nullSpike': {
          const perMillion = Math.round(Math.min(1, Math.max(0, fault.share)) * 1_000_000);
          await this.#session.run(`UPDATE ${table} SET ${column} = NULL WHERE hash(rowid) % 1000000 < ${perMillion}`);
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
    return loadSource({ session: this.#session, memoryLimit: this.#engine.memoryLimit(), generated: this.#generated }, input);
  }

  async #transform(request: RunRequest): Promise<QuantumError | undefined> {
    if (!request.transform) {
      // No transform: a single port publishes the single input as it is.
      const [port] = request.ports;
      const [input] = request.inputs;
      if (request.ports.length === 1 && request.inputs.length === 1 && port && input) {
        await this.#session.run(`CREATE TABLE ${quoteIdent(port.name)} AS SELECT * FROM ${quoteIdent(input.name)}`);
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
        await this.#session.run(text);
      } catch (error) {
        const relative = /LINE (\d+):/.exec(messageOf(error))?.[1];
        return { ...this.#sqlError(error, 'sql'), file, line: statement.line + (relative ? Number(relative) - 1 : 0) };
      }
    }
    return undefined;
  }
}

/** INSTALL, FORCE INSTALL, UPDATE EXTENSIONS (DuckDB itself refuses LOAD in the sandbox). */
const EXTENSION_STATEMENT = /^(?:force\s+install|install|update\s+extensions)\b/i;
