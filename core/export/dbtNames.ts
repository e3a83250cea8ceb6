/*
 * Names in a dbt project made from a mesh. dbt names (projects, models, seeds, groups) are
 * identifiers: letters, digits and underscores, not starting with a digit. Mesh ids allow
 * `-` and `.`, so each maps to one dbt name, and the project keeps the mesh id in `meta`.
 */

/** `daily-revenue` → `daily_revenue`; a name starting with a digit gets a leading `m_`. */
export function dbtName(id: string): string {
  const name = id
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  if (name === '') return 'unnamed';
  return /^[0-9]/.test(name) ? `m_${name}` : name;
}

/** The model of one output port (or an intermediate table) of a product: `<product>__<table>`. */
export function modelName(productId: string, table: string): string {
  return `${dbtName(productId)}__${dbtName(table)}`;
}

/** The seed of one source of a product: `<product>__<source>`. */
export function seedName(productId: string, source: string): string {
  return `${dbtName(productId)}__${dbtName(source)}`;
}

/** A contract version's major number, the dbt model version (`2.1.0` → 2; anything unreadable → 1). */
export function majorVersion(version: string | undefined): number {
  const major = Number(/^\s*v?(\d+)/.exec(version ?? '')?.[1] ?? '1');
  return Number.isSafeInteger(major) && major > 0 ? major : 1;
}

/** A SQL identifier as DuckDB (and dbt's Jinja-free SQL) reads it: bare when it can be, else double-quoted. */
export function sqlIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A YAML scalar that stays a string whatever it holds (dbt reads these files with a YAML 1.1 parser). */
export function yamlString(text: string): string {
  return JSON.stringify(text);
}
