import { MAX_ID_LENGTH } from '../../model/ids.ts';

/*
 * Names from a dbt manifest as mesh ids and SQL table names. The manifest is untrusted: every
 * name becomes an id of the mesh's id pattern (lowercase letters, digits, `_`, `-`, `.`,
 * starting with a letter or digit, at most 64 characters), so a node named `../../etc` is the
 * product `etc`, never a path, and an id is never a bare `.` or `..`.
 */

/** `Stg Orders/../x` → `stg-orders-x`; `fallback` when nothing is left. */
export function meshId(name: string, fallback = 'unnamed'): string {
  const id = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/[^a-z0-9]+$/, '');
  return id === '' ? fallback : id;
}

/** A domain, team or mesh name: a mesh id without `_` and `.` (`customer_success` → `customer-success`). */
export function slugId(name: string, fallback = 'unnamed'): string {
  return meshId(name.replace(/[_.]+/g, '-'), fallback);
}

/** A table (port, source, input) name: `[a-z_][a-z0-9_]*`, at most 64 characters. */
export function tableName(name: string, fallback = 'data'): string {
  const t = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_ID_LENGTH);
  if (t === '') return fallback;
  return /^[0-9]/.test(t) ? `t_${t}`.slice(0, MAX_ID_LENGTH) : t;
}

/** `base`, or `base_2`, `base_3`… the first not in `taken` (which it joins). */
export function unique(base: string, taken: Set<string>, separator = '_'): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, MAX_ID_LENGTH - 4)}${separator}${i}`;
  taken.add(name);
  return name;
}

/** A DuckDB type's ODCS logical type. */
export function logicalTypeOf(type: string | undefined): string {
  const t = (type ?? '').trim().toUpperCase();
  if (/^(?:TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|INT[1248]|LONG|SHORT|SIGNED)\b/.test(t))
    return 'integer';
  if (/^(?:DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL|FLOAT[48])\b/.test(t)) return 'number';
  if (/^(?:BOOLEAN|BOOL|LOGICAL)\b/.test(t)) return 'boolean';
  if (/^DATE$/.test(t)) return 'date';
  if (/^(?:TIMESTAMP|DATETIME)/.test(t)) return 'timestamp';
  if (/^TIME$/.test(t)) return 'time';
  return 'string';
}

/** The ODCS logical type a contract can promise for a data_type: undefined for a type of no known family (STRUCT, LIST, MAP…). */
export function contractLogicalType(type: string): string | undefined {
  if (/\[|^\s*(?:STRUCT|MAP|LIST|UNION|ARRAY)\b/i.test(type)) return undefined;
  const logical = logicalTypeOf(type);
  if (logical !== 'string') return logical;
  return /^(?:VARCHAR|TEXT|STRING|CHAR|CHARACTER|BPCHAR|NVARCHAR|NCHAR|UUID|ENUM)\b/i.test(type.trim()) ? 'string' : undefined;
}
