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
  unparsableSparkSyntax,
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

  it('strftime becomes date_format with that pattern; a code Spark lacks, or a computed format, is an error', () => {
    expect(spark("SELECT strftime(min(at), '%Y%m%dT%H%M%S') AS id FROM t")).toContain("DATE_FORMAT(MIN(at), 'yyyyMMdd\\'T\\'HHmmss')");
    expect(javaDatePattern('%U')).toBeUndefined();
    expect(duckdbToSpark("SELECT strftime(at, '%Y week %U') FROM t")).toEqual({
      error: expect.stringContaining("strftime format '%Y week %U'"),
    });
    expect(duckdbToSpark('SELECT strftime(at, f) FROM t')).toEqual({ error: expect.stringContaining('not a literal text') });
  });

  it("list_value and struct literals become Spark's ARRAY(…) and named_struct; a literal Spark cannot parse is an error", () => {
    const sql = spark("SELECT list_value(a, b) AS l, [a, 1] AS m, {'k': a, 'n': 2} AS s FROM t").replace(/\s+/g, ' ');
    expect(sql).toContain('ARRAY(a, b) AS l');
    expect(sql).toContain('ARRAY(a, 1) AS m');
    expect(sql).toContain('STRUCT(a AS k, 2 AS n) AS s');
    expect(unparsableSparkSyntax('SELECT ARRAY[1, 2], arr[0] FROM t')).toBe("an 'ARRAY[…]' literal");
    expect(unparsableSparkSyntax("SELECT '{ARRAY[1]}', `{x}`, arr[0] FROM t")).toBeUndefined();
    expect(spark("SELECT {'y': [1]} AS s FROM t").replace(/\s+/g, ' ')).toContain('STRUCT(ARRAY(1) AS y) AS s');
  });

  it('interval constructors keep their argument expression', () => {
    const sql = spark('SELECT CAST(at AS TIMESTAMP) + to_seconds(CAST(sum(s) OVER (ORDER BY at) AS BIGINT)) AS e FROM t');
    expect(sql.replace(/\s+/g, ' ')).toContain(
      'ELSE CAST(ROUND(CAST(SUM(s) OVER (ORDER BY at NULLS LAST) AS DECIMAL(38, 10))) AS BIGINT) END ) AS e',
    );
  });

  it('renames arg_max only where it is a call: not in strings, comments, quoted names or qualified names', () => {
    const sql = "SELECT arg_max(a, b), 'arg_max(x)', `arg_max`, my.arg_max(a) /* arg_max( */ FROM t";
    expect(renameSparkFunctions(sql)).toBe("SELECT MAX_BY(a, b), 'arg_max(x)', `arg_max`, my.arg_max(a) /* arg_max( */ FROM t");
    expect(renameSparkFunctions("SELECT 'é😀', arg_min(a, b) FROM t")).toBe("SELECT 'é😀', MIN_BY(a, b) FROM t");
  });
});

describe('casts to an integer type, which DuckDB rounds and Spark truncates', () => {
  it('a DOUBLE rounds half to even (bround), anything else through DECIMAL and round; an integer literal is left as it is', () => {
    const sql = spark(
      'SELECT CAST(s * 0.6 AS INTEGER) AS a, CAST(7 AS INTEGER) AS b, CAST(s AS BIGINT) AS c, CAST(s / 2 AS INT) AS d FROM t',
    );
    const flat = sql.replace(/\s+/g, ' ');
    expect(flat).toContain(
      "CASE WHEN TYPEOF(s * 0.6) IN ('double', 'float') THEN CAST(BROUND(CAST(s * 0.6 AS DOUBLE)) AS INT) ELSE CAST(ROUND(CAST(s * 0.6 AS DECIMAL(38, 10))) AS INT) END AS a",
    );
    expect(flat).toContain('CAST(7 AS INT) AS b');
    expect(flat).toContain('ELSE CAST(ROUND(CAST(s AS DECIMAL(38, 10))) AS BIGINT) END AS c');
    // A division is a DOUBLE in DuckDB, so its cast needs no CASE.
    expect(flat).toContain('CAST(BROUND(CAST(s AS DOUBLE) / CAST(2 AS DOUBLE)) AS INT) AS d');
  });

  it("each form gives DuckDB's own cast: decimals, doubles on and off the half, booleans, text and big integers", async () => {
    const exact = ['245 * 0.6', '-2.5::DECIMAL(3, 1)', 'true', "'42'", '9007199254740993::BIGINT', '2.5::DECIMAL(2, 1)'];
    for (const v of exact) {
      const [[duckdb, rewritten]] = (await rows(`SELECT CAST(${v} AS BIGINT), CAST(round(CAST(${v} AS DECIMAL(38, 10))) AS BIGINT)`)) as [
        [unknown, unknown],
      ];
      expect(rewritten, v).toEqual(duckdb);
    }
    // bround is Spark's round half to even of the double, which is DuckDB's round_even.
    const doubles = ['96.7', '-3.2', '2.5', '3.5', '-2.5', '2.4999999999999996', '0.5', '-0.5'];
    for (const v of doubles) {
      const [[duckdb, rewritten]] = (await rows(
        `SELECT CAST((${v})::DOUBLE AS BIGINT), CAST(round_even((${v})::DOUBLE, 0) AS BIGINT)`,
      )) as [[unknown, unknown]];
      expect(rewritten, v).toEqual(duckdb);
    }
  });
});

describe('casts of a DOUBLE to DECIMAL, which DuckDB rounds from x · 10^s and Spark from the shortest decimal text', () => {
  it('a DOUBLE operand gets round(x * 1E<s>) / 1E<s>, an unknown one a CASE on typeof, an exact one stays a cast', () => {
    const sql = spark(
      'SELECT CAST(sum(a) / count(*) AS DECIMAL(10, 2)) AS avg, CAST(share AS DECIMAL(5, 4)) AS share, CAST(2 AS DECIMAL(5, 2)) AS two, ' +
        'CAST(CAST(v AS DECIMAL(10, 2)) AS DECIMAL(5, 1)) AS narrowed, CAST(v AS DECIMAL) AS plain FROM t',
    ).replace(/\s+/g, ' ');
    expect(sql).toContain('CAST(ROUND(CAST(SUM(a) AS DOUBLE) / CAST(COUNT(*) AS DOUBLE) * 1E2) / 1E2 AS DECIMAL(10, 2)) AS avg');
    expect(sql).toContain(
      "CASE WHEN TYPEOF(share) IN ('double', 'float') THEN CAST(ROUND(CAST(share AS DOUBLE) * 1E4) / 1E4 AS DECIMAL(5, 4)) ELSE CAST(share AS DECIMAL(5, 4)) END AS share",
    );
    expect(sql).toContain('CAST(2 AS DECIMAL(5, 2)) AS two');
    // The inner CASE is a DECIMAL either way: the outer cast is left plain (no CASE in a CASE).
    expect(sql).toMatch(/CAST\(CASE WHEN TYPEOF\(v\) .* END AS DECIMAL\(5, 1\)\) AS narrowed/);
    // DuckDB's DECIMAL without a width is DECIMAL(18, 3), where Spark's would be (10, 0).
    expect(sql).toContain('ELSE CAST(v AS DECIMAL(18, 3)) END AS plain');
  });

  it("the DOUBLE form is DuckDB's own cast, on halves that part the engines and on 200,000 quotients", async () => {
    const halves = ['0.00015', '0.12345', '0.03125', '-0.03125', '16.705', '1.0 / 3', '2.675', '-0.00005', '0'];
    for (const v of halves) {
      const [[duckdb, rewritten]] = (await rows(
        `SELECT CAST((${v})::DOUBLE AS DECIMAL(9, 4))::VARCHAR, CAST(round((${v})::DOUBLE * 1E4) / 1E4 AS DECIMAL(9, 4))::VARCHAR`,
      )) as [[unknown, unknown]];
      expect(rewritten, v).toEqual(duckdb);
    }
    expect(await rows('SELECT CAST(0.00015::DOUBLE AS DECIMAL(5, 4))::VARCHAR')).toEqual([['0.0001']]); // Spark's plain cast: 0.0002
    const [[differing]] = (await rows(`
      WITH v AS (SELECT (i % 100000) / (1 + (i * 7919) % 977)::DOUBLE AS x FROM range(200000) AS r(i))
      SELECT count(*) FILTER (WHERE CAST(x AS DECIMAL(18, 4)) <> CAST(round(x * 1E4) / 1E4 AS DECIMAL(18, 4))) FROM v`)) as [[unknown]];
    expect(differing).toBe(0);
  });

  it("an average is a DOUBLE, a DECIMAL's the sum divided as DOUBLEs, in a window too; DISTINCT and FILTER are left as they are", () => {
    const sql = spark(
      'SELECT CAST(avg(x) AS DECIMAL(10, 2)) AS a, avg(x) OVER (PARTITION BY g) AS w, avg(DISTINCT x) AS d, avg(x) FILTER (WHERE x > 0) AS f FROM t GROUP BY g, x',
    ).replace(/\s+/g, ' ');
    // A DOUBLE either way, so its cast is the DOUBLE form directly; typeof reads the sum, an aggregate, as GROUP BY needs.
    expect(sql).toContain(
      "CAST(ROUND( CASE WHEN TYPEOF(SUM(x)) LIKE 'decimal%' THEN CAST(SUM(x) AS DOUBLE) / CAST(COUNT(x) AS DOUBLE) ELSE AVG(x) END * 1E2 ) / 1E2 AS DECIMAL(10, 2)) AS a",
    );
    expect(sql).toContain(
      "CASE WHEN TYPEOF(x) LIKE 'decimal%' THEN CAST(SUM(x) OVER (PARTITION BY g) AS DOUBLE) / CAST(COUNT(x) OVER (PARTITION BY g) AS DOUBLE) ELSE AVG(x) OVER (PARTITION BY g) END AS w",
    );
    expect(sql).toContain('AVG(DISTINCT x) AS d');
    expect(sql).toContain('AVG(x) FILTER(WHERE x > 0) AS f');
  });

  it("the DECIMAL form rounds as DuckDB's average does, to the digits a cast keeps, on a half and on 997 groups", async () => {
    expect(
      await rows(
        'SELECT CAST(avg(x) AS DECIMAL(10, 2))::VARCHAR, CAST(CAST(sum(x) AS DOUBLE) / CAST(count(x) AS DOUBLE) AS DECIMAL(10, 2))::VARCHAR FROM (VALUES (10.20::DECIMAL(10, 2)), (23.21::DECIMAL(10, 2))) AS v(x)',
      ),
    ).toEqual([['16.70', '16.70']]); // Spark's exact average, 16.705000, casts to 16.71
    const [[groups, differing]] = (await rows(`
      WITH v AS (SELECT i % 997 AS g, ((i * 7919) % 100003 / 100.0)::DECIMAL(12, 2) AS x FROM range(300000) AS r(i)),
      a AS (SELECT g, avg(x) AS duckdb, CAST(sum(x) AS DOUBLE) / CAST(count(x) AS DOUBLE) AS ours FROM v GROUP BY g)
      SELECT count(*), count(*) FILTER (WHERE CAST(duckdb AS DECIMAL(10, 2)) <> CAST(ours AS DECIMAL(10, 2))) FROM a`)) as [
      [unknown, unknown],
    ];
    expect([groups, differing]).toEqual([997, 0]);
  });

  it("casts nested in functions of unknown type are bounded: a hostile mesh's nesting is a per-model error, not an exhausted export", () => {
    let nested = 'x';
    for (let i = 0; i < 14; i++) nested = `CAST(coalesce_like(${nested}) AS INTEGER)`;
    expect(duckdbToSpark(`SELECT ${nested} AS n FROM t`)).toEqual({ error: expect.stringContaining('too large to carry') });
    let shallow = 'x';
    for (let i = 0; i < 3; i++) shallow = `CAST(abs(${shallow}) AS INTEGER)`;
    expect(spark(`SELECT ${shallow} AS n FROM t`)).toContain('BROUND');
  });

  it('a division becomes one of DOUBLEs, as DuckDB divides a DECIMAL; an interval division is left alone', async () => {
    const sql = spark('SELECT a / b AS q, INTERVAL 1 DAY / 2 AS i, to_seconds(n) / 2 AS s FROM t').replace(/\s+/g, ' ');
    expect(sql).toContain('CAST(a AS DOUBLE) / CAST(b AS DOUBLE) AS q');
    expect(sql).toContain("INTERVAL '1' DAY / 2 AS i");
    expect(sql).not.toContain('CAST(MAKE_DT_INTERVAL');
    const [[typeOf, duckdb, rewritten]] = (await rows(
      'SELECT typeof(33.41::DECIMAL(12, 2) / 2::BIGINT), 33.41::DECIMAL(12, 2) / 2::BIGINT, CAST(33.41::DECIMAL(12, 2) AS DOUBLE) / CAST(2::BIGINT AS DOUBLE)',
    )) as [[unknown, unknown, unknown]];
    expect(typeOf).toBe('DOUBLE');
    expect(rewritten).toBe(duckdb);
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
