import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import { splitStatements } from '../../core/sql/splitStatements.ts';
import type { RunRequest, SourceInput } from './api.ts';
import type { SqlSession } from './sqlSession.ts';

/**
 * Projection at the edge: load only the input columns a transform reads. If the analysis
 * is wrong the transform fails to bind, and the quantum runs it again on whole inputs —
 * so everything here may be conservative, and any failure just means "load everything".
 */
export type ArrowInput = Extract<SourceInput, { kind: 'arrow' }>;

export interface ProjectionCandidate {
  /** The transform's only statement. */
  readonly statement: string;
  readonly inputs: readonly ArrowInput[];
}

/**
 * Below this many bytes of Arrow inputs, every column is loaded without planning: the plan (a
 * fresh catalog, empty tables, an EXPLAIN, re-encoding the kept columns) costs a product more
 * than the columns it leaves out. Measured in DuckDB-WASM, interleaved (ARCHITECTURE, "Speed
 * work"): hello-mesh's 6 KB input 37 ms planned against 9 ms loaded whole, daff's 0.5 – 5 MB
 * inputs 16 – 80 ms against 4 – 62 ms; TPC-H 0.02's 8 – 10 MB inputs are mostly cheaper planned.
 */
export const PROJECTION_MIN_BYTES = 8 << 20;

/**
 * A one-statement transform over Arrow inputs only, without faults, whose inputs hold at least
 * `minBytes` (PROJECTION_MIN_BYTES); else undefined (nothing to plan).
 */
export function projectionCandidate(request: RunRequest, minBytes = PROJECTION_MIN_BYTES): ProjectionCandidate | undefined {
  const statements = request.transform ? splitStatements(request.transform.sql) : [];
  const [statement] = statements;
  if (statements.length !== 1 || !statement || (request.faults?.length ?? 0) > 0) return undefined;
  if (request.inputs.length === 0) return undefined;
  const inputs = request.inputs.filter((i): i is ArrowInput => i.kind === 'arrow');
  if (inputs.length !== request.inputs.length) return undefined;
  return inputs.reduce((bytes, i) => bytes + i.ipc.byteLength, 0) >= minBytes ? { statement: statement.text, inputs } : undefined;
}

/**
 * The columns a statement reads of each table, by statement and input schemas: DuckDB's plan
 * depends on nothing else (it is made on empty tables), so a product run again on inputs of
 * the same columns — every warm run, every tick — reuses it instead of a fresh catalog, empty
 * tables and an EXPLAIN. Bounded in plans and in the characters of their keys (a hostile mesh's
 * statements may be long): the oldest plan goes first, a key over a quarter of the bound is not kept.
 */
export class ProjectionPlans {
  static readonly MAX_PLANS = 256;
  /** Characters of keys held at most (a statement can be long): about 16 MB. */
  static readonly MAX_KEY_CHARS = 8 << 20;
  readonly #plans = new Map<string, ReadonlyMap<string, ReadonlySet<string>>>();
  #keyChars = 0;

  /** The key of a candidate whose inputs all say their columns; undefined otherwise (not kept). */
  static keyOf(candidate: ProjectionCandidate): string | undefined {
    if (candidate.inputs.some((i) => !i.columns)) return undefined;
    return JSON.stringify([candidate.statement, candidate.inputs.map((i) => [i.name, i.columns?.map((c) => [c.name, c.type])])]);
  }

  get(key: string | undefined): ReadonlyMap<string, ReadonlySet<string>> | undefined {
    return key === undefined ? undefined : this.#plans.get(key);
  }

  set(key: string | undefined, used: ReadonlyMap<string, ReadonlySet<string>>): void {
    if (key === undefined || key.length > ProjectionPlans.MAX_KEY_CHARS / 4) return;
    if (this.#plans.delete(key)) this.#keyChars -= key.length;
    this.#plans.set(key, used);
    this.#keyChars += key.length;
    for (const oldest of this.#plans.keys()) {
      if (this.#plans.size <= ProjectionPlans.MAX_PLANS && this.#keyChars <= ProjectionPlans.MAX_KEY_CHARS) break;
      this.#plans.delete(oldest);
      this.#keyChars -= oldest.length;
    }
  }
}

/**
 * The columns of each input port that the statement reads, from DuckDB's own plan on empty
 * tables of the same schemas, made in `session`'s current (fresh, empty) catalog.
 */
export async function planProjection(session: SqlSession, candidate: ProjectionCandidate): Promise<Map<string, Set<string>> | undefined> {
  const { statement, inputs } = candidate;
  try {
    if (!(await emptyTablesOf(session, inputs))) {
      for (const input of inputs) await session.insertIpc(tableToIPC(tableFromIPC(input.ipc).slice(0, 0), 'stream'), input.name);
    }
    // The plan is DuckDB's optimized one (the sandbox locks the optimizer settings): a scan of
    // an empty table that statistics prune away is simply not narrowed, and a column that
    // appears only in a pushed-down filter is taken from the filter text — conservatively,
    // since a column left out makes the transform fail to bind and run again on whole inputs.
    const row = (await session.rows(`EXPLAIN (FORMAT json) ${statement}`))[0];
    return columnsScanned(JSON.parse(String(row?.['explain_value'] ?? '[]')));
  } catch {
    return undefined; // the transform's own run will report what is wrong with it
  }
}

/**
 * Per input port that can be narrowed, its Arrow IPC stream with only the columns `used` says
 * the statement reads; undefined when nothing would be narrowed: then every column is loaded.
 */
export function narrowedInputs(
  candidate: ProjectionCandidate,
  used: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, Uint8Array> | undefined {
  try {
    const projected = new Map<string, Uint8Array>();
    for (const input of candidate.inputs) {
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
    return undefined;
  }
}

/** Per table, the names an EXPLAIN (FORMAT json) plan's scans project or mention in a pushed-down filter. */
export function columnsScanned(plan: unknown): Map<string, Set<string>> {
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
  return used;
}

/**
 * Empty tables of the inputs' schemas in one statement, from the column types their
 * producer described: no Arrow decoding. False (nothing created) when a type is unknown
 * or does not parse; the caller then builds them from the Arrow schemas.
 */
async function emptyTablesOf(session: SqlSession, inputs: readonly ArrowInput[]): Promise<boolean> {
  if (inputs.some((i) => !i.columns || i.columns.length === 0)) return false;
  const ddl = inputs.map(
    (i) => `CREATE TABLE ${quoteIdent(i.name)} (${(i.columns ?? []).map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
  );
  try {
    await session.run(ddl.join(';\n'));
    return true;
  } catch {
    for (const input of inputs) await session.run(`DROP TABLE IF EXISTS ${quoteIdent(input.name)}`);
    return false;
  }
}
