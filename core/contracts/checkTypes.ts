/*
 * The shape of a compiled contract check, shared by the compilers (contractChecks.ts,
 * constraintChecks.ts), the runtime that measures them and the messages that judge them.
 */
export type CheckSeverity = 'error' | 'warning';
export type Operator =
  | {
      readonly op: 'mustBe' | 'mustNotBe' | 'mustBeGreaterThan' | 'mustBeGreaterOrEqualTo' | 'mustBeLessThan' | 'mustBeLessOrEqualTo';
      readonly value: number;
    }
  | { readonly op: 'mustBeBetween' | 'mustNotBeBetween'; readonly value: readonly [number, number] };

export interface ContractCheck {
  /** Stable id: `<table>.<column>.<kind>` or `<table>[.<column>].quality[<i>]`. */
  readonly id: string;
  readonly kind:
    | 'required'
    | 'unique'
    | 'primaryKey'
    | 'constraint'
    | 'nullValues'
    | 'missingValues'
    | 'invalidValues'
    | 'duplicateValues'
    | 'rowCount'
    | 'sql';
  /** For `constraint`: the logicalTypeOptions key it enforces (minimum, pattern, format, …). */
  readonly option?: string;
  readonly table: string;
  readonly column?: string;
  readonly description: string;
  readonly severity: CheckSeverity;
  readonly unit: 'rows' | 'percent';
  /**
   * True when `value` counts rows (bad, null, repeated): `unit: percent` then divides it by
   * `total`. False for a sql rule's own number and a row count, which are taken as they are.
   */
  readonly ratio: boolean;
  readonly operator: Operator;
  readonly sql: string;
  /**
   * Set when `sql` is one aggregate over a relation (`SELECT <value> AS value, count(*) AS
   * total FROM <from>`): the checks of a port over the same relation are then measured in one
   * scan (workers/quantum/measureChecks.ts). Absent for a sql rule, whose query is its own.
   */
  readonly aggregate?: CheckAggregate;
  /** SQL listing up to five failing values (column `sample`), run only when `value` is above 0. */
  readonly samples?: string;
  /** Where the rule is written, as a YAML path in the contract file. */
  readonly path: readonly (string | number)[];
}

/** A promise that no row may break: an error when any does (required, unique, keys, constraints). */
export const NO_BAD_ROWS = { severity: 'error', unit: 'rows', ratio: true, operator: { op: 'mustBe', value: 0 } } as const;

/** A check's value as one aggregate expression over `from` (a quoted relation), its total all rows. */
export interface CheckAggregate {
  readonly value: string;
  readonly from: string;
}

/** A check's SQL and its aggregate: `SELECT <value> AS value, count(*) AS total FROM <from>`. */
export function aggregated(from: string, value: string): { readonly sql: string; readonly aggregate: CheckAggregate } {
  return { sql: `SELECT ${value} AS value, count(*) AS total FROM ${from}`, aggregate: { value, from } };
}

/** The rows of `rel` matching `predicate`, and all rows: a check's `value` and `total`. */
export function counted(rel: string, predicate: string): { readonly sql: string; readonly aggregate: CheckAggregate } {
  return aggregated(rel, `count(*) FILTER (WHERE ${predicate})`);
}

/** `counted`'s SQL alone. */
export function countSql(rel: string, predicate: string): string {
  return counted(rel, predicate).sql;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replace(/'/g, "''")}'`;
}
