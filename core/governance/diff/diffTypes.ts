import { asFields, asString, type Fields } from '../../model/read.ts';

/*
 * Type compatibility for the contract diff. A change is *widened* when every value of the
 * old type is a value of the new one, *narrowed* when the reverse holds, *incompatible*
 * when neither does. Widening keeps consumers' queries working (a warning: a consumer that
 * stores the value in the old width may overflow); narrowing and incompatible changes are
 * breaking (existing data may not fit, consumers' casts and comparisons change meaning).
 *
 * logicalType (ODCS):   integer → number, date → timestamp           widened (reverse: narrowed)
 *                       anything else                                incompatible
 * format (integer):     i8 < i16 < i32 < i64 < i128, uN ⊂ i(2N)      by value range; default i32
 * format (number):      f32 < f64
 * physicalType (SQL, DuckDB names and common aliases):
 *   integers            by value range (TINYINT … HUGEINT, UTINYINT … UHUGEINT)
 *   integer → DECIMAL   widened if the integer digits fit, else narrowed
 *   integer → FLOAT     widened if the mantissa holds every value (≤ 24 / 53 bits), else narrowed
 *   FLOAT → DOUBLE      widened
 *   DECIMAL(p,s)        widened when both integer digits (p−s) and scale (s) grow or stay
 *   DECIMAL ↔ FLOAT     narrowed (exactness or range is lost)
 *   VARCHAR(n)          widened when n grows or the limit goes; narrowed when it shrinks
 *   DATE → TIMESTAMP    widened
 *   anything else that differs (TIMESTAMP ↔ TIMESTAMPTZ, unknown names) incompatible
 * A type stated on only one side (say physicalType added) is not compared: the change is
 * reported as metadata, since most contracts state the physical type late.
 */
export type TypeVerdict = 'same' | 'widened' | 'narrowed' | 'incompatible';

const ORDER: readonly TypeVerdict[] = ['same', 'widened', 'narrowed', 'incompatible'];

function worst(a: TypeVerdict, b: TypeVerdict): TypeVerdict {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

export interface TypeComparison {
  readonly verdict: TypeVerdict;
  /** What the type was and is, e.g. `integer (INT)`. */
  readonly from: string;
  readonly to: string;
}

export function describeType(property: Fields): string {
  const logical = asString(property['logicalType']);
  const physical = asString(property['physicalType']);
  const format = asString(asFields(property['logicalTypeOptions'])['format']);
  const withFormat = logical && format && (logical === 'integer' || logical === 'number') ? `${logical} ${format}` : logical;
  if (withFormat && physical) return `${withFormat} (${physical})`;
  return withFormat ?? physical ?? 'untyped';
}

export function compareTypes(from: Fields, to: Fields): TypeComparison {
  const lf = asString(from['logicalType']);
  const lt = asString(to['logicalType']);
  let verdict: TypeVerdict = 'same';
  if (lf !== undefined && lt !== undefined) {
    verdict = compareLogical(lf, lt);
    if (verdict === 'same') verdict = compareFormat(lf, from, to);
  }
  const pf = asString(from['physicalType']);
  const pt = asString(to['physicalType']);
  if (pf !== undefined && pt !== undefined) verdict = worst(verdict, comparePhysical(parsePhysical(pf), parsePhysical(pt)));
  return { verdict, from: describeType(from), to: describeType(to) };
}

const LOGICAL_WIDENINGS: ReadonlySet<string> = new Set(['integer→number', 'date→timestamp']);

function compareLogical(from: string, to: string): TypeVerdict {
  if (from === to) return 'same';
  if (LOGICAL_WIDENINGS.has(`${from}→${to}`)) return 'widened';
  if (LOGICAL_WIDENINGS.has(`${to}→${from}`)) return 'narrowed';
  return 'incompatible';
}

function compareFormat(logical: string, from: Fields, to: Fields): TypeVerdict {
  const ff = asString(asFields(from['logicalTypeOptions'])['format']);
  const ft = asString(asFields(to['logicalTypeOptions'])['format']);
  if (logical === 'integer') {
    const a = intRange(ff ?? 'i32');
    const b = intRange(ft ?? 'i32');
    return a && b ? compareRanges(a, b) : ff === ft ? 'same' : 'incompatible';
  }
  if (logical === 'number' && ff !== undefined && ft !== undefined && ff !== ft) {
    const bits = (f: string): number | undefined => (f === 'f32' ? 32 : f === 'f64' ? 64 : undefined);
    const a = bits(ff);
    const b = bits(ft);
    if (a === undefined || b === undefined) return 'incompatible';
    return a < b ? 'widened' : 'narrowed';
  }
  return 'same';
}

interface IntRange {
  readonly min: bigint;
  readonly max: bigint;
}

function intRange(format: string): IntRange | undefined {
  const match = /^([iu])(8|16|32|64|128)$/.exec(format);
  if (!match) return undefined;
  return intRangeOf(match[1] === 'i', Number(match[2]));
}

function intRangeOf(signed: boolean, bits: number): IntRange {
  const size = 1n << BigInt(bits);
  return signed ? { min: -(size / 2n), max: size / 2n - 1n } : { min: 0n, max: size - 1n };
}

function compareRanges(a: IntRange, b: IntRange): TypeVerdict {
  const bHoldsA = b.min <= a.min && a.max <= b.max;
  const aHoldsB = a.min <= b.min && b.max <= a.max;
  if (bHoldsA && aHoldsB) return 'same';
  if (bHoldsA) return 'widened';
  if (aHoldsB) return 'narrowed';
  return 'incompatible';
}

type SimpleKind = 'date' | 'time' | 'timestamp' | 'timestamptz' | 'boolean';
type Physical =
  | { readonly kind: 'int'; readonly range: IntRange; readonly bits: number; readonly signed: boolean }
  | { readonly kind: 'float'; readonly bits: number }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'string'; readonly length: number }
  | { readonly kind: SimpleKind }
  | { readonly kind: 'other'; readonly text: string };

const INTEGERS: Readonly<Record<string, readonly [signed: boolean, bits: number]>> = {
  TINYINT: [true, 8],
  INT1: [true, 8],
  SMALLINT: [true, 16],
  INT2: [true, 16],
  SHORT: [true, 16],
  INT: [true, 32],
  INTEGER: [true, 32],
  INT4: [true, 32],
  SIGNED: [true, 32],
  BIGINT: [true, 64],
  INT8: [true, 64],
  LONG: [true, 64],
  HUGEINT: [true, 128],
  INT128: [true, 128],
  UTINYINT: [false, 8],
  USMALLINT: [false, 16],
  UINTEGER: [false, 32],
  UINT: [false, 32],
  UBIGINT: [false, 64],
  UHUGEINT: [false, 128],
};
const FLOATS: Readonly<Record<string, number>> = { REAL: 32, FLOAT4: 32, FLOAT: 32, DOUBLE: 64, FLOAT8: 64, 'DOUBLE PRECISION': 64 };
const SIMPLE: Readonly<Record<string, SimpleKind>> = {
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  DATETIME: 'timestamp',
  TIMESTAMP_NTZ: 'timestamp',
  'TIMESTAMP WITHOUT TIME ZONE': 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  TIMESTAMP_TZ: 'timestamptz',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  LOGICAL: 'boolean',
};
const STRINGS = new Set(['VARCHAR', 'CHAR', 'CHARACTER', 'CHARACTER VARYING', 'NVARCHAR', 'NCHAR', 'BPCHAR', 'STRING', 'TEXT']);

export function parsePhysical(text: string): Physical {
  const upper = text.trim().toUpperCase().replace(/\s+/g, ' ');
  const match = /^([A-Z_][A-Z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(upper);
  const name = match?.[1] ?? upper;
  const first = match?.[2] === undefined ? undefined : Number(match[2]);
  const second = match?.[3] === undefined ? undefined : Number(match[3]);
  const integer = INTEGERS[name];
  if (integer && first === undefined) return { kind: 'int', signed: integer[0], bits: integer[1], range: intRangeOf(...integer) };
  const float = FLOATS[name];
  if (float !== undefined && first === undefined) return { kind: 'float', bits: float };
  // DuckDB's default DECIMAL is (18,3).
  if (name === 'DECIMAL' || name === 'NUMERIC' || name === 'NUMBER')
    return { kind: 'decimal', precision: first ?? 18, scale: second ?? (first === undefined ? 3 : 0) };
  if (STRINGS.has(name) && second === undefined) return { kind: 'string', length: first ?? Number.POSITIVE_INFINITY };
  const simple = SIMPLE[name];
  if (simple && first === undefined) return { kind: simple };
  return { kind: 'other', text: upper };
}

const MANTISSA: Readonly<Record<number, number>> = { 32: 24, 64: 53 };

function digitsOf(range: IntRange): number {
  const biggest = range.max > -range.min ? range.max : -range.min;
  return biggest.toString().length;
}

export function comparePhysical(a: Physical, b: Physical): TypeVerdict {
  if (a.kind === 'int' && b.kind === 'int') return compareRanges(a.range, b.range);
  if (a.kind === 'float' && b.kind === 'float') return a.bits === b.bits ? 'same' : a.bits < b.bits ? 'widened' : 'narrowed';
  if (a.kind === 'decimal' && b.kind === 'decimal') return compareDecimals(a, b);
  if (a.kind === 'string' && b.kind === 'string') return a.length === b.length ? 'same' : a.length < b.length ? 'widened' : 'narrowed';
  if (a.kind === 'int' && b.kind === 'decimal') return b.precision - b.scale >= digitsOf(a.range) ? 'widened' : 'narrowed';
  if (a.kind === 'decimal' && b.kind === 'int') return 'narrowed';
  if (a.kind === 'int' && b.kind === 'float') return (a.signed ? a.bits - 1 : a.bits) <= (MANTISSA[b.bits] ?? 0) ? 'widened' : 'narrowed';
  if (a.kind === 'float' && b.kind === 'int') return 'narrowed';
  if ((a.kind === 'decimal' && b.kind === 'float') || (a.kind === 'float' && b.kind === 'decimal')) return 'narrowed';
  if (a.kind === 'date' && b.kind === 'timestamp') return 'widened';
  if (a.kind === 'timestamp' && b.kind === 'date') return 'narrowed';
  if (a.kind === 'other' && b.kind === 'other') return a.text === b.text ? 'same' : 'incompatible';
  return a.kind === b.kind ? 'same' : 'incompatible';
}

function compareDecimals(
  a: { readonly precision: number; readonly scale: number },
  b: { readonly precision: number; readonly scale: number },
): TypeVerdict {
  const forward = b.precision - b.scale >= a.precision - a.scale && b.scale >= a.scale;
  const backward = a.precision - a.scale >= b.precision - b.scale && a.scale >= b.scale;
  if (forward && backward) return 'same';
  if (forward) return 'widened';
  if (backward) return 'narrowed';
  return 'incompatible';
}
