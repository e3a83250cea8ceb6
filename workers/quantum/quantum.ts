import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import { generate, GeneratorError, type GeneratedBatch, type GeneratedValue } from '../../core/generate/generator.ts';
import { columnsToIpc } from './columnsToArrow.ts';
import { loadSeed } from './loadSeeds.ts';
import { profileTable } from './profile.ts';
import { DEFAULT_MEMORY_LIMIT, isMemoryLimit, openSandboxed, SOURCE_FILE } from '../duckdb/sharedModule.ts';
import { classifyError, memoryMessage, sandboxMessage } from './sandboxErrors.ts';
import { isQuery, splitStatements, stripComments } from '../../core/sql/splitStatements.ts';
import { isNotSingleSelect } from '../../core/sql/singleSelect.ts';
import type {
  ColumnInfo,
  FinishOutcome,
  Measurement,
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
        return { port: port.name, rows, measurements: this.#measureAll(port.checks), profile };
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

  /**
   * The columns of each input port that a one-statement transform reads, from DuckDB's own
   * plan on empty tables of the same schemas (optimizers that would prune scans of empty
   * tables, or hide a column in a pushed-down filter, switched off). Undefined when it
   * cannot tell or it would not help: then every column is loaded. Returns, per input
   * port that can be narrowed, its Arrow IPC stream with only the columns read.
   */
  #projectedInputs(request: RunRequest): Map<string, Uint8Array> | undefined {
    const statements = request.transform ? splitStatements(request.transform.sql) : [];
    const [statement] = statements;
    if (statements.length !== 1 || !statement || (request.faults?.length ?? 0) > 0) return undefined;
    if (request.inputs.length === 0 || request.inputs.some((i) => i.kind !== 'arrow')) return undefined;
    try {
      this.#dropAll();
      const arrow = request.inputs.filter((i) => i.kind === 'arrow');
      if (!this.#emptyTablesOf(arrow)) {
        for (const input of arrow) {
          this.#connection.insertArrowFromIPCStream(tableToIPC(tableFromIPC(input.ipc).slice(0, 0), 'stream'), {
            name: input.name,
            create: true,
          });
        }
      }
      // The plan is DuckDB's optimized one (the sandbox locks the optimizer settings): a scan of
      // an empty table that statistics prune away is simply not narrowed, and a column that
      // appears only in a pushed-down filter is taken from the filter text — conservatively,
      // since a column left out makes the transform fail to bind and run again on whole inputs.
      const row = this.#connection.query(`EXPLAIN (FORMAT json) ${statement.text}`).toArray()[0]?.toJSON() as { explain_value?: string };
      const plan: unknown = JSON.parse(row.explain_value ?? '[]');
      const used = new Map<string, Set<string>>();
      const walk = (node: unknown): void => {
        if (typeof node !== 'object' || node === null) return;
        const { name, extra_info: info, children } = node as { name?: unknown; extra_info?: Record<string, unknown>; children?: unknown };
        if (String(name).trim() === 'SEQ_SCAN' && info && typeof info['Table'] === 'string') {
          const projections = info['Projections'];
          const list = Array.isArray(projections) ? projections : typeof projections === 'string' ? projections.split('\n') : [];
          const set = used.get(info['Table']) ?? new Set<string>();
          for (const column of list) set.add(String(column).trim());
          const filters = info['Filters'];
          const filterText = Array.isArray(filters) ? filters.join('\n') : typeof filters === 'string' ? filters : '';
          if (filterText)
            for (const word of filterText.match(/[\p{L}\p{N}_]+|"(?:[^"]|"")+"/gu) ?? [])
              set.add(word.replace(/^"|"$/g, '').replace(/""/g, '"'));
          used.set(info['Table'], set);
        }
        if (Array.isArray(children)) children.forEach(walk);
      };
      if (Array.isArray(plan)) plan.forEach(walk);
      const projected = new Map<string, Uint8Array>();
      for (const input of arrow) {
        const set = used.get(input.name);
        const columns = input.columns?.map((c) => c.name);
        // Filter words that are not columns (functions, literals) do not count.
        const read = columns?.filter((c) => set?.has(c)).length ?? 0;
        if (columns && (read === 0 || read >= columns.length)) continue; // nothing to narrow: not decoded
        const table = tableFromIPC(input.ipc);
        const fields = table.schema.fields.map((f) => f.name);
        const keep = set ? fields.filter((c) => set.has(c)) : [];
        // Only the kept columns' buffers are written; the others are not copied.
        if (keep.length > 0 && keep.length < fields.length) projected.set(input.name, tableToIPC(table.select(keep), 'stream'));
      }
      return projected.size > 0 ? projected : undefined;
    } catch {
      return undefined; // the transform's own run will report what is wrong with it
    }
  }

  /**
   * Empty tables of the inputs' schemas in one statement, from the column types their
   * producer described: no Arrow decoding. False (nothing created) when a type is unknown
   * or does not parse; the caller then builds them from the Arrow schemas.
   */
  #emptyTablesOf(inputs: readonly Extract<SourceInput, { kind: 'arrow' }>[]): boolean {
    if (inputs.some((i) => !i.columns || i.columns.length === 0)) return false;
    const ddl = inputs.map(
      (i) => `CREATE TABLE ${quoteIdent(i.name)} (${(i.columns ?? []).map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
    );
    try {
      this.#connection.query(ddl.join(';\n'));
      return true;
    } catch {
      for (const input of inputs) this.#connection.query(`DROP TABLE IF EXISTS ${quoteIdent(input.name)}`);
      return false;
    }
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

  /** A thrown DuckDB (or wasm) error as a QuantumError: sandbox refusals and out-of-memory named as such. */
  #sqlError(error: unknown, kind: 'sql' | 'input' | 'internal'): QuantumError {
    const message = cleanMessage(messageOf(error));
    switch (classifyError(messageOf(error))) {
      case 'sandbox':
        return { kind: 'sandbox', message: sandboxMessage(message) };
      case 'memory':
        return { kind: 'memory', message: memoryMessage(message, this.#memoryLimit) };
      default:
        return { kind, message };
    }
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

  async #load(input: SourceInput): Promise<QuantumError | undefined> {
    try {
      switch (input.kind) {
        case 'arrow':
          this.#connection.insertArrowFromIPCStream(input.ipc, { name: input.name, create: true });
          // DuckDB ignores bytes that are not an IPC *stream* without a word; say so instead.
          // (Bytes that come with their columns were exported by a quantum: no need to ask.)
          if (!input.columns && !this.#describe(input.name))
            return { kind: 'input', message: `input "${input.name}" did not load: its bytes are not an Arrow IPC stream` };
          return undefined;
        case 'generated':
          return this.#loadGenerated(input);
        case 'csv':
        case 'jsonl':
        case 'parquet':
          return await loadSeed({ db: this.#db, connection: this.#connection }, input);
      }
    } catch (error) {
      const file = 'file' in input ? input.file : undefined;
      const refused = this.#sqlError(error, 'input');
      return {
        ...refused,
        message:
          refused.kind === 'input'
            ? `cannot load source "${input.name}"${file ? ` from ${file}` : ''}: ${refused.message}`
            : refused.message,
        ...(file ? { file } : {}),
      };
    }
  }

  #loadGenerated(input: Extract<SourceInput, { kind: 'generated' }>): QuantumError | undefined {
    let batches: GeneratedBatch[];
    try {
      const resolve = (reference: string): readonly GeneratedValue[] => {
        const values = input.references[reference];
        if (!values) throw new GeneratorError(reference, 'its values were not sent with the run');
        return values;
      };
      batches = Array.from({ length: input.tick + 1 }, (_, t) => generate(input.generator, t, resolve));
    } catch (error) {
      return { kind: 'input', file: input.file, message: `source "${input.name}" cannot be generated: ${messageOf(error)}` };
    }
    const columns = input.generator.columns.map((c) => c.name);
    const values = columns.map((_, c) => concatColumn(batches, c));
    if ((values[0]?.length ?? 0) === 0) {
      this.#connection.query(`CREATE TABLE ${quoteIdent(input.name)} (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
      return undefined;
    }
    this.#connection.insertArrowFromIPCStream(columnsToIpc(columns, values), { name: input.name, create: true });
    return undefined;
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

  /**
   * A query's result as Arrow IPC *stream* bytes. DuckDB returns the IPC *file* format,
   * which insertArrowFromIPCStream silently ignores, so it is re-framed as a stream. (The
   * Table that connection.query returns cannot be used instead: the Node build of
   * duckdb-wasm bundles its own copy of Arrow, which the apache-arrow package does not
   * recognise, and tableToIPC writes nothing for it.)
   */
  #ipc(sql: string): Uint8Array {
    const file = this.#connection.useUnsafe((bindings, id) => bindings.runQuery(id, sql));
    return fileToStream(file) ?? tableToIPC(tableFromIPC(file), 'stream');
  }

  #describe(table: string): ColumnInfo[] | undefined {
    try {
      return this.#connection
        .query(`DESCRIBE ${quoteIdent(table)}`)
        .toArray()
        .map((row) => {
          const r = row.toJSON() as { column_name: string; column_type: string };
          return { name: r.column_name, type: r.column_type };
        });
    } catch {
      return undefined;
    }
  }

  /**
   * Every check of a port in one query (a UNION ALL of one-row subqueries): a contract has
   * tens of checks and each query has a fixed cost. If any check's SQL fails (a sql rule
   * naming a missing column), they are measured one by one so each failure is named.
   */
  #measureAll(checks: PortRequest['checks']): Measurement[] {
    return this.#measureValues(checks).map((m, i) => {
      const sql = checks[i]?.samples;
      return sql !== undefined && m.error === undefined && m.value > 0 ? { ...m, samples: this.#samples(sql) } : m;
    });
  }

  /** A few failing values of a check that counted some (its `samples` query); none if that query fails. */
  #samples(sql: string): string[] {
    try {
      return this.#connection
        .query(sql)
        .toArray()
        .map((row) => String((row.toJSON() as { sample?: unknown }).sample ?? 'NULL'));
    } catch {
      return [];
    }
  }

  #measureValues(checks: PortRequest['checks']): Measurement[] {
    if (checks.length <= 1) return checks.map((check) => this.#measure(check.id, check.sql));
    try {
      const rows = this.#connection.query(measureAllSql(checks)).toArray();
      const measured = new Map<number, { value: unknown; total: unknown }>();
      for (const row of rows) {
        const r = row.toJSON() as { i: number; value: unknown; total: unknown };
        measured.set(Number(r.i), r);
      }
      return checks.map((check, i) => {
        const r = measured.get(i);
        return r ? { id: check.id, value: toNumber(r.value), total: toNumber(r.total) } : this.#measure(check.id, check.sql);
      });
    } catch {
      return checks.map((check) => this.#measure(check.id, check.sql));
    }
  }

  #measure(id: string, sql: string): Measurement {
    try {
      const row = this.#connection.query(sql).toArray()[0]?.toJSON() as { value?: unknown; total?: unknown } | undefined;
      return { id, value: toNumber(row?.value), total: toNumber(row?.total) };
    } catch (error) {
      const refused = this.#sqlError(error, 'sql').message;
      const single = isNotSingleSelect(refused)
        ? `QUANTA_E071 a contract sql rule's query must be exactly one SELECT (${refused})`
        : refused;
      return { id, value: Number.NaN, total: 0, error: single };
    }
  }
}

/** INSTALL, FORCE INSTALL, UPDATE EXTENSIONS (DuckDB itself refuses LOAD in the sandbox). */
const EXTENSION_STATEMENT = /^(?:force\s+install|install|update\s+extensions)\b/i;

/**
 * All checks of a port as one query: per check a row (i, value, total), i its position.
 * Exported for the bench's native baseline, which runs this very SQL.
 */
export function measureAllSql(checks: readonly { readonly sql: string }[]): string {
  return checks
    .map((check, i) => `SELECT ${i} AS i, CAST(value AS DOUBLE) AS value, CAST(total AS DOUBLE) AS total FROM (${check.sql}) AS check_${i}`)
    .join('\nUNION ALL\n');
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const END_OF_STREAM = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

/**
 * An Arrow IPC file re-framed as a stream without decoding it: a file is "ARROW1" + 2
 * padding bytes, the stream's messages, a footer, the footer's length (int32) and
 * "ARROW1" again. The messages are kept and an end-of-stream marker is added if the file
 * has none. Undefined when the bytes do not have that shape (the caller decodes instead).
 */
export function fileToStream(file: Uint8Array): Uint8Array | undefined {
  const n = file.byteLength;
  const magicAt = (at: number): boolean => ARROW_MAGIC.every((byte, i) => file[at + i] === byte);
  if (n < 18 || !magicAt(0) || !magicAt(n - 6)) return undefined;
  const footerLength = new DataView(file.buffer, file.byteOffset + n - 10, 4).getInt32(0, true);
  const end = n - 10 - footerLength;
  if (footerLength <= 0 || end < 8) return undefined;
  const body = file.subarray(8, end);
  const hasEos = body.byteLength >= 8 && END_OF_STREAM.every((byte, i) => body[body.byteLength - 8 + i] === byte);
  if (hasEos) return body.slice();
  const stream = new Uint8Array(body.byteLength + 8);
  stream.set(body);
  stream.set(END_OF_STREAM, body.byteLength);
  return stream;
}

/** Column `c` of every batch, end to end; the batch's own array when there is one batch. */
function concatColumn(batches: readonly GeneratedBatch[], c: number): readonly GeneratedValue[] {
  if (batches.length === 1) return batches[0]?.values[c] ?? [];
  const total = batches.reduce((sum, b) => sum + (b.values[c]?.length ?? 0), 0);
  const out = new Array<GeneratedValue>(total);
  let at = 0;
  for (const batch of batches) {
    for (const value of batch.values[c] ?? []) out[at++] = value;
  }
  return out;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  return Number.isNaN(n) ? 0 : n;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** DuckDB messages carry a caret diagram after the first line; people need the first line. */
export function cleanMessage(message: string): string {
  return message.split('\n').filter((line) => line.trim().length > 0)[0] ?? message;
}
