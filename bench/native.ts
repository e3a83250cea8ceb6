import { BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { checkSchemaConformance, evaluateCheck, quoteIdent } from '../core/contracts/contractChecks.ts';
import type { GeneratedBatch, GeneratedValue } from '../core/generate/generator.ts';
import { MeshSourceGenerator } from '../core/generate/meshSources.ts';
import { indexPublishers, LineageGraph, resolveInputPort } from '../core/lineage/lineageGraph.ts';
import type { DataProduct, Mesh, Source } from '../core/model/types.ts';
import { declaredColumnTypes } from '../core/run/declaredTypes.ts';
import { compilePort } from '../core/run/meshRuntime.ts';
import { isQuery, splitStatements } from '../core/sql/splitStatements.ts';
import { measureAllSql } from '../workers/quantum/measureChecks.ts';

/*
 * The baseline: the same mesh's SQL in ONE native DuckDB (@duckdb/node-api), one connection,
 * `SET threads = 1`. Each product gets its own schema; its sources are loaded into it from the
 * very values the mesh runtime generates (same generator, same seeds), its input ports are
 * views on the upstream schema's port tables (no copy: one database needs no edges), and its
 * transform.sql runs unchanged with the same rule the quantum applies (a final SELECT of a
 * single-port product becomes CREATE TABLE <port> AS …). Then each output port's contract
 * checks run as the mesh runs them: DESCRIBE for schema conformance, and the compiled ODCS
 * checks (the runtime's own compilePort) as the very SQL text the quantum sends to DuckDB
 * (measureAllSql). Both are SQL the product needs to publish, so they count on both sides
 * (checksMs says how much). No profiles, no Arrow export, no hashing: that is the work the
 * mesh adds, and what the ratio measures.
 */

export interface NativeProductTiming {
  readonly product: string;
  readonly loadMs: number;
  readonly transformMs: number;
  /** Schema conformance and contract checks of its ports. */
  readonly checksMs: number;
  /** Verdicts as the runtime counts them: checks passed, and checks failed plus schema problems. */
  readonly passedChecks: number;
  readonly failedChecks: number;
  /** Output rows, summed over the product's ports. */
  readonly rows: number;
}

export interface NativeRun {
  /** Wall time of the whole run: instance, loads, transforms, counting rows. Excludes generating values (generateMs). */
  readonly wallMs: number;
  /** Generating the source values in JS with the mesh's generator (done before the clock starts). */
  readonly generateMs: number;
  readonly loadMs: number;
  readonly transformMs: number;
  readonly checksMs: number;
  readonly threads: number;
  readonly version: string;
  readonly products: readonly NativeProductTiming[];
}

const schemaOf = (product: string): string => quoteIdent(`p_${product}`);

/**
 * Generates every generator source of the mesh, as the runtime does for tick 0. A seed file
 * source is an error unless `seedFiles` (the cold baselines: runNative reads it from `seedDir`).
 */
export function generateSources(
  mesh: Mesh,
  options: { readonly seedFiles?: boolean } = {},
): { batches: Map<string, GeneratedBatch>; ms: number } {
  const started = performance.now();
  const generator = new MeshSourceGenerator(mesh.products);
  const batches = new Map<string, GeneratedBatch>();
  for (const product of mesh.products) {
    for (const source of product.settings?.sources ?? []) {
      if (source.generator) batches.set(`${product.id}/${source.name}`, generator.batch(product.id, source.name, 0));
      else if (options.seedFiles === true && source.resolvedFile !== undefined) continue;
      else
        throw new Error(
          `bench: ${product.id} source "${source.name}" is not a generator source; the native baseline loads generated data only`,
        );
    }
  }
  return { batches, ms: performance.now() - started };
}

/** `seedDir`: the mesh folder on disk, for seed file sources (CSV, read with the types the contracts declare, as a quantum does). */
export async function runNative(
  mesh: Mesh,
  batches: ReadonlyMap<string, GeneratedBatch>,
  generateMs: number,
  seedDir?: string,
): Promise<NativeRun> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('SET threads = 1');
    const settings = (
      await connection.runAndReadAll("SELECT current_setting('threads') AS threads, version() AS version")
    ).getRowObjects()[0];
    const graph = new LineageGraph(mesh.products);
    const { order, cycles } = graph.topologicalOrder();
    if (cycles.length > 0) throw new Error(`bench: the mesh has a lineage cycle (${cycles.map((c) => c.join(' → ')).join('; ')})`);
    const byId = new Map(mesh.products.map((p) => [p.id, p]));
    const publishers = indexPublishers(mesh.products);
    const products: NativeProductTiming[] = [];
    for (const id of order) {
      const product = byId.get(id);
      if (!product) continue;
      await connection.run(`CREATE SCHEMA ${schemaOf(id)}`);
      await connection.run(`USE ${schemaOf(id)}`);
      const loadStarted = performance.now();
      for (const source of product.settings?.sources ?? []) {
        const batch = batches.get(`${id}/${source.name}`);
        if (!batch && seedDir !== undefined && source.resolvedFile !== undefined) {
          await loadSeedFile(connection, product, source, `${seedDir}/${source.resolvedFile}`);
          continue;
        }
        if (!batch) throw new Error(`bench: no generated values for ${id}/${source.name}`);
        await appendBatch(connection, `p_${id}`, source.name, batch);
      }
      for (const port of product.inputPorts) {
        const publisher = resolveInputPort(publishers, port);
        if (!publisher) throw new Error(`bench: input port ${id}.${port.name} reads ${port.contractId}, which no port publishes`);
        await connection.run(
          `CREATE VIEW ${quoteIdent(port.name)} AS SELECT * FROM ${schemaOf(publisher.product.id)}.${quoteIdent(publisher.port.name)}`,
        );
      }
      const transformStarted = performance.now();
      await runTransform(connection, product);
      const transformEnded = performance.now();
      let rows = 0;
      for (const port of product.outputPorts) {
        const counted = (await connection.runAndReadAll(`SELECT count(*) AS n FROM ${quoteIdent(port.name)}`)).getRowObjects()[0];
        rows += Number(counted?.['n'] ?? 0);
      }
      const checksStarted = performance.now();
      const { passed, failed } = await runChecks(connection, product);
      products.push({
        product: id,
        loadMs: transformStarted - loadStarted,
        transformMs: transformEnded - transformStarted,
        checksMs: performance.now() - checksStarted,
        passedChecks: passed,
        failedChecks: failed,
        rows,
      });
    }
    return {
      wallMs: performance.now() - started,
      generateMs,
      loadMs: products.reduce((s, p) => s + p.loadMs, 0),
      transformMs: products.reduce((s, p) => s + p.transformMs, 0),
      checksMs: products.reduce((s, p) => s + p.checksMs, 0),
      threads: Number(settings?.['threads'] ?? 0),
      version: String(settings?.['version'] ?? '?'),
      products,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runTransform(connection: DuckDBConnection, product: DataProduct): Promise<void> {
  const transform = product.transform;
  if (!transform) throw new Error(`bench: ${product.id} has no transform.sql`);
  const statements = splitStatements(transform.text);
  const [onlyPort] = product.outputPorts;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    if (!statement) continue;
    const last = i === statements.length - 1;
    const sql =
      last && product.outputPorts.length === 1 && onlyPort && isQuery(statement.text)
        ? `CREATE TABLE ${quoteIdent(onlyPort.name)} AS ${statement.text}`
        : statement.text;
    try {
      await connection.run(sql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`bench: native DuckDB failed on ${transform.path}:${statement.line}: ${message}`, { cause: error });
    }
  }
}

/**
 * A product's contract checks, as the mesh runs them before a publish: per output port,
 * DESCRIBE for schema conformance, then every compiled check in one query (one check: its
 * own query; if the union fails, one by one), and each verdict judged.
 */
async function runChecks(connection: DuckDBConnection, product: DataProduct): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const port of product.outputPorts) {
    const { checks, table } = compilePort(port.name, port.contract);
    if (!port.contract) continue;
    const described = (await connection.runAndReadAll(`DESCRIBE ${quoteIdent(port.name)}`)).getRowObjects();
    const columns = described.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
    failed += checkSchemaConformance(port.contract, table, columns).length;
    const measured = new Map<number, { value: number; total: number }>();
    const one = async (i: number, sql: string): Promise<void> => {
      const row = (await connection.runAndReadAll(sql)).getRowObjects()[0];
      measured.set(i, { value: Number(row?.['value'] ?? 0), total: Number(row?.['total'] ?? 0) });
    };
    if (checks.length <= 1) {
      for (const [i, check] of checks.entries()) await one(i, check.sql);
    } else {
      try {
        for (const row of (await connection.runAndReadAll(measureAllSql(checks))).getRowObjects()) {
          measured.set(Number(row['i']), { value: Number(row['value'] ?? 0), total: Number(row['total'] ?? 0) });
        }
      } catch {
        for (const [i, check] of checks.entries()) await one(i, check.sql);
      }
    }
    for (const [i, check] of checks.entries()) {
      const m = measured.get(i);
      if (m && evaluateCheck(check, m.value, m.total).passed) passed += 1;
      else failed += 1;
    }
  }
  return { passed, failed };
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * A CSV seed as workers/quantum/loadSeeds.ts reads it: header, auto-detect, and the column
 * types the product's contracts declare (core/run/declaredTypes.ts) for columns the file has.
 */
async function loadSeedFile(connection: DuckDBConnection, product: DataProduct, source: Source, path: string): Promise<void> {
  if ((source.format ?? 'csv') !== 'csv')
    throw new Error(`bench: ${product.id} source "${source.name}" is ${source.format ?? '?'}; the native baseline reads CSV seeds only`);
  const contracts = product.outputPorts.flatMap((port) => (port.contract ? [port.contract] : []));
  const declared = declaredColumnTypes(contracts, () => ({ line: 0, column: 0 }));
  const read = (types: readonly { name: string; type: string }[]): string => {
    const given = types.map((d) => `${sqlString(d.name)}: ${sqlString(d.type)}`).join(', ');
    return `read_csv(${sqlString(path)}, header = true, auto_detect = true${given ? `, types = {${given}}` : ''})`;
  };
  let types: { name: string; type: string }[] = [];
  if (declared.length > 0) {
    const header = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${read([])}`))
      .getRowObjects()
      .map((r) => String(r['column_name']));
    // A declared type is spliced into SQL: only type-shaped text, as loadSeeds.ts does.
    types = declared.filter((d) => header.includes(d.name) && /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(d.type));
  }
  await connection.run(`CREATE TABLE ${quoteIdent(source.name)} AS SELECT * FROM ${read(types)}`);
}

/** Column type as apache-arrow's tableFromJSON infers it on the quantum side: numbers DOUBLE, strings VARCHAR. */
function typeOf(values: readonly GeneratedValue[]): { type: DuckDBType; sql: string } {
  const sample = values.find((v) => v !== null);
  if (typeof sample === 'boolean') return { type: BOOLEAN, sql: 'BOOLEAN' };
  if (typeof sample === 'string') return { type: VARCHAR, sql: 'VARCHAR' };
  return { type: DOUBLE, sql: 'DOUBLE' };
}

const CHUNK = 2048;

async function appendBatch(connection: DuckDBConnection, schema: string, table: string, batch: GeneratedBatch): Promise<void> {
  const types = batch.values.map(typeOf);
  const columns = batch.columns.map((name, c) => `${quoteIdent(name)} ${types[c]?.sql ?? 'DOUBLE'}`).join(', ');
  await connection.run(`CREATE TABLE ${quoteIdent(table)} (${columns})`);
  const appender = await connection.createAppender(table, schema);
  try {
    for (let offset = 0; offset < batch.rowCount; offset += CHUNK) {
      const length = Math.min(CHUNK, batch.rowCount - offset);
      const chunk = DuckDBDataChunk.create(
        types.map((t) => t.type),
        length,
      );
      chunk.setColumns(batch.values.map((column) => column.slice(offset, offset + length)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
