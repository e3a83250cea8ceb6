/**
 * Splits a SQL script into statements at top-level semicolons, respecting quotes ('…',
 * "…"), dollar quoting ($tag$…$tag$) and comments (-- …, /* … *\/). Each statement keeps the
 * line it starts on, so an engine error "LINE 2" inside statement 3 can be reported as a
 * line of the file.
 */
export interface SqlStatement {
  readonly text: string;
  /** 1-based line of the file where the statement's first non-blank character is. */
  readonly line: number;
}

export function splitStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    const raw = script.slice(start, end);
    const lead = raw.search(/\S/);
    if (lead >= 0 && stripComments(raw).trim().length > 0) {
      const offset = start + lead;
      out.push({ text: raw.slice(lead).trimEnd(), line: lineOf(script, offset) });
    }
  };
  while (i < script.length) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? script.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      i = closingQuote(script, i, ch);
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      if (tag) {
        const end = script.indexOf(tag, i + tag.length);
        i = end < 0 ? script.length : end + tag.length;
      } else i++;
    } else if (ch === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(script.length);
  return out;
}

/** Index just past the quote closing the one at `open` (a doubled quote is an escaped one), or the end. */
export function closingQuote(script: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < script.length) {
    if (script[i] === quote) {
      if (script[i + 1] === quote)
        i += 2; // doubled quote is an escaped quote
      else return i + 1;
    } else i++;
  }
  return script.length;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** True for a statement that returns rows (a query) rather than changing state. */
export function isQuery(statement: string): boolean {
  return /^\s*(\(\s*)*(SELECT|WITH|FROM|VALUES|TABLE|SUMMARIZE|PIVOT|UNPIVOT)\b/i.test(stripComments(statement));
}
