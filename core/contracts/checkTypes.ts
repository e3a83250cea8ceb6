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
  /** SQL listing up to five failing values (column `sample`), run only when `value` is above 0. */
  readonly samples?: string;
  /** Where the rule is written, as a YAML path in the contract file. */
  readonly path: readonly (string | number)[];
}

/** A promise that no row may break: an error when any does (required, unique, keys, constraints). */
export const NO_BAD_ROWS = { severity: 'error', unit: 'rows', ratio: true, operator: { op: 'mustBe', value: 0 } } as const;

/** The rows of `rel` matching `predicate`, and all rows: a check's `value` and `total`. */
export function countSql(rel: string, predicate: string): string {
  return `SELECT count(*) FILTER (WHERE ${predicate}) AS value, count(*) AS total FROM ${rel}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replace(/'/g, "''")}'`;
}
