import { diagnostic, type Diagnostic, type SourcePosition } from '../../diagnostics/diagnostic.ts';
import type { Mesh } from '../../model/types.ts';
import { locate, type YamlSourceFile } from '../../yaml/sourceFile.ts';
import { buildCatalog, type CatalogOptions, type CatalogTable } from '../catalog/catalog.ts';
import { appliesTo, resolvePolicies, type EffectivePolicy } from './policies.ts';
import type { PolicyResult, Violation } from './policyResult.ts';
import { governanceScore, type GovernanceScore } from './score.ts';
import { isNotSingleSelect, SINGLE_SELECT_HINT, singleSelect } from '../../sql/singleSelect.ts';

/**
 * Where policy SQL runs: a quantum holding the catalog. Core cannot import workers/ (nor
 * decode Arrow), so the caller adapts its quantum: workers/catalog/catalogEngine.ts does it over
 * any QuantumApi, for the app and for the CLI (bin/quanta.mjs hands it in, like the host).
 */
export interface CatalogEngine {
  /** Creates (or replaces) the table from plain rows. */
  load(table: CatalogTable): Promise<void>;
  /**
   * Makes a published output port queryable as `"<product>".<port>` (data policies), from its
   * Arrow IPC bytes. Optional: without it, data policies are skipped.
   */
  loadPort?(product: string, port: string, ipc: Uint8Array): Promise<void>;
  /** Runs one SELECT. Never throws for bad SQL: returns the error message. */
  query(sql: string): Promise<EngineOutcome>;
}

export type EngineOutcome =
  | { readonly ok: true; readonly columns: readonly string[]; readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly ok: false; readonly message: string };

export type { PolicyResult, Violation } from './policyResult.ts';

export interface GovernanceReport {
  readonly policies: readonly PolicyResult[];
  /** Policy diagnostics: federation errors (from loading) and policy SQL errors. */
  readonly diagnostics: readonly Diagnostic[];
  readonly blocking: number;
  readonly warnings: number;
  readonly score: GovernanceScore;
}

export const MAX_VIOLATIONS = 1000;

/** The newest published data of an output port, for data policies. */
export interface PortData {
  readonly product: string;
  readonly port: string;
  readonly ipc: Uint8Array;
}

export interface EvaluateOptions extends Omit<CatalogOptions, 'policies'> {
  /** Output ports' data; policies that read `"<product>".<port>` are skipped without it. */
  readonly outputs?: readonly PortData[];
}

/**
 * Evaluates every policy in force against the mesh's catalog, loaded into `engine`. Called on
 * every model change (the editor, `quanta check`) and after every run (with `run` in options,
 * so run versions and check results are in the catalog). A policy whose SQL fails does not
 * stop the others: its result carries the error.
 */
export async function evaluatePolicies(mesh: Mesh, engine: CatalogEngine, options: EvaluateOptions = {}): Promise<GovernanceReport> {
  const resolved = resolvePolicies(mesh);
  const catalog = buildCatalog(mesh, { ...options, policies: resolved.policies });
  // Only the tables some policy names: loading the catalog is most of an evaluation's cost.
  const read = namedTables(resolved.policies.flatMap((p) => (p.sql === undefined ? [] : [p.sql])));
  await Promise.all(catalog.tables.filter((table) => read(table.spec.name)).map((table) => engine.load(table)));
  const outputs = engine.loadPort ? (options.outputs ?? []) : [];
  for (const data of outputs) await engine.loadPort?.(data.product, data.port, data.ipc);
  const withData = new Set(outputs.map((o) => o.product));

  const results: PolicyResult[] = [];
  for (const policy of resolved.policies) {
    const missing = policy.sql === undefined ? undefined : readsProductData(mesh, policy.sql).find((id) => !withData.has(id));
    results.push(
      missing === undefined
        ? await evaluatePolicy(mesh, engine, policy)
        : {
            ...resultBase(policy),
            violations: [],
            skipped: `it reads the data of ${missing}, which has not published (run the mesh first)`,
          },
    );
  }
  const diagnostics = [...resolved.diagnostics, ...results.flatMap((r) => (r.error ? [r.error] : []))];
  const violations = results.flatMap((r) => r.violations);
  return {
    policies: results,
    diagnostics,
    blocking: violations.filter((v) => v.severity === 'blocking').length,
    warnings: violations.filter((v) => v.severity === 'warning').length,
    score: governanceScore(mesh, resolved.policies, results),
  };
}

/**
 * The blocking violations that refuse `product`'s publish: the runtime asks this before it
 * publishes a version.
 */
export function blockingViolations(report: GovernanceReport, product: string): Violation[] {
  return report.policies.flatMap((p) => p.violations).filter((v) => v.severity === 'blocking' && v.product === product);
}

/**
 * Which catalog tables some of `sqls` may read: every table whose name appears as a word in
 * one of them, in any case (identifiers are case-insensitive; a name in a comment or a string
 * only loads a table too many). A policy that lists the catalog's tables
 * (`duckdb_tables()`) sees only those.
 */
export function namedTables(sqls: readonly string[]): (table: string) => boolean {
  const words = new Set(sqls.flatMap((sql) => sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []));
  return (table) => words.has(table.toLowerCase());
}

/** Products whose output data a policy reads, written `"<product-id>".<port>` as in `quanta query`. */
export function readsProductData(mesh: Mesh, sql: string): string[] {
  return mesh.products.filter((p) => sql.includes(`"${p.id}".`)).map((p) => p.id);
}

function resultBase(policy: EffectivePolicy): Omit<PolicyResult, 'violations'> {
  return {
    id: policy.id,
    title: policy.title,
    scope: policy.scope,
    severity: policy.severity,
    source: policy.source,
    file: policy.file,
    ...(policy.uses === undefined ? {} : { uses: policy.uses }),
  };
}

async function evaluatePolicy(mesh: Mesh, engine: CatalogEngine, policy: EffectivePolicy): Promise<PolicyResult> {
  const base = resultBase(policy);
  if (policy.sql === undefined) {
    return { ...base, violations: [], skipped: 'check.expression is not evaluated yet; write the check as check.sql' };
  }
  // One SELECT, checked by DuckDB's parser: a policy can neither change the catalog for the
  // next one nor run anything else (see core/sql/singleSelect.ts).
  const outcome = await engine.query(`SELECT * FROM ${singleSelect(policy.sql)} AS violations LIMIT ${MAX_VIOLATIONS + 1}`);
  if (!outcome.ok && isNotSingleSelect(outcome.message)) {
    const text = `policy ${policy.id}: check.sql must be exactly one SELECT statement; ${SINGLE_SELECT_HINT}`;
    return { ...base, violations: [], error: diagnostic('QUANTA_E071', sqlPosition(mesh, policy, undefined), text) };
  }
  if (!outcome.ok) return { ...base, violations: [], error: sqlError(mesh, policy, outcome.message) };
  const product = pick(outcome.columns, ['product_id', 'product']);
  const message = pick(outcome.columns, ['message']);
  if (product === undefined || message === undefined) {
    const text = `policy ${policy.id} returns the columns ${outcome.columns.join(', ') || '(none)'}; it must return product_id and message (and port, column_name)`;
    return { ...base, violations: [], error: diagnostic('QUANTA_E045', sqlPosition(mesh, policy, undefined), text) };
  }
  const port = pick(outcome.columns, ['port']);
  const column = pick(outcome.columns, ['column_name', 'column']);
  const domainOf = new Map(mesh.products.map((p) => [p.id, p.domain]));
  const violations: Violation[] = [];
  for (const row of outcome.rows.slice(0, MAX_VIOLATIONS)) {
    const productId = text(row[product]);
    const domain = text(row['domain']) ?? (productId === undefined ? undefined : domainOf.get(productId));
    if (!appliesTo(policy, domain)) continue;
    const portName = port === undefined ? undefined : text(row[port]);
    const columnName = column === undefined ? undefined : text(row[column]);
    const at = position(mesh, productId, portName, columnName);
    violations.push({
      policy: policy.id,
      severity: policy.severity,
      ...(productId === undefined ? {} : { product: productId }),
      ...(domain === undefined ? {} : { domain }),
      ...(portName === undefined ? {} : { port: portName }),
      ...(columnName === undefined ? {} : { column: columnName }),
      message: text(row[message]) ?? `violates ${policy.id}`,
      ...(at === undefined ? {} : { at }),
    });
  }
  return { ...base, violations, ...(outcome.rows.length > MAX_VIOLATIONS ? { truncated: true } : {}) };
}

function pick(columns: readonly string[], names: readonly string[]): string | undefined {
  return names.find((n) => columns.includes(n));
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function sqlError(mesh: Mesh, policy: EffectivePolicy, message: string): Diagnostic {
  return diagnostic('QUANTA_E045', sqlPosition(mesh, policy, message), `policy ${policy.id}: ${message}`);
}

/**
 * Where in the policy file an SQL error is. DuckDB's message names the offending token last
 * (`syntax error at or near "FORM"`, `Table "p" does not have a column named "id"`); the
 * first place the SQL spells it as a word is the best guess, since the quantum reports no line.
 */
function sqlPosition(mesh: Mesh, policy: EffectivePolicy, message: string | undefined): SourcePosition {
  const file = yamlFile(mesh, policy.file);
  if (!file) return { file: policy.file, line: 1, column: 1 };
  if (policy.sqlPath === undefined || policy.sql === undefined) return locate(file, policy.path);
  const start = locate(file, policy.sqlPath);
  const lines = policy.sql.split('\n');
  const tokens = [...(message ?? '').matchAll(/"([^"]+)"|name ([\w.]+) does not exist/g)].map((m) => m[1] ?? m[2] ?? '').reverse();
  let hit: { line: number; column: number } | undefined;
  for (const token of tokens) {
    const word = new RegExp(`(?<![\\w])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'i');
    const line = lines.findIndex((l) => word.test(l));
    if (line >= 0) {
      hit = { line, column: lines[line]?.search(word) ?? 0 };
      break;
    }
  }
  const sourceLine = file.text.split('\n')[start.line - 1] ?? '';
  const block = /^[|>]/.test(sourceLine.slice(start.column - 1));
  if (!block) return { file: file.path, line: start.line, column: start.column + (hit?.column ?? 0) };
  const line = start.line + 1 + (hit?.line ?? 0);
  const indent = /^\s*/.exec(file.text.split('\n')[start.line] ?? '')?.[0].length ?? 0;
  return { file: file.path, line, column: indent + 1 + (hit?.column ?? 0) };
}

function position(mesh: Mesh, productId?: string, port?: string, column?: string): SourcePosition | undefined {
  const product = mesh.products.find((p) => p.id === productId);
  if (!product) return undefined;
  const output = product.outputPorts.find((p) => p.name === port);
  const contract = output?.contract;
  if (contract && column !== undefined) {
    const file = yamlFile(mesh, contract.file);
    for (const [ti, table] of contract.tables.entries()) {
      const ci = table.columns.findIndex((c) => c.name === column);
      if (file && ci >= 0) return locate(file, ['schema', ti, 'properties', ci]);
    }
  }
  const file = yamlFile(mesh, product.file);
  if (!file) return { file: product.file, line: 1, column: 1 };
  if (output) return locate(file, ['outputPorts', output.index]);
  const input = product.inputPorts.find((p) => p.name === port);
  if (input) return locate(file, ['inputPorts', input.index]);
  return locate(file, ['id'], { key: true });
}

function yamlFile(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}
