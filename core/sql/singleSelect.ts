/**
 * SQL a mesh gives Quanta where exactly one SELECT is allowed (a policy's check, a contract's
 * `type: sql` rule, a console query) reaches DuckDB as a *string*, through its `query()`
 * table function: DuckDB's own parser then refuses anything but one SELECT ("Expected a
 * single SELECT statement"), and no text can close a wrapper Quanta wrote around it — a
 * quote inside it is doubled, so the literal ends only where Quanta ends it.
 */

/** `text` as a DuckDB string literal. */
export function sqlStringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A table expression that is the result of `select`, or an error if `select` is not one SELECT. */
export function singleSelect(select: string): string {
  return `query(${sqlStringLiteral(select.trim().replace(/;\s*$/, ''))})`;
}

/** True when DuckDB refused the text because it is not exactly one SELECT statement. */
export function isNotSingleSelect(message: string): boolean {
  return /expected a single select statement/i.test(message);
}

export const SINGLE_SELECT_HINT =
  'write exactly one SELECT (WITH … SELECT and FROM … are fine); no other statements, no semicolons between statements';
