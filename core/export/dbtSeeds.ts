import type { GeneratedBatch, GeneratedValue } from '../generate/generator.ts';

/*
 * Seeds of an exported dbt project: CSV text (RFC 4180) from a generator's batch or a JSON
 * lines file, with the types Quanta's own load gives the columns.
 */

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
function field(value: GeneratedValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOfRows(columns: readonly string[], rows: Iterable<readonly GeneratedValue[]>): string {
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((_, c) => field(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

export function csvOfBatch(batch: GeneratedBatch): string {
  const rows = function* (): Generator<GeneratedValue[]> {
    for (let r = 0; r < batch.rowCount; r++) yield batch.values.map((column) => column[r] ?? null);
  };
  return csvOfRows(batch.columns, rows());
}

/** The DuckDB type Quanta's quantum gives a generated column (workers/quantum/columnsToArrow.ts): numbers DOUBLE, booleans BOOLEAN, the rest VARCHAR. */
export function generatedColumnType(values: readonly GeneratedValue[]): string {
  const first = values.find((v) => v !== null);
  if (typeof first === 'number') return 'DOUBLE';
  if (typeof first === 'boolean') return 'BOOLEAN';
  return 'VARCHAR';
}

/** A JSON lines file as CSV: the union of the objects' keys in order of first appearance; nested values as JSON text. */
export function csvOfJsonLines(text: string): string {
  const objects: Record<string, unknown>[] = [];
  const keys = new Map<string, true>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) keys.set(key, true);
    objects.push(record);
  }
  const columns = [...keys.keys()];
  const cell = (v: unknown): GeneratedValue =>
    v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  return csvOfRows(
    columns,
    objects.map((o) => columns.map((c) => cell(o[c]))),
  );
}

/** The header of a CSV text (first line), split at unquoted commas. */
export function csvHeader(text: string): string[] {
  const line = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((h) => h.trim());
}

/**
 * The macro an export with Spark SQL ships (macros/quanta_spark_seeds.sql): dbt-spark's session
 * method (dbt/adapters/spark/session.py) formats every seed cell into the INSERT as `'<value>'`,
 * so an empty cell (None) loads as the text 'None' and a quote in a cell breaks the statement.
 * This override of dbt-spark's `spark__load_csv_rows` (the root project's macro wins dbt's
 * dispatch) writes each cell as a Spark literal itself: NULL for an empty cell, strings quoted
 * with their quotes and backslashes escaped. It does so on every method: dbt does not show the
 * method to Jinja (`target` holds only host, port, cluster, endpoint, schema and organization),
 * and literals are plain Spark SQL on each of them.
 */
export const SPARK_SEED_MACRO = `{#- Written by quanta export dbt: see the README's notes on Spark. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(get_batch_size()) %}
    {% set sql %}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for col_name in agate_table.column_names -%}
          {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
          cast({{ quanta_spark_literal(row[loop.index0]) }} as {{ type }})
          {%- if not loop.last %},{% endif -%}
        {%- endfor -%})
        {%- if not loop.last %},{% endif %}
      {% endfor %}
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {% if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif %}
  {% endfor %}
  {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro quanta_spark_literal(value) -%}
  {%- if value is none -%}NULL
  {%- elif value is sameas true -%}true
  {%- elif value is sameas false -%}false
  {%- elif value is number -%}{{ value }}
  {%- else -%}'{{ (value | string).replace('\\\\', '\\\\\\\\').replace("'", "\\\\'") }}'
  {%- endif -%}
{%- endmacro %}
`;

/**
 * The macro an export ships when a seed written from a Parquet file holds empty strings
 * (macros/quanta_duckdb_seeds.sql): dbt-duckdb loads a seed with `COPY … (FORMAT CSV)`, which
 * reads a quoted empty cell `""` as NULL, so an empty string would come back NULL. For the
 * seeds whose meta says `quoted_empty_strings`, this override of dbt-duckdb's
 * `duckdb__load_csv_rows` (the root project's macro wins dbt's dispatch) adds
 * `ALLOW_QUOTED_NULLS false`; every other seed loads through dbt-duckdb's own macro, unchanged
 * (`dbt.duckdb__load_csv_rows`: an adapter's macros are in dbt's global namespace).
 */
export const DUCKDB_SEED_MACRO = `{#- Written by quanta export dbt: see the README's notes on seeds. -#}
{% macro duckdb__load_csv_rows(model, agate_table) %}
  {% if config.get('fast', true) and model['config'].get('meta', {}).get('quanta', {}).get('quoted_empty_strings') %}
    {% set sql %}
      COPY {{ this.render() }} FROM '{{ adapter.get_seed_file_path(model) }}' (FORMAT CSV, HEADER TRUE, DELIMITER ',', ALLOW_QUOTED_NULLS false)
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {{ return(sql) }}
  {% endif %}
  {{ return(dbt.duckdb__load_csv_rows(model, agate_table)) }}
{% endmacro %}
`;
