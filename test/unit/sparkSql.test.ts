import { existsSync } from 'node:fs';
import nodePath from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDbtFrom } from '../../core/export/dbtExport.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { SPARK_FUNCTIONS } from '../../core/node/sparkFunctions.ts';
import {
  duckdbToSpark,
  duckdbWithoutQualify,
  javaDatePattern,
  renameSparkFunctions,
  unknownSparkFunctions,
} from '../../core/node/sparkSql.ts';
import { REPO, sampleInMemory } from '../helpers.ts';

/*
 * DuckDB → Spark SQL of `quanta export dbt` (core/node/sparkSql.ts): the rewrites on polyglot's
 * AST, each shown on the SQL it yields; the QUALIFY rewrite also run in a real DuckDB, where it
 * must give the rows of the query as written. That Spark runs the result is proven by the
 * interop suite (test/interop/dbtBuild.test.ts builds every sample on a local Spark session).
 */

function spark(sql: string): string {
  const result = duckdbToSpark(sql);
  if ('error' in result) throw new Error(result.error);
  return result.sql;
}

let db: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
  await connection.run(`CREATE TABLE t AS SELECT * FROM (VALUES
    (1, 'a', 10, 'x'), (2, 'a', 30, 'y'), (3, 'b', 20, 'x'), (4, 'b', 20, 'z'), (5, 'c', NULL, 'x'), (6, 'c', 5, 'x')
  ) AS v(id, grp, score, tag)`);
});
afterAll(() => {
  connection.closeSync();
  db.closeSync();
});

async function rows(sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

describe('QUALIFY, which Spark 3.5 does not have', () => {
  const queries = {
    'in a CTE': `WITH best AS (SELECT id, grp FROM t QUALIFY row_number() OVER (PARTITION BY grp ORDER BY score DESC NULLS LAST, id) = 1)
      SELECT * FROM best ORDER BY id`,
    'in a subquery, on a select alias': `SELECT * FROM (SELECT id, grp, rank() OVER (ORDER BY score) AS r FROM t QUALIFY r <= 2) ORDER BY id`,
    'with a column of a table the list does not select': `SELECT id FROM t AS x QUALIFY x.tag = 'x' AND count(*) OVER (PARTITION BY x.grp) = 2 ORDER BY id`,
    'on an aggregate of a grouped query': `SELECT grp, count(*) AS n FROM t GROUP BY grp QUALIFY sum(score) > 20 AND row_number() OVER (ORDER BY grp) <= 2 ORDER BY grp`,
    'before DISTINCT, ORDER BY and LIMIT, as DuckDB applies them': `SELECT DISTINCT tag FROM t QUALIFY row_number() OVER (PARTITION BY grp ORDER BY id) = 1 ORDER BY tag DESC LIMIT 2`,
    'with an unnamed expression': `SELECT id + 1 FROM t QUALIFY lag(score) OVER (ORDER BY id) IS NOT NULL ORDER BY 1`,
  };

  it.each(Object.entries(queries))('%s: rewritten to a filtering subquery with the same rows in DuckDB', async (_, sql) => {
    const rewritten = duckdbWithoutQualify(sql);
    expect(rewritten).not.toMatch(/\bQUALIFY\b/i);
    expect(await rows(rewritten)).toEqual(await rows(sql));
    expect(spark(sql)).not.toMatch(/\bQUALIFY\b/i);
  });

  it('with `*` keeps every column and adds the filter columns (Spark 3.5 has no `* EXCEPT`)', async () => {
    const sql = 'SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY grp ORDER BY id) = 1 ORDER BY id';
    const got = await rows(duckdbWithoutQualify(sql));
    expect(got.map((r) => r.slice(0, 4))).toEqual(await rows(sql));
    expect(spark(sql)).toContain('_qualify_0');
  });
});

describe("DuckDB's functions that Spark names otherwise", () => {
  it.each([
    ['to_seconds(n)', 'MAKE_DT_INTERVAL(0, 0, 0, n)'],
    ['to_minutes(n)', 'MAKE_DT_INTERVAL(0, 0, n)'],
    ['to_hours(n)', 'MAKE_DT_INTERVAL(0, n)'],
    ['to_days(n)', 'MAKE_DT_INTERVAL(n)'],
    ['to_weeks(n)', 'MAKE_DT_INTERVAL(n * 7)'],
    ['to_weeks(a + b)', 'MAKE_DT_INTERVAL((a + b) * 7)'],
    ['to_milliseconds(n)', 'MAKE_DT_INTERVAL(0, 0, 0, n / 1000)'],
    ['to_months(n)', 'MAKE_YM_INTERVAL(0, n)'],
    ['to_years(n)', 'MAKE_YM_INTERVAL(n)'],
    ['isodow(d)', 'EXTRACT(DOW_ISO FROM d)'],
    ['arg_max(v, n)', 'MAX_BY(v, n)'],
    ['arg_min(v, n)', 'MIN_BY(v, n)'],
  ])('%s becomes %s', (duckdb, sparkCall) => {
    // Compared without white space: polyglot's pretty printer breaks parenthesised arguments over lines.
    const squeezed = (sql: string): string => sql.replace(/\s+/g, '');
    expect(squeezed(spark(`SELECT ${duckdb} AS x FROM t`))).toBe(squeezed(`SELECT ${sparkCall} AS x FROM t`));
  });

  it.each([
    ['%Y-%m-%d %H:%M:%S', 'yyyy-MM-dd HH:mm:ss'],
    ['%Y%m%dT%H%M%S', "yyyyMMdd'T'HHmmss"],
    ["week %d of %B, 100%% it's", "'week 'dd' of 'MMMM', 100% it''s'"],
    ['[%-d/%-m]', "'['d/M']'"],
  ])('strftime format %s is the Java pattern %s, text between the codes quoted', (format, pattern) => {
    expect(javaDatePattern(format)).toBe(pattern);
  });

  it('strftime becomes date_format with that pattern; a format with a code Spark lacks is left to polyglot', () => {
    expect(spark("SELECT strftime(min(at), '%Y%m%dT%H%M%S') AS id FROM t")).toContain("DATE_FORMAT(MIN(at), 'yyyyMMdd\\'T\\'HHmmss')");
    expect(javaDatePattern('%U')).toBeUndefined();
  });

  it('interval constructors keep their argument expression', () => {
    const sql = spark('SELECT CAST(at AS TIMESTAMP) + to_seconds(CAST(sum(s) OVER (ORDER BY at) AS BIGINT)) AS e FROM t');
    expect(sql.replace(/\s+/g, ' ')).toContain(
      'MAKE_DT_INTERVAL( 0, 0, 0, CAST(ROUND(CAST(SUM(s) OVER (ORDER BY at NULLS LAST) AS DECIMAL(38, 10))) AS BIGINT) )',
    );
  });

  it('renames arg_max only where it is a call: not in strings, comments, quoted names or qualified names', () => {
    const sql = "SELECT arg_max(a, b), 'arg_max(x)', `arg_max`, my.arg_max(a) /* arg_max( */ FROM t";
    expect(renameSparkFunctions(sql)).toBe("SELECT MAX_BY(a, b), 'arg_max(x)', `arg_max`, my.arg_max(a) /* arg_max( */ FROM t");
    expect(renameSparkFunctions("SELECT 'é😀', arg_min(a, b) FROM t")).toBe("SELECT 'é😀', MIN_BY(a, b) FROM t");
  });
});

describe('casts to an integer type, which DuckDB rounds and Spark truncates', () => {
  it('round through DECIMAL in the Spark SQL; an integer literal is left as it is', () => {
    const sql = spark('SELECT CAST(s * 0.6 AS INTEGER) AS a, CAST(7 AS INTEGER) AS b, CAST(s AS BIGINT) AS c FROM t');
    expect(sql).toContain('CAST(ROUND(CAST(s * 0.6 AS DECIMAL(38, 10))) AS INT) AS a');
    expect(sql).toContain('CAST(7 AS INT) AS b');
    expect(sql).toContain('CAST(ROUND(CAST(s AS DECIMAL(38, 10))) AS BIGINT) AS c');
  });

  it('the rounding form gives what DuckDB gives for decimals, doubles off the half, booleans, text and big integers', async () => {
    const values = ['245 * 0.6', '-2.5::DECIMAL(3, 1)', '96.7::DOUBLE', '-3.2::DOUBLE', 'true', "'42'", '9007199254740993::BIGINT'];
    for (const v of values) {
      const [[duckdb, rewritten]] = (await rows(`SELECT CAST(${v} AS BIGINT), CAST(round(CAST(${v} AS DECIMAL(38, 10))) AS BIGINT)`)) as [
        [unknown, unknown],
      ];
      expect(rewritten, v).toEqual(duckdb);
    }
  });
});

describe('date_diff, which counts boundaries in DuckDB and whole parts elapsed in Spark', () => {
  it("compares the values truncated to the part, which leaves DuckDB's answer as it is", async () => {
    const sql =
      "SELECT date_diff('second', a, b) AS s, date_diff('day', a, b) AS d FROM (SELECT TIMESTAMP '2026-11-01 23:59:59.9' AS a, TIMESTAMP '2026-11-02 00:00:00.1' AS b)";
    const sparkSql = spark(sql);
    expect(sparkSql).toContain("DATEDIFF(SECOND, DATE_TRUNC('second', a), DATE_TRUNC('second', b))");
    expect(sparkSql).toContain("DATEDIFF(DAY, DATE_TRUNC('day', a), DATE_TRUNC('day', b))");
    const truncated =
      "SELECT date_diff('second', date_trunc('second', a), date_trunc('second', b)) AS s, date_diff('day', date_trunc('day', a), date_trunc('day', b)) AS d FROM (SELECT TIMESTAMP '2026-11-01 23:59:59.9' AS a, TIMESTAMP '2026-11-02 00:00:00.1' AS b)";
    expect(await rows(truncated)).toEqual(await rows(sql));
    expect(await rows(sql)).toEqual([[1, 1]]);
  });
});

describe("functions Spark's built-in list does not have", () => {
  it('are an error naming each of them, found in the generated SQL, not by running it', () => {
    expect(duckdbToSpark("SELECT list_reverse(l), foo(1), levenshtein(a, 'b') FROM t")).toEqual({
      error: expect.stringMatching(/^Spark 3\.5\.\d+ has no function foo, list_reverse$/),
    });
    expect(unknownSparkFunctions('SELECT date_format(d, "yyyy"), max_by(a, b), mode(c) FROM t')).toEqual([]);
  });

  it('come from a list generated from Spark itself, with the script that made it', () => {
    expect(existsSync(nodePath.join(REPO, 'scripts', 'sparkFunctions.py'))).toBe(true);
    expect(SPARK_FUNCTIONS.size).toBeGreaterThan(300);
    for (const name of ['make_dt_interval', 'max_by', 'date_format', 'row_number']) expect(SPARK_FUNCTIONS.has(name)).toBe(true);
    for (const name of ['to_seconds', 'arg_max', 'isodow', 'strftime']) expect(SPARK_FUNCTIONS.has(name)).toBe(false);
  });
});

describe('the samples exported with Spark SQL', () => {
  it.each(['hello-mesh', 'retail', 'daff'])(
    '%s: every model and rule transpiles, and seeds load through the NULL-keeping macro',
    async (name) => {
      const { files } = await sampleInMemory(name);
      const fs = new MemoryFileSystem(files);
      const { mesh } = await loadMesh(fs);
      const out = await exportDbtFrom(fs, mesh, { spark: duckdbToSpark });
      expect(out.notes.filter((n) => n.text.includes('not transpiled'))).toEqual([]);
      const macro = out.files.get('macros/quanta_spark_seeds.sql') ?? '';
      expect(macro).toContain('macro spark__load_csv_rows');
      expect(macro).toContain('quanta_spark_literal(row[loop.index0])');
      expect(out.notes.some((n) => n.text.includes('quanta_spark_seeds.sql'))).toBe(true);
      const duckdbOnly = await exportDbtFrom(fs, mesh, {});
      expect(duckdbOnly.files.has('macros/quanta_spark_seeds.sql')).toBe(false);
    },
  );
});
