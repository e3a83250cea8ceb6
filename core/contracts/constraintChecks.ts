import { asFields, asList, asNumber, asString, type Fields } from '../model/read.ts';
import type { ContractColumn } from '../model/types.ts';
import { formatRegex, jdkToStrftime } from './formats.ts';
import { counted, NO_BAD_ROWS, quoteIdent, quoteLiteral, type ContractCheck } from './checkTypes.ts';

/*
 * The constraints an ODCS property declares in `logicalTypeOptions` (bounds, lengths,
 * pattern, format, multipleOf, items), compiled to checks that count the rows breaking
 * them: each must be 0 for the publish to go ahead, and each names the option it enforces.
 * The semantics are JSON Schema's, as ODCS says: a pattern is an unanchored search, lengths
 * count characters, exclusive bounds exclude the bound. Options that only describe (a
 * `password` format, a default timezone) compile to nothing; options Quanta cannot enforce
 * are returned with the reason, never dropped silently.
 */
export interface CompiledConstraints {
  readonly checks: ContractCheck[];
  readonly skipped: { path: (string | number)[]; reason: string }[];
}

/**
 * Why DuckDB cannot run an ODCS (ECMA-262) pattern, or undefined when it can: DuckDB's RE2
 * has no lookaround and no backreferences, and a pattern that is not a valid regex at all
 * is the contract's mistake.
 */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (error) {
    return `the pattern ${JSON.stringify(pattern)} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (/\(\?<?[=!]/.test(pattern))
    return `the pattern ${JSON.stringify(pattern)} uses lookaround, which DuckDB's regex engine (RE2) cannot run`;
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern))
    return `the pattern ${JSON.stringify(pattern)} uses a backreference, which DuckDB's regex engine (RE2) cannot run`;
  return undefined;
}

const INTEGER_FORMATS: Record<string, readonly [string, string]> = {
  i8: ['-128', '127'],
  i16: ['-32768', '32767'],
  i32: ['-2147483648', '2147483647'],
  i64: ['-9223372036854775808', '9223372036854775807'],
  i128: ['-170141183460469231731687303715884105728', '170141183460469231731687303715884105727'],
  u8: ['0', '255'],
  u16: ['0', '65535'],
  u32: ['0', '4294967295'],
  u64: ['0', '18446744073709551615'],
  u128: ['0', '340282366920938463463374607431768211455'],
};

/** The SQL type a bound of a logical type is written in; undefined for types without bounds. */
function boundType(logicalType: string | undefined): 'number' | 'DATE' | 'TIMESTAMP' | 'TIME' | undefined {
  switch (logicalType) {
    case 'integer':
    case 'number':
      return 'number';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'time':
      return 'TIME';
    default:
      return undefined;
  }
}

/** A bound as SQL, or the reason it is not one. */
function boundSql(value: unknown, type: 'number' | 'DATE' | 'TIMESTAMP' | 'TIME'): string | { reason: string } {
  if (type === 'number') {
    const n = asNumber(value);
    return n === undefined || !Number.isFinite(n) ? { reason: `${JSON.stringify(value)} is not a finite number` } : String(n);
  }
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const shape =
    type === 'TIME' ? /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/ : /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
  if (text === undefined || !shape.test(text)) {
    const example = type === 'TIME' ? '"08:30:00"' : type === 'DATE' ? '"2024-01-31"' : '"2024-01-31T08:30:00Z"';
    return { reason: `${JSON.stringify(value)} is not a ${type.toLowerCase()} (write it like ${example})` };
  }
  // A zone in a timestamp bound is applied, then dropped: columns compare as UTC wall time.
  return type === 'TIMESTAMP' ? `CAST(CAST(${quoteLiteral(text)} AS TIMESTAMPTZ) AS TIMESTAMP)` : `CAST(${quoteLiteral(text)} AS ${type})`;
}

/**
 * The column as a value of its logical type: text that holds dates is compared as dates
 * (TRY_CAST: a value that is not one is the format's or the type's problem, not a bound's).
 */
function typedColumn(c: string, type: 'number' | 'DATE' | 'TIMESTAMP' | 'TIME'): string {
  if (type === 'number') return c;
  if (type === 'TIMESTAMP')
    return `(CASE WHEN typeof(${c}) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(${c} AS TIMESTAMP) ELSE TRY_CAST(${c} AS TIMESTAMP) END)`;
  return `TRY_CAST(${c} AS ${type})`;
}

/**
 * Where a property's values are: a column (`"name"`), a field of a struct column
 * (`struct_extract("address", 'zip')`), or the items of a list column, each judged as `x`
 * and a row breaking the option when any item does.
 */
export interface ValuesAt {
  readonly expr: string;
  /** The list column whose items `expr` reads, through the lambda parameter `param`. */
  readonly itemsOf?: string;
  readonly param?: string;
}

export function compileConstraints(
  table: string,
  rel: string,
  column: ContractColumn,
  property: Fields,
  at: readonly (string | number)[],
  values: ValuesAt = { expr: quoteIdent(column.name) },
): CompiledConstraints {
  const checks: ContractCheck[] = [];
  const skipped: { path: (string | number)[]; reason: string }[] = [];
  const options = asFields(property['logicalTypeOptions']);
  const c = values.expr;
  const text = `CAST(${c} AS VARCHAR)`;
  const masked = isClassified(column.classification);
  const add = (option: string, description: string, invalid: string): void => {
    const predicate = values.itemsOf
      ? `len(list_filter(${values.itemsOf}, lambda ${values.param ?? c}: ${c} IS NOT NULL AND (${invalid}))) > 0`
      : `${c} IS NOT NULL AND (${invalid})`;
    const sampleOf = values.itemsOf ? `CAST(${values.itemsOf} AS VARCHAR)` : text;
    checks.push({
      id: `${table}.${column.name}.${option}`,
      kind: 'constraint',
      option,
      table,
      column: column.name,
      description,
      ...NO_BAD_ROWS,
      ...counted(rel, predicate),
      samples: sampleSql(rel, predicate, sampleOf, masked),
      path: [...at, 'logicalTypeOptions', option],
    });
  };
  const skip = (option: string, reason: string): void => {
    skipped.push({ path: [...at, 'logicalTypeOptions', option], reason: `${column.name}.${option}: ${reason}` });
  };
  const logicalType = column.logicalType;
  const bounded = boundType(logicalType);

  for (const [option, op, words] of [
    ['minimum', '<', 'at least'],
    ['exclusiveMinimum', '<=', 'greater than'],
    ['maximum', '>', 'at most'],
    ['exclusiveMaximum', '>=', 'less than'],
  ] as const) {
    const value = options[option];
    if (value === undefined) continue;
    if (!bounded) {
      skip(option, `a bound needs logicalType integer, number, date, timestamp or time, not ${logicalType ?? 'none'}`);
      continue;
    }
    const bound = boundSql(value, bounded);
    if (typeof bound !== 'string') {
      skip(option, bound.reason);
      continue;
    }
    add(option, `${column.name} is ${words} ${String(value)}`, `${typedColumn(c, bounded)} ${op} ${bound}`);
  }

  const minLength = asNumber(options['minLength']);
  if (minLength !== undefined) add('minLength', `${column.name} has at least ${minLength} characters`, `length(${text}) < ${minLength}`);
  const maxLength = asNumber(options['maxLength']);
  if (maxLength !== undefined) add('maxLength', `${column.name} has at most ${maxLength} characters`, `length(${text}) > ${maxLength}`);

  const pattern = asString(options['pattern']);
  const unrunnable = pattern === undefined ? undefined : patternProblem(pattern);
  if (unrunnable) skip('pattern', unrunnable);
  else if (pattern !== undefined) {
    // JSON Schema (and so ODCS) patterns search: `@` means "contains an @", not "is exactly @".
    add('pattern', `${column.name} matches the pattern ${pattern}`, `NOT regexp_matches(${text}, ${quoteLiteral(pattern)})`);
  }

  const multipleOf = asNumber(options['multipleOf']);
  if (multipleOf !== undefined && multipleOf > 0) {
    // Decimal steps (0.01) are compared with a tolerance: doubles cannot hold them exactly.
    const ratio = `CAST(${c} AS DOUBLE) / ${multipleOf}`;
    add(
      'multipleOf',
      `${column.name} is a multiple of ${multipleOf}`,
      `abs(${ratio} - round(${ratio})) > 1e-9 * greatest(1, abs(${ratio}))`,
    );
  }

  const format = asString(options['format']);
  if (format !== undefined) compileFormat(format);

  const listed = asList(options['enum']).filter((v) => v !== null && v !== undefined);
  if (listed.length > 0) {
    // Not in ODCS v3.1.0's options, but datacontract-cli reads it: honoured so their contracts mean the same here.
    add(
      'enum',
      `${column.name} is one of ${listed.map(String).join(', ')}`,
      `${text} NOT IN (${listed.map((v) => quoteLiteral(String(v))).join(', ')})`,
    );
  }

  if (logicalType === 'array') {
    const minItems = asNumber(options['minItems']);
    if (minItems !== undefined) add('minItems', `${column.name} has at least ${minItems} items`, `len(${c}) < ${minItems}`);
    const maxItems = asNumber(options['maxItems']);
    if (maxItems !== undefined) add('maxItems', `${column.name} has at most ${maxItems} items`, `len(${c}) > ${maxItems}`);
    if (options['uniqueItems'] === true)
      add(
        'uniqueItems',
        `${column.name} has no repeated items`,
        `len(list_distinct(${c})) < len(list_filter(${c}, lambda v: v IS NOT NULL))`,
      );
  }
  for (const option of ['minProperties', 'maxProperties', 'required'])
    if (options[option] !== undefined)
      skip(option, 'object options are not enforced yet: describe the fields as nested properties instead');

  return { checks, skipped };

  function compileFormat(value: string): void {
    if (logicalType === 'integer') {
      const range = INTEGER_FORMATS[value];
      if (!range) return skip('format', `"${value}" is not one of ${Object.keys(INTEGER_FORMATS).join(', ')}`);
      const [low, high] = range;
      // HUGEINT/UHUGEINT literals hold every range, so no bound overflows the comparison.
      const kind = low.startsWith('-') ? 'HUGEINT' : 'UHUGEINT';
      const sign = low.startsWith('-') ? `${c} < CAST('${low}' AS HUGEINT) OR ` : `${c} < 0 OR `;
      return add('format', `${column.name} fits ${value}`, `${sign}${c} > CAST('${high}' AS ${kind})`);
    }
    if (logicalType === 'number') {
      if (value === 'f32') return add('format', `${column.name} fits f32`, `abs(CAST(${c} AS DOUBLE)) > 3.4028234663852886e38`);
      if (value === 'f64') return undefined;
      return skip('format', `"${value}" is not f32 or f64`);
    }
    if (logicalType === 'date' || logicalType === 'timestamp' || logicalType === 'time') {
      // A typed column has no text to check: the format says how the values are written as text.
      const strftime = jdkToStrftime(value);
      if (typeof strftime !== 'string') return skip('format', strftime.reason);
      return add(
        'format',
        `${column.name} is written ${value}`,
        `typeof(${c}) = 'VARCHAR' AND try_strptime(${text}, ${quoteLiteral(strftime)}) IS NULL`,
      );
    }
    const regex = formatRegex(value);
    if (regex === undefined) return undefined; // password, binary…: they describe, they do not constrain
    if (typeof regex !== 'string') return skip('format', regex.reason);
    add('format', `${column.name} is a valid ${value}`, `NOT regexp_full_match(${text}, ${quoteLiteral(regex)})`);
  }
}

/**
 * Classifications whose values a failing check shows masked: all but public and internal,
 * the ones access decisions leave open too (core/governance/access/access.ts).
 */
export function isClassified(classification: string | undefined): boolean {
  const c = classification?.trim().toLowerCase();
  return c !== undefined && c !== '' && c !== 'public' && c !== 'internal';
}

/**
 * Up to five distinct failing values, as text, in a stable order. A classified column's
 * values are shown by their shape only (letters x, digits 9): enough to see why a value
 * fails a pattern, not enough to read it.
 */
export function sampleSql(rel: string, predicate: string, value: string, masked: boolean): string {
  const shown = masked ? `regexp_replace(regexp_replace(left(${value}, 40), '\\pL', 'x', 'g'), '\\pN', '9', 'g')` : `left(${value}, 80)`;
  return `SELECT DISTINCT ${shown} AS sample FROM ${rel} WHERE ${predicate} ORDER BY 1 LIMIT 5`;
}
