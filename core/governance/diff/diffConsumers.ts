import { closingQuote } from '../../sql/splitStatements.ts';
import type { Mesh } from '../../model/types.ts';
import type { ContractDiff } from './contractDiff.ts';
import type { ContractChange } from './diffRules.ts';

/*
 * The consumer side of a contract diff. A breaking change breaks a consumer only if the
 * consumer reads what changed: a consumer that never reads a removed column is not broken.
 * Only the consumers' side of each verdict counts here (diffRules.ts): producer-side breaks
 * (a tighter guarantee: required, unique, a new bound or blocking rule) break no consumer.
 */
export interface ContractConsumer {
  readonly productId: string;
  /**
   * The columns it reads (bare names, or `schema.column` to be precise in a contract with
   * several schemas), or 'all' (`SELECT *`, a whole-row reference).
   */
  readonly reads: ReadonlySet<string> | 'all';
}

export interface ConsumerImpact {
  readonly productId: string;
  readonly broken: boolean;
  /** Breaking changes to what it reads. */
  readonly breaking: readonly ContractChange[];
  /** Looser guarantees on what it reads (nulls, duplicates, wider types, more enum values…). */
  readonly warnings: readonly ContractChange[];
}

// Changes every consumer of the contract feels, whatever it reads.
const CONTRACT_WIDE = new Set<ContractChange['ruleId']>(['contract-id-changed']);

function touches(change: ContractChange, reads: ReadonlySet<string> | 'all'): boolean {
  if (CONTRACT_WIDE.has(change.ruleId)) return true;
  if (change.columns.length === 0) return false;
  if (reads === 'all') return true;
  for (const read of reads) {
    for (const column of change.columns) {
      if (read === column || column.startsWith(`${read}.`) || column.startsWith(`${read}[]`)) return true;
      if (change.schema !== undefined && read === `${change.schema}.${column}`) return true;
    }
  }
  return false;
}

export function impactOnConsumers(diff: ContractDiff, consumers: readonly ContractConsumer[]): ConsumerImpact[] {
  return consumers.map(({ productId, reads }) => {
    // Judged on the consumers' side only: a producer-side break (its data must meet a tighter guarantee) breaks no reader.
    const felt = diff.changes.filter((c) => c.consumers !== 'info' && touches(c, reads));
    const breaking = felt.filter((c) => c.consumers === 'breaking');
    const warnings = felt.filter((c) => c.consumers === 'warning');
    return { productId, broken: breaking.length > 0, breaking, warnings };
  });
}

/**
 * The products of a mesh that read a contract (any version) through an input port, with the
 * columns their transform reads from that port's table. A product without a transform is
 * taken to read everything.
 */
export function consumersInMesh(mesh: Mesh, contractId: string, columns: Iterable<string>): ContractConsumer[] {
  const known = [...columns];
  return mesh.products.flatMap((product) =>
    product.inputPorts
      .filter((port) => port.contractId === contractId)
      .map((port) => ({
        productId: product.id,
        reads: product.transform ? columnsReadBy(product.transform.text, port.name, known) : ('all' as const),
      })),
  );
}

/*
 * Which columns of `table` a SQL text reads — a conservative, token-based estimate: it may
 * over-report, never under-report. A known column counts as read when its name appears as
 * an identifier token anywhere in the SQL (in any clause, under any qualifier, even as an
 * alias or another table's column). 'all' when the SQL may read every column: a `*` that is
 * a projection (`SELECT *`, `t.*`, `COLUMNS(*)`), the table or an alias of it used as a
 * value (a whole-row struct in DuckDB), `NATURAL` joins, or a query without SELECT
 * (`FROM t`, `TABLE t`, `SUMMARIZE t`). A SQL text that never names the table reads nothing.
 * Identifiers match case-insensitively, quoted or not, as in DuckDB.
 */
export function columnsReadBy(sql: string, table: string, knownColumns: Iterable<string>): ReadonlySet<string> | 'all' {
  const tokens = tokenize(sql);
  const target = table.toLowerCase();
  if (!tokens.some((t) => t.text === target)) return new Set();
  if (!tokens.some((t) => t.text === 'select')) return 'all';
  const names = new Set([target]);
  const tables = aliasedTables(tokens);
  tokens.forEach((token, i) => {
    if (token.text !== target || !isTableReference(tokens, i)) return;
    const alias = aliasAfter(tokens, i + 1);
    if (alias !== undefined) names.add(alias);
  });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (EVERY_COLUMN_WORDS.has(token.text) && token.kind === 'word') return 'all';
    if (token.text === 'columns' && tokens[i + 1]?.text === '(') return 'all';
    if (token.kind === 'symbol' && token.text === '#') return 'all'; // positional column reference
    if (token.kind === 'symbol' && token.text === '*' && isProjectionStar(tokens, i) && !starOfOtherTable(tokens, i, names, tables))
      return 'all';
    if (token.kind === 'identifier' && names.has(token.text) && isWholeRow(tokens, i)) return 'all';
  }
  const identifiers = new Set(tokens.filter((t) => t.kind === 'identifier' || t.kind === 'word').map((t) => t.text));
  return new Set([...knownColumns].filter((column) => identifiers.has(column.toLowerCase())));
}

// Words after which every column may be read.
const EVERY_COLUMN_WORDS = new Set(['natural', 'pivot', 'unpivot']);

interface Token {
  readonly kind: 'identifier' | 'word' | 'symbol' | 'number';
  /** Lower-cased; quoted identifiers unquoted. */
  readonly text: string;
}

// Words that end a table reference, so what follows a table name is not its alias.
const CLAUSE_WORDS = new Set(
  'where join left right inner outer full cross on using group order limit offset union except intersect natural window qualify having positional asof semi anti lateral select pivot unpivot tablesample as'.split(
    ' ',
  ),
);
// SQL keywords as tokens: kept as 'word' so they are never taken for an alias.
const KEYWORDS = new Set([
  ...CLAUSE_WORDS,
  'from',
  'by',
  'and',
  'or',
  'not',
  'case',
  'when',
  'then',
  'else',
  'end',
  'distinct',
  'all',
  'with',
  'table',
  'summarize',
  'describe',
  'values',
  'exclude',
  'replace',
]);

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (sql.startsWith('--', i)) i = endOf(sql.indexOf('\n', i), sql.length);
    else if (sql.startsWith('/*', i)) i = endOf(sql.indexOf('*/', i + 2), sql.length - 2) + 2;
    else if (c === "'") i = closingQuote(sql, i, "'");
    else if (c === '"') {
      const end = closingQuote(sql, i, '"');
      tokens.push({
        kind: 'identifier',
        text: sql
          .slice(i + 1, end - 1)
          .replace(/""/g, '"')
          .toLowerCase(),
      });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 256));
      const text = (match?.[0] ?? c).toLowerCase();
      tokens.push({ kind: KEYWORDS.has(text) ? 'word' : 'identifier', text });
      i += match?.[0].length ?? 1;
    } else if (/[0-9]/.test(c)) {
      // Kept as a token: in `0.52 * sum(x)` the star follows a number, not a comma.
      const length = /^[0-9.eE]+/.exec(sql.slice(i, i + 64))?.[0].length ?? 1;
      tokens.push({ kind: 'number', text: sql.slice(i, i + length) });
      i += length;
    } else {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    }
  }
  return tokens;
}

function endOf(index: number, fallback: number): number {
  return index < 0 ? fallback : index;
}

/** `FROM orders`, `JOIN orders`, `FROM "mesh".orders`. */
function isTableReference(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (before?.text === '.') return isTableReference(tokens, i - 2);
  return before?.kind === 'word' && (before.text === 'from' || before.text === 'join');
}

function aliasAfter(tokens: readonly Token[], i: number): string | undefined {
  const next = tokens[i];
  if (next?.text === 'as') return tokens[i + 1]?.kind === 'identifier' ? tokens[i + 1]?.text : undefined;
  return next?.kind === 'identifier' ? next.text : undefined;
}

/**
 * Alias → the base table it stands for, for `FROM t a`, `JOIN t AS a`, when `t` is not a
 * CTE of the query (a CTE may itself read the target, so its star stays conservative).
 */
function aliasedTables(tokens: readonly Token[]): Map<string, string> {
  const ctes = new Set<string>();
  tokens.forEach((token, i) => {
    // `WITH name AS (` or `, name AS (`
    const before = tokens[i - 1]?.text;
    if (
      token.kind === 'identifier' &&
      (before === 'with' || before === ',') &&
      tokens[i + 1]?.text === 'as' &&
      tokens[i + 2]?.text === '('
    ) {
      ctes.add(token.text);
    }
  });
  const out = new Map<string, string>();
  tokens.forEach((token, i) => {
    if (token.kind !== 'identifier' || !isTableReference(tokens, i) || ctes.has(token.text)) return;
    const alias = aliasAfter(tokens, i + 1);
    if (alias !== undefined) out.set(alias, token.text);
  });
  return out;
}

/** `p.*` where `p` is an alias of a base table other than the target: reads none of the target's columns. */
function starOfOtherTable(tokens: readonly Token[], i: number, names: ReadonlySet<string>, tables: ReadonlyMap<string, string>): boolean {
  if (tokens[i - 1]?.text !== '.') return false;
  const qualifier = tokens[i - 2]?.text;
  if (qualifier === undefined || names.has(qualifier)) return false;
  const table = tables.get(qualifier);
  return table !== undefined && !names.has(table);
}

/** `*` after SELECT, DISTINCT, ALL, a comma or a dot (not `count(*)`, not `a * b`). */
function isProjectionStar(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (!before) return true;
  return ['select', 'distinct', 'all', ',', '.'].includes(before.text);
}

/**
 * The table (or alias) used as a value rather than as a table reference or a qualifier:
 * `SELECT o FROM orders o` reads the whole row as a struct.
 */
function isWholeRow(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  if (after?.text === '.') return false; // o.amount: a qualifier
  if (before?.text === 'from' || before?.text === 'join' || before?.text === 'as' || before?.text === '.') return false;
  // FROM orders o — the alias right after the table name
  if (before?.kind === 'identifier' && isTableReference(tokens, i - 1)) return false;
  return true;
}
