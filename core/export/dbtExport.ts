import { isClassified } from '../contracts/constraintChecks.ts';
import type { ContractCheck } from '../contracts/checkTypes.ts';
import { MeshSourceGenerator } from '../generate/meshSources.ts';
import { portVisibility } from '../governance/access/access.ts';
import { indexPublishers, resolveInputPort } from '../lineage/lineageGraph.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { MeshFileSystem } from '../fs/meshFileSystem.ts';
import type { DataProduct, Mesh, OutputPort, Source } from '../model/types.ts';
import { declaredColumnTypes, duckdbTypeOf } from '../run/declaredTypes.ts';
import { compilePort } from '../run/publishVerdict.ts';
import { isQuery, splitStatements, stripComments } from '../sql/splitStatements.ts';
import { csvHeader, csvOfBatch, csvOfJsonLines, DUCKDB_SEED_MACRO, generatedColumnType, SPARK_SEED_MACRO } from './dbtSeeds.ts';
import { dataTypes, sparkType } from './dbtTypes.ts';
import { dbtName, majorVersion, modelName, seedName, sqlIdent, yamlString } from './dbtNames.ts';
import { loomConfigYaml, planProjects, type DbtLayout, type DbtProject } from './dbtLayout.ts';
import { meshRelationships } from './dbtRelationships.ts';
import { ParquetError } from '../parquet/readParquet.ts';
import { parquetSeed, type ParquetSeed } from './parquetSeed.ts';

/*
 * `quanta export dbt`: the mesh as a dbt project the teams build unchanged on their warehouse
 * (docs/dbt-export.md). Each output port becomes a model whose SQL is the product's own
 * transform, its input tables bound to `ref()` by a CTE per input port and source — the
 * transform's text is never rewritten, so there is no SQL parsing to get wrong. Each model's
 * contract is enforced with the ODCS schema's types, access follows the port's visibility, a
 * group per domain carries the owner team, the contract's major version is the model version,
 * and the contract's rules become dbt tests: not_null, unique and accepted_values where they
 * say the same, and Quanta's own compiled check (the same SQL a quantum measures) as a singular
 * test for everything else. What dbt cannot express is listed in `notes` and in the
 * generated README, never dropped silently.
 *
 * A mesh is untrusted and dbt renders Jinja in SQL and YAML: mesh text goes into the project
 * inside `{% raw %}` blocks, and a text that would close such a block is refused by name.
 */

/** One query from DuckDB's dialect to another, or why it cannot be. */
export type Transpile = (duckdbSql: string) => { readonly sql: string } | { readonly error: string };

type Dialect = 'duckdb' | 'spark';

export interface DbtExportOptions {
  readonly layout?: DbtLayout;
  /**
   * DuckDB SQL → Spark SQL (`quanta export dbt` passes @polyglot-sql/sdk's transpiler). With
   * it, each model and test holds both dialects and picks by `target.type`; without, DuckDB only.
   */
  readonly spark?: Transpile;
  /** The seed files' text by mesh path (`seedPaths`), read by the caller: `exportDbtFrom` reads them through the mesh's file system. */
  readonly seedTexts?: ReadonlyMap<string, string>;
  /** The Parquet seed files as seed CSV by mesh path, or why one cannot be (`exportDbtFrom` converts them with `parquetSeed`). */
  readonly parquetSeeds?: ReadonlyMap<string, ParquetSeed | { readonly error: string }>;
}

/** Something of the mesh the dbt project does not carry, or carries differently. */
export interface DbtNote {
  readonly product?: string;
  readonly model?: string;
  readonly text: string;
}

export interface DbtExport {
  /** Project-relative path → text. */
  readonly files: ReadonlyMap<string, string>;
  readonly notes: readonly DbtNote[];
  /** The models made, by product and port (port undefined for an intermediate table). */
  readonly models: readonly {
    readonly product: string;
    readonly port?: string;
    readonly model: string;
    readonly version: number;
    /** The dbt project holding it (the folder under --out with project-per-domain). */
    readonly project: string;
  }[];
  /** The projects in build order (one with `one-project`); `dir` is their folder in `files`. */
  readonly projects: readonly DbtProject[];
}

/** What one `CREATE TABLE <name> AS <query>` statement or a closing query makes. */
export interface TableStatement {
  readonly table: string;
  readonly query: string;
}

const RAW_END = /\{%-?\s*endraw/i;

/** Mesh text for a place dbt renders as Jinja: inert inside a raw block (undefined if it would end the block). */
export function jinjaInert(text: string): string | undefined {
  if (RAW_END.test(text)) return undefined;
  return /[{}%#]/.test(text) ? `{% raw %}${text}{% endraw %}` : text;
}

/** The mesh paths of the seed files (CSV, JSON lines, Parquet) the export reads. */
export function seedPaths(mesh: Mesh, format: 'text' | 'parquet' = 'text'): string[] {
  return mesh.products.flatMap((p) =>
    (p.settings?.sources ?? []).flatMap((s) =>
      s.resolvedFile !== undefined && !s.generator && (s.format === 'parquet') === (format === 'parquet') ? [s.resolvedFile] : [],
    ),
  );
}

/**
 * `exportDbt` with the seed files read through `fs` (inside the mesh folder, bounded like every
 * seed read) and the Parquet ones converted; an unreadable seed is a note, a Parquet file that
 * cannot be read or written as CSV a note naming it, and the rest of the export goes on.
 */
export async function exportDbtFrom(
  fs: MeshFileSystem,
  mesh: Mesh,
  options: Omit<DbtExportOptions, 'seedTexts' | 'parquetSeeds'> = {},
): Promise<DbtExport> {
  const seedTexts = new Map<string, string>();
  const parquetSeeds = new Map<string, ParquetSeed | { error: string }>();
  const unread: DbtNote[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  for (const path of new Set(seedPaths(mesh))) {
    try {
      seedTexts.set(path, decoder.decode(await fs.readFile(path)));
    } catch (error) {
      unread.push({ text: `seed file ${path} could not be read (${messageOf(error)})` });
    }
  }
  for (const path of new Set(seedPaths(mesh, 'parquet'))) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      unread.push({ text: `seed file ${path} could not be read (${messageOf(error)})` });
      continue;
    }
    try {
      parquetSeeds.set(path, await parquetSeed(bytes));
    } catch (error) {
      // ParquetError, and what a corrupt page makes the decoder throw (RangeError, TypeError), as the quantum's seed load judges them.
      if (!(error instanceof ParquetError) && !(error instanceof RangeError) && !(error instanceof TypeError)) throw error;
      parquetSeeds.set(path, { error: `cannot be read as Parquet: ${messageOf(error)}` });
    }
  }
  const result = exportDbt(mesh, { ...options, seedTexts, parquetSeeds });
  return { ...result, notes: [...unread, ...result.notes] };
}

export function exportDbt(mesh: Mesh, options: DbtExportOptions = {}): DbtExport {
  const notes: DbtNote[] = [];
  const files = new Map<string, string>();
  const models: { product: string; port?: string; model: string; version: number; project: string }[] = [];
  const layout = options.layout ?? 'one-project';
  const meshProject = dbtName(mesh.manifest?.name ?? 'quanta_mesh');
  const publishers = indexPublishers(mesh.products);
  const generator = new MeshSourceGenerator(mesh.products);
  const seeds: SeedEntry[] = [];
  const modelsYaml = new Map<string, string[]>(); // domain → model entries
  // `${product}/${port}` → model, its domain and access
  const upstreamModel = new Map<string, { model: string; version: number; domain: string; access: string }>();

  // Every port's model name first, so a consumer's ref() does not depend on product order.
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      upstreamModel.set(`${product.id}/${port.name}`, {
        model: modelName(product.id, port.name),
        version: majorVersion(port.contract?.version ?? port.version),
        domain: product.domain,
        access: dbtAccess(mesh, product, port),
      });
    }
  }

  // The projects: which domain's models and tests ref which other domain's (inputs and foreign keys).
  const relationships = meshRelationships(mesh);
  for (const n of relationships.notes) notes.push({ product: n.product, model: modelName(n.product, n.port), text: n.text });
  const dependsOn = new Map<string, Set<string>>();
  const depend = (from: string, to: string): void => {
    if (from !== to) dependsOn.set(from, (dependsOn.get(from) ?? new Set()).add(to));
  };
  for (const product of mesh.products) {
    for (const input of product.inputPorts) {
      const publisher = resolveInputPort(publishers, input);
      if (publisher) depend(product.domain, publisher.product.domain);
    }
    for (const port of product.outputPorts)
      for (const r of relationships.byPort.get(`${product.id}/${port.name}`) ?? []) depend(product.domain, r.to.product.domain);
  }
  const domainIds = [...new Set([...mesh.domains.map((d) => d.id), ...mesh.products.map((p) => p.domain)])];
  const projects = planProjects(layout, meshProject, domainIds, dependsOn);
  for (const cycle of projects.cycles)
    notes.push({
      text: `domains ${cycle.join(', ')} depend on each other in a cycle, which dbt forbids between projects: they are one project, ${projects.of(cycle[0] ?? '').name}`,
    });
  /** A ref from a model or test of `domain` to a port's model: cross-project when the port's domain is in another project. */
  const refFrom = (domain: string, target: { model: string; version: number; domain: string }): string => {
    const there = projects.of(target.domain);
    const across = there !== projects.of(domain);
    return `ref(${across ? `${yamlSingle(there.name)}, ` : ''}${yamlSingle(target.model)}, v=${target.version})`;
  };

  for (const product of mesh.products) {
    const domain = dbtName(product.domain);
    const { dir } = projects.of(product.domain);
    const bindings: { name: string; ref: string }[] = [];
    for (const input of product.inputPorts) {
      const publisher = resolveInputPort(publishers, input);
      const target = publisher && upstreamModel.get(`${publisher.product.id}/${publisher.port.name}`);
      if (!target) {
        notes.push({
          product: product.id,
          text: `input port ${input.name} (${input.contractId} ${input.version}) has no publisher in the mesh: its models are not exported`,
        });
        continue;
      }
      if (target.access !== 'public' && projects.of(target.domain) !== projects.of(product.domain))
        notes.push({
          product: product.id,
          text: `input port ${input.name} reads ${target.model}, which is ${target.access} in project ${projects.of(target.domain).name}: dbt refuses a ref() to it from another project (make the port public)`,
        });
      bindings.push({ name: input.name, ref: refFrom(product.domain, target) });
    }
    for (const source of product.settings?.sources ?? []) {
      const seed = seedOf(options, product, source, generator, notes);
      if (seed === undefined) continue;
      const name = seedName(product.id, source.name);
      files.set(`${dir}seeds/${domain}/${name}.csv`, seed.csv);
      seeds.push({ ...seed, name, product: product.id, source, project: dir });
      bindings.push({ name: source.name, ref: `ref(${yamlSingle(name)})` });
    }
    const statements = tableStatements(product, notes);
    const made = new Set<string>();
    for (const statement of statements) {
      const port = product.outputPorts.find((p) => p.name === statement.table);
      const model = modelName(product.id, statement.table);
      const version = port ? majorVersion(port.contract?.version ?? port.version) : 1;
      const body = jinjaInert(statement.query);
      if (body === undefined) {
        notes.push({
          product: product.id,
          model,
          text: `${statement.table}: the SQL contains "{% endraw", which dbt would read as Jinja; not exported`,
        });
        continue;
      }
      const local = [...made].map((table) => ({
        name: table,
        ref: `ref(${yamlSingle(modelName(product.id, table))}${versionArg(product, table)})`,
      }));
      const typed = port ? typedColumns(port) : undefined;
      const write = (dialect: Dialect, query: string): string =>
        modelSql(dialect, product, statement.table, [...bindings, ...local], query, typed);
      files.set(
        `${dir}models/${domain}/${dbtName(product.id)}/${port ? `${model}_v${version}` : model}.sql`,
        perTarget(write('duckdb', body), options.spark && sparkText(options.spark, statement.query, write, model, product.id, notes)),
      );
      made.add(statement.table);
      models.push({ product: product.id, ...(port ? { port: port.name } : {}), model, version, project: projects.of(product.domain).name });
      const entries = modelsYaml.get(product.domain) ?? [];
      entries.push(
        port
          ? portModelYaml(
              mesh,
              product,
              port,
              model,
              version,
              notes,
              files,
              `${dir}tests/${domain}`,
              options.spark,
              foreignKeyTests(product, port, model, version),
            )
          : intermediateYaml(product, statement.table, model),
      );
      modelsYaml.set(product.domain, entries);
    }
    for (const port of product.outputPorts) {
      if (!made.has(port.name))
        notes.push({
          product: product.id,
          model: modelName(product.id, port.name),
          text: `output port ${port.name}: the transform has no statement Quanta can make a model of`,
        });
    }
  }

  for (const domain of mesh.domains) {
    const entries = modelsYaml.get(domain.id);
    if (!entries || entries.length === 0) continue;
    const team = mesh.manifest?.teams.find((t) => t.id === domain.team);
    const description = jinjaInert(domain.description) ?? '';
    files.set(
      `${projects.of(domain.id).dir}models/${dbtName(domain.id)}/_${dbtName(domain.id)}__models.yml`,
      [
        'version: 2',
        'groups:',
        `  - name: ${dbtName(domain.id)}`,
        `    owner:`,
        `      name: ${yamlString(jinjaInert(team?.name ?? domain.team) ?? domain.team)}`,
        `    description: ${yamlString(description)}`,
        'models:',
        ...entries,
        '',
      ].join('\n'),
    );
  }
  const built = projects.projects.filter((p) => layout === 'one-project' || [...files.keys()].some((f) => f.startsWith(p.dir)));
  for (const project of built) {
    const own = seeds.filter((s) => s.project === project.dir);
    if (own.length > 0) files.set(`${project.dir}seeds/_seeds.yml`, seedsYaml(own, notes));
    if (own.length > 0 && options.spark) files.set(`${project.dir}macros/quanta_spark_seeds.sql`, SPARK_SEED_MACRO);
    if (own.some((s) => s.emptyStrings)) files.set(`${project.dir}macros/quanta_duckdb_seeds.sql`, DUCKDB_SEED_MACRO);
    files.set(`${project.dir}dbt_project.yml`, projectYaml(project.name));
    files.set(`${project.dir}profiles.yml`, profilesYaml(project.name, layout === 'project-per-domain'));
    const loom = loomConfigYaml(project);
    if (loom !== undefined) files.set(`${project.dir}dbt_loom.config.yml`, loom);
  }
  if (options.spark && seeds.length > 0)
    notes.push({
      text:
        "on Spark, seeds load through macros/quanta_spark_seeds.sql: dbt-spark's session method writes an empty CSV cell as " +
        "the text 'None' (and breaks on a quote in a cell); the macro writes NULL and escaped literals instead",
    });
  const summary = summarised(notes);
  files.set('README.md', layout === 'one-project' ? readme(mesh, meshProject, summary) : readmePerDomain(mesh, built, summary));
  files.set('.gitignore', 'target/\ndbt_packages/\nlogs/\n*.duckdb\nspark-warehouse/\nmetastore_db/\n');
  return { files, notes: summary, models, projects: built };

  /**
   * The port's foreign keys as dbt relationships tests, by column, and a composite key as a
   * singular test (a row per child whose key is set and has no parent); one whose target dbt
   * would refuse is a note.
   */
  function foreignKeyTests(product: DataProduct, port: OutputPort, model: string, version: number): Map<string, string[]> {
    const tests = new Map<string, string[]>();
    for (const r of relationships.byPort.get(`${product.id}/${port.name}`) ?? []) {
      const target = upstreamModel.get(`${r.to.product.id}/${r.to.port.name}`);
      if (!target) continue;
      const across = projects.of(target.domain) !== projects.of(product.domain);
      const refusal =
        target.access === 'private' && target.domain !== product.domain
          ? `${target.model} is private to its domain`
          : across && target.access !== 'public'
            ? `${target.model} is ${target.access} in another project`
            : undefined;
      if (refusal !== undefined) {
        notes.push({
          product: product.id,
          model,
          text: `relationship ${r.columns.join(', ')} → ${r.to.port.name}.${r.to.columns.join(', ')} not exported: ${refusal}, so dbt refuses a ref() to it`,
        });
        continue;
      }
      const [column, ...more] = r.columns;
      const [field] = r.to.columns;
      if (column === undefined || field === undefined) continue;
      if (more.length === 0) {
        const list = tests.get(column) ?? [];
        list.push(`relationships: { arguments: { to: ${yamlString(refFrom(product.domain, target))}, field: ${field} } }`);
        tests.set(column, list);
        continue;
      }
      // Column names here passed the ODCS shorthand pattern ([A-Za-z_][A-Za-z0-9_]*): plain identifiers in every dialect.
      const key = r.columns.map((c, i) => `parent.${r.to.columns[i] ?? c} = child.${c}`).join(' AND ');
      files.set(
        `${projects.of(product.domain).dir}tests/${dbtName(product.domain)}/${model}__relationship_${r.columns.map(dbtName).join('_')}.sql`,
        [
          `-- The composite foreign key (${r.columns.join(', ')}) → ${target.model} (${r.to.columns.join(', ')}) of the contract (exported by quanta export dbt).`,
          `SELECT child.* FROM {{ ref(${yamlSingle(model)}, v=${version}) }} AS child`,
          `WHERE ${r.columns.map((c) => `child.${c} IS NOT NULL`).join(' AND ')}`,
          `AND NOT EXISTS (SELECT 1 FROM {{ ${refFrom(product.domain, target)} }} AS parent WHERE ${key})`,
          '',
        ].join('\n'),
      );
    }
    return tests;
  }

  function versionArg(product: DataProduct, table: string): string {
    const port = product.outputPorts.find((p) => p.name === table);
    return port ? `, v=${majorVersion(port.contract?.version ?? port.version)}` : '';
  }
}

const SLA_NOTE = 'SLA kept in the model meta (dbt does not measure freshness of models)';
const GENERATOR_NOTE = 'generated source, exported as the seed of its first load (tick 0): ';

/** The notes every product shares in one line each: SLAs in meta, generated sources as seeds. */
function summarised(notes: readonly DbtNote[]): DbtNote[] {
  const sla = notes.filter((n) => n.text === SLA_NOTE).map((n) => n.model ?? n.product ?? '?');
  const generated = notes
    .filter((n) => n.text.startsWith(GENERATOR_NOTE))
    .map((n) => `${n.product ?? '?'}/${n.text.slice(GENERATOR_NOTE.length)}`);
  return [
    ...notes.filter((n) => n.text !== SLA_NOTE && !n.text.startsWith(GENERATOR_NOTE)),
    ...(sla.length > 0
      ? [{ text: `SLAs are kept in each model's meta (quanta.sla); dbt does not measure the freshness of models: ${sla.join(', ')}` }]
      : []),
    ...(generated.length > 0
      ? [
          {
            text: `generated sources are seeds of their first load (tick 0); the later ticks of Quanta's simulation are not exported: ${generated.join(', ')}`,
          },
        ]
      : []),
  ];
}

/**
 * The transform's statements as tables: `CREATE [OR REPLACE] [TEMP] TABLE <name> AS <query>`,
 * and a closing query of a one-port product (the quantum names it after the port). Only the
 * statement's head is read; its query is passed through as written.
 */
export function tableStatements(product: DataProduct, notes: DbtNote[] = []): TableStatement[] {
  const text = product.transform?.text;
  if (text === undefined) {
    // A source-aligned product without a transform publishes its only source as its port.
    const [port] = product.outputPorts;
    const [source] = product.settings?.sources ?? [];
    if (port && source && product.outputPorts.length === 1) return [{ table: port.name, query: `SELECT * FROM ${sqlIdent(source.name)}` }];
    notes.push({ product: product.id, text: 'no transform.sql: nothing to export' });
    return [];
  }
  const statements = splitStatements(text);
  const out: TableStatement[] = [];
  for (const [i, statement] of statements.entries()) {
    const code = stripComments(statement.text).trim();
    const create =
      /^create\s+(?:or\s+replace\s+)?(?:(?:temp|temporary)\s+)?table\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s+as\s+/i.exec(
        code,
      );
    if (create?.[1]) {
      const raw = create[1];
      const table = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
      out.push({ table, query: code.slice(create[0].length) });
      continue;
    }
    const last = i === statements.length - 1;
    const [onlyPort] = product.outputPorts;
    if (last && product.outputPorts.length === 1 && onlyPort && isQuery(statement.text)) {
      out.push({ table: onlyPort.name, query: statement.text });
      continue;
    }
    notes.push({
      product: product.id,
      text: `${product.transform?.path ?? 'transform.sql'} line ${statement.line}: "${code.slice(0, 40)}…" is not a CREATE TABLE … AS query; dbt models are queries, so it is not exported`,
    });
  }
  return out;
}

/**
 * The contract's columns with their DuckDB types, when the contract types every column (and
 * names them plainly): the model selects exactly these, cast to these types, so dbt's enforced
 * contract holds where Quanta's conformance check (which judges the logical type's family, not
 * the physical type) would publish — `sum()` of a DECIMAL(18,2) is a DECIMAL(38,2) in DuckDB.
 */
function typedColumns(port: OutputPort): { readonly name: string; readonly type: string }[] | undefined {
  const { table } = compilePort(port.name, port.contract);
  const schema = asList(port.contract?.document['schema']).map(asFields);
  const properties = asList((schema.find((t) => asString(t['name']) === table) ?? schema[0])?.['properties']).map(asFields);
  const out: { name: string; type: string }[] = [];
  for (const property of properties) {
    const name = asString(property['name']);
    const type = duckdbTypeOf(property);
    if (name === undefined || type === undefined || /[{}%#"\\]/.test(name)) return undefined;
    out.push({ name, type });
  }
  return out.length > 0 ? out : undefined;
}

function modelSql(
  dialect: Dialect,
  product: DataProduct,
  table: string,
  bindings: readonly { name: string; ref: string }[],
  body: string,
  typed: readonly { name: string; type: string }[] | undefined,
): string {
  const ctes = bindings.map((b) => `  ${ident(b.name, dialect)} AS (SELECT * FROM {{ ${b.ref} }})`);
  const from = product.transform?.path ?? `${product.dir}/quanta.yaml`;
  const type = (duckdb: string): string => (dialect === 'spark' ? (sparkType(duckdb) ?? duckdb) : duckdb);
  const select = typed
    ? `SELECT\n${typed.map((c) => `  CAST(${ident(c.name, dialect)} AS ${type(c.type)}) AS ${ident(c.name, dialect)}`).join(',\n')}\nFROM (`
    : 'SELECT * FROM (';
  return [
    `-- ${table} of data product ${product.id}, exported by quanta export dbt from ${from}${dialect === 'spark' ? ', transpiled to Spark SQL' : ''}.`,
    '-- The input ports and sources are bound to their dbt models by name; the query is the transform as written.',
    ...(typed ? ["-- The contract's columns, cast to its types (the model contract is enforced)."] : []),
    ...(ctes.length > 0 ? ['WITH', ctes.join(',\n')] : []),
    select,
    body.replace(/;\s*$/, ''),
    ') AS quanta_port',
  ].join('\n');
}

/** An identifier in a dialect: bare when plain, else quoted its way (DuckDB "…", Spark `…`). */
function ident(name: string, dialect: Dialect): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  return dialect === 'spark' ? `\`${name.replace(/`/g, '``')}\`` : sqlIdent(name);
}

/** The file's text for every target: DuckDB's, and Spark's when there is one. */
function perTarget(duckdb: string, spark: string | undefined): string {
  if (spark === undefined) return `${duckdb}\n`;
  return ["{% if target.type == 'spark' %}", spark, '{% else %}', duckdb, '{% endif %}', ''].join('\n');
}

/**
 * A query transpiled to Spark and written with `write`; when it cannot be, the Spark text is
 * a compile error naming the model (dbt stops there with the reason) and the note says it.
 */
function sparkText(
  spark: Transpile,
  query: string,
  write: (dialect: Dialect, query: string) => string,
  model: string,
  product: string,
  notes: DbtNote[],
): string {
  const result = spark(query);
  const inert = 'sql' in result ? jinjaInert(result.sql) : undefined;
  if (inert !== undefined) return write('spark', inert);
  const reason = 'error' in result ? result.error : 'the Spark SQL would read as Jinja';
  notes.push({ product, model, text: `not transpiled to Spark SQL: ${reason.replace(/\s+/g, ' ').slice(0, 300)}` });
  const safe = `${model} was not transpiled to Spark SQL: ${reason}`
    .replace(/[^A-Za-z0-9 .,:;()_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  return `{{ exceptions.raise_compiler_error("${safe}") }}`;
}

function portModelYaml(
  mesh: Mesh,
  product: DataProduct,
  port: OutputPort,
  model: string,
  version: number,
  notes: DbtNote[],
  files: Map<string, string>,
  testDir: string,
  spark: Transpile | undefined,
  foreignKeys: ReadonlyMap<string, readonly string[]>,
): string {
  const visibility = portVisibility(mesh, product, port);
  const access = dbtAccess(mesh, product, port);
  const contract = port.contract;
  const { checks, table } = compilePort(port.name, contract);
  const schema = asList(contract?.document['schema']);
  const tableIndex = Math.max(
    0,
    schema.findIndex((t) => asString(asFields(t)['name']) === table),
  );
  const properties = asList(asFields(schema[tableIndex])['properties']).map(asFields);
  const columns: string[] = [];
  let typed = properties.length > 0;
  const generic = new Set<string>();
  for (const property of properties) {
    const name = asString(property['name']);
    if (name === undefined) continue;
    if (/[{}%#"\\]/.test(name)) {
      notes.push({ product: product.id, model, text: `column "${name}": its name has characters dbt's YAML would render; not declared` });
      typed = false;
      continue;
    }
    const duckdb = duckdbTypeOf(property);
    if (duckdb === undefined) typed = false;
    const tests: string[] = [];
    if (property['required'] === true || property['primaryKey'] === true) {
      tests.push('not_null');
      generic.add(`${table}.${name}.required`);
    }
    if (property['unique'] === true) {
      tests.push('unique');
      generic.add(`${table}.${name}.unique`);
    }
    const accepted = acceptedValues(property, table, name);
    if (accepted) {
      tests.push(accepted.yaml);
      generic.add(accepted.checkId);
    }
    tests.push(...(foreignKeys.get(name) ?? []));
    const classification = asString(property['classification']);
    columns.push(
      [
        `          - name: ${name}`,
        ...(duckdb === undefined ? [] : [`            data_type: ${yamlString(dataTypes(duckdb))}`]),
        ...describe('            ', asString(property['description'])),
        ...(classification === undefined
          ? []
          : [
              `            meta: { classification: ${yamlString(jinjaInert(classification) ?? '')}, masked: ${isClassified(classification)} }`,
            ]),
        ...(tests.length > 0 ? ['            data_tests:', ...tests.map((t) => `              - ${t}`)] : []),
      ].join('\n'),
    );
  }
  if (!typed && contract)
    notes.push({ product: product.id, model, text: `the contract does not type every column, so the model contract is not enforced` });
  if (!contract) notes.push({ product: product.id, model, text: `output port ${port.name} has no contract: no model contract, no tests` });
  // The primary key: single columns are covered by not_null + unique above.
  for (const check of checks) {
    if (generic.has(check.id) || (check.kind === 'primaryKey' && !check.column?.includes(','))) continue;
    const sql = singularTest(check, port.name, model, version, ruleQueryAt(contract?.document, check.path), spark, product.id, notes);
    if (sql === undefined) {
      notes.push({ product: product.id, model, text: `rule ${check.id}: its SQL contains "{% endraw"; not exported as a test` });
      continue;
    }
    files.set(`${testDir}/${model}__${dbtName(check.id)}.sql`, sql);
  }
  const sla = asList(contract?.document['slaProperties']).map(asFields);
  const slaText = sla.map((s) => `${asString(s['property']) ?? '?'} ${String(s['value'] ?? '')}${asString(s['unit']) ?? ''}`).join(', ');
  if (sla.length > 0) notes.push({ product: product.id, model, text: SLA_NOTE });
  const odpsFile = mesh.files.get(product.file);
  const tags = asList(asFields(odpsFile && 'doc' in odpsFile ? odpsFile.value : undefined)['tags'])
    .map((t) => asString(t))
    .filter((t): t is string => t !== undefined && /^[A-Za-z0-9_-]+$/.test(t));
  const description = port.description ?? asString(asFields(contract?.document['description'])['purpose']) ?? product.purpose;
  return [
    `  - name: ${model}`,
    ...describe('    ', description),
    `    group: ${dbtName(product.domain)}`,
    `    access: ${access}`,
    `    latest_version: ${version}`,
    '    config:',
    `      contract: { enforced: ${typed && contract !== undefined} }`,
    `      tags: [${yamlString(dbtName(product.domain))}${tags.map((t) => `, ${yamlString(t)}`).join('')}]`,
    '      meta:',
    '        quanta:',
    `          product: ${yamlString(product.id)}`,
    `          domain: ${yamlString(product.domain)}`,
    `          port: ${yamlString(port.name)}`,
    ...(contract
      ? [
          `          contract: ${yamlString(jinjaInert(contract.id) ?? '')}`,
          `          contract_version: ${yamlString(jinjaInert(contract.version) ?? '')}`,
        ]
      : []),
    ...(sla.length > 0 ? [`          sla: ${yamlString(jinjaInert(slaText) ?? '')}`] : []),
    `          visibility: ${visibility}`,
    '    versions:',
    `      - v: ${version}`,
    ...(columns.length > 0 ? ['        columns:', ...columns] : []),
  ].join('\n');
}

/** dbt's access for a port's visibility: public, protected (its domain = its project or group), private. */
function dbtAccess(mesh: Mesh, product: DataProduct, port: OutputPort): 'public' | 'protected' | 'private' {
  const visibility = portVisibility(mesh, product, port);
  return visibility === 'private' ? 'private' : visibility === 'domain' ? 'protected' : 'public';
}

/** The `query` of the sql rule at `path` of a contract document. */
function ruleQueryAt(document: unknown, path: readonly (string | number)[]): string | undefined {
  let at: unknown = document;
  for (const key of path) at = typeof key === 'number' ? asList(at)[key] : asFields(at)[key];
  return asString(asFields(at)['query']);
}

function intermediateYaml(product: DataProduct, table: string, model: string): string {
  return [
    `  - name: ${model}`,
    `    description: ${yamlString(`An intermediate table (${table}) of ${product.id}'s transform; not an output port.`)}`,
    `    group: ${dbtName(product.domain)}`,
    '    access: private',
    // What `quanta import dbt` gives back: the table belongs to this product's transform.
    `    config: { meta: { quanta: { product: ${yamlString(product.id)}, domain: ${yamlString(product.domain)}, table: ${yamlString(jinjaInert(table) ?? '')} } } }`,
  ].join('\n');
}

/** An ODCS invalidValues rule with validValues only and mustBe 0 is dbt's accepted_values. */
function acceptedValues(
  property: Readonly<Record<string, unknown>>,
  table: string,
  column: string,
): { yaml: string; checkId: string } | undefined {
  const rules = asList(property['quality']);
  for (const [i, raw] of rules.entries()) {
    const rule = asFields(raw);
    const args = asFields(rule['arguments']);
    const values = asList(args['validValues']);
    if (asString(rule['metric'] ?? rule['rule']) !== 'invalidValues' || args['pattern'] !== undefined || values.length === 0) continue;
    if (rule['mustBe'] !== 0 || Object.keys(rule).some((k) => k.startsWith('must') && k !== 'mustBe') || rule['unit'] === 'percent')
      continue;
    if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) continue;
    const listed = values.map((v) => (typeof v === 'string' ? yamlString(jinjaInert(v) ?? '') : String(v)));
    const severity = asString(rule['severity']) === 'warning' ? ', config: { severity: warn }' : '';
    return {
      yaml: `accepted_values: { arguments: { values: [${listed.join(', ')}] }${severity} }`,
      checkId: `${table}.${column}.quality[${i}]`,
    };
  }
  return undefined;
}

/** Quanta's compiled check as a singular dbt test: a row when the rule fails. */
function singularTest(
  check: ContractCheck,
  portTable: string,
  model: string,
  version: number,
  ruleQuery: string | undefined,
  spark: Transpile | undefined,
  product: string,
  notes: DbtNote[],
): string | undefined {
  // A sql rule's own query, bound to the model like a transform (the quantum runs it through
  // DuckDB's query(), which would not see the CTE); every other rule is Quanta's compiled SQL.
  const source =
    check.kind === 'sql' && ruleQuery !== undefined
      ? `SELECT CAST((${ruleQuery.replace(/;\s*$/, '')}) AS DOUBLE) AS value, (SELECT count(*) FROM ${sqlIdent(portTable)}) AS total`
      : check.sql;
  const sql = jinjaInert(source);
  if (sql === undefined) return undefined;
  const measured = check.unit === 'percent' && check.ratio ? 'CASE WHEN total = 0 THEN 0 ELSE value * 100.0 / total END' : 'value';
  const op = check.operator;
  const passes = (() => {
    switch (op.op) {
      case 'mustBe':
        return `measured = ${op.value}`;
      case 'mustNotBe':
        return `measured <> ${op.value}`;
      case 'mustBeGreaterThan':
        return `measured > ${op.value}`;
      case 'mustBeGreaterOrEqualTo':
        return `measured >= ${op.value}`;
      case 'mustBeLessThan':
        return `measured < ${op.value}`;
      case 'mustBeLessOrEqualTo':
        return `measured <= ${op.value}`;
      case 'mustBeBetween':
        return `measured BETWEEN ${op.value[0]} AND ${op.value[1]}`;
      case 'mustNotBeBetween':
        return `measured NOT BETWEEN ${op.value[0]} AND ${op.value[1]}`;
    }
  })();
  const write = (dialect: Dialect, rule: string): string =>
    [
      `WITH ${ident(portTable, dialect)} AS (SELECT * FROM {{ ref('${model}', v=${version}) }}),`,
      `quanta_check AS (SELECT value, total, ${measured} AS measured FROM (`,
      rule,
      ') AS rule)',
      `SELECT * FROM quanta_check WHERE measured IS NULL OR NOT (${passes})`,
    ].join('\n');
  return [
    `-- ${(jinjaInert(check.description) ?? check.id).replace(/\n/g, ' ')} (contract rule ${check.id}, exported by quanta export dbt)`,
    ...(check.severity === 'warning' ? ["{{ config(severity='warn') }}"] : []),
    perTarget(write('duckdb', sql), spark && sparkText(spark, source, write, `${model} rule ${check.id}`, product, notes)),
  ].join('\n');
}

interface SeedEntry extends SeedCsv {
  readonly name: string;
  readonly product: string;
  readonly source: Source;
  readonly project: string;
}

interface SeedCsv {
  readonly csv: string;
  /** Column → the DuckDB type Quanta's load gives it. */
  readonly types: ReadonlyMap<string, string>;
  /** Column → its Spark type where it is not the DuckDB type's (`sparkType`). */
  readonly sparkTypes?: ReadonlyMap<string, string>;
  /** A quoted empty cell is an empty string (DUCKDB_SEED_MACRO loads it so), not NULL. */
  readonly emptyStrings?: boolean;
}

/** A source as seed CSV, with the column types Quanta's own load gives it (where known). */
function seedOf(
  options: Pick<DbtExportOptions, 'seedTexts' | 'parquetSeeds' | 'spark'>,
  product: DataProduct,
  source: Source,
  generator: MeshSourceGenerator,
  notes: DbtNote[],
): SeedCsv | undefined {
  if (source.generator) {
    try {
      const batch = generator.batch(product.id, source.name, 0);
      const types = new Map(batch.columns.map((name, c) => [name, generatedColumnType(batch.values[c] ?? [])]));
      return { csv: csvOfBatch(batch), types };
    } catch (error) {
      notes.push({
        product: product.id,
        text: `source ${source.name}: the generator failed (${error instanceof Error ? error.message : String(error)}); no seed`,
      });
      return undefined;
    }
  }
  const path = source.resolvedFile;
  if (source.format === 'parquet') {
    const seed = path === undefined ? undefined : options.parquetSeeds?.get(path);
    if (seed === undefined || 'error' in seed) {
      const why = seed === undefined ? 'was not read' : seed.error;
      notes.push({ product: product.id, text: `source ${source.name}: ${source.file ?? '?'} ${why}; no seed` });
      return undefined;
    }
    // The notes about Spark only where the project has Spark SQL.
    for (const note of seed.notes)
      if (options.spark || !/\bon Spark\b|\bSpark's\b/.test(note))
        notes.push({ product: product.id, text: `source ${source.name}: ${source.file ?? '?'}: ${note}` });
    return seed;
  }
  const text = path === undefined ? undefined : options.seedTexts?.get(path);
  if (text === undefined) {
    notes.push({ product: product.id, text: `source ${source.name}: ${source.file ?? '?'} was not read; no seed` });
    return undefined;
  }
  let csv: string;
  try {
    csv = source.format === 'jsonl' ? csvOfJsonLines(text) : text;
  } catch (error) {
    notes.push({
      product: product.id,
      text: `source ${source.name}: ${source.file ?? '?'} is not JSON lines (${error instanceof Error ? error.message : String(error)}); no seed`,
    });
    return undefined;
  }
  // As the quantum reads a seed: the contracts' declared types, the rest detected (by dbt here).
  const declared = declaredSeedTypes(product);
  const types = new Map<string, string>();
  for (const name of csvHeader(csv)) {
    const type = declared.get(name);
    if (type !== undefined) types.set(name, type);
  }
  return { csv, types };
}

/** The seed columns whose type the product's contracts declare, decided as the quantum's seed load decides (core/run/declaredTypes.ts). */
function declaredSeedTypes(product: DataProduct): Map<string, string> {
  const contracts = product.outputPorts.flatMap((p) => (p.contract ? [p.contract] : []));
  return new Map(declaredColumnTypes(contracts, () => ({ line: 1, column: 1 })).map((d) => [d.name, d.type]));
}

function seedsYaml(seeds: readonly SeedEntry[], notes: DbtNote[]): string {
  const lines = ['version: 2', 'seeds:'];
  for (const seed of seeds) {
    lines.push(`  - name: ${seed.name}`);
    lines.push(...describe('    ', seed.source.description ?? `Source ${seed.source.name} of ${seed.product}.`));
    const quoted = seed.emptyStrings ? ', quoted_empty_strings: true' : '';
    lines.push(
      '    config:',
      `      meta: { quanta: { product: ${yamlString(seed.product)}, source: ${yamlString(seed.source.name)}${quoted} } }`,
    );
    const typed = [...seed.types].filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    const untyped = [...seed.types.keys()].filter((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    if (untyped.length > 0 && seed.sparkTypes !== undefined)
      notes.push({
        product: seed.product,
        text: `source ${seed.source.name}: columns ${untyped.map((n) => JSON.stringify(n)).join(', ')} are not plain names, so their seed types are dbt's guess`,
      });
    if (typed.length > 0)
      lines.push(
        '      column_types:',
        ...typed.map(([name, type]) => {
          const spark = seed.sparkTypes?.get(name);
          const text = spark === undefined ? dataTypes(type) : `{{ '${spark}' if target.type == 'spark' else '${type}' }}`;
          return `        ${name}: ${yamlString(text)}`;
        }),
      );
    if (seed.source.generator) notes.push({ product: seed.product, text: `${GENERATOR_NOTE}${seed.source.name}` });
  }
  lines.push('');
  return lines.join('\n');
}

function describe(indent: string, text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  const inert = jinjaInert(text);
  return inert === undefined ? [] : [`${indent}description: ${yamlString(inert)}`];
}

function yamlSingle(name: string): string {
  return `'${name}'`;
}

function projectYaml(project: string): string {
  return [
    `name: ${project}`,
    "version: '1.0.0'",
    'config-version: 2',
    `profile: quanta_${project}`,
    'model-paths: [models]',
    'seed-paths: [seeds]',
    'test-paths: [tests]',
    'models:',
    `  ${project}:`,
    '    +materialized: table',
    'seeds:',
    `  ${project}:`,
    '    +quote_columns: false',
    '',
  ].join('\n');
}

/**
 * dbt-duckdb and a local Spark session. With a project per domain (`shared`), every project
 * writes its own schema of one warehouse next to the projects — one DuckDB file, one Spark
 * warehouse and metastore in the parent folder — so a downstream project reads the tables the
 * upstream projects' manifests name, as it would on a real warehouse.
 */
function profilesYaml(project: string, shared = false): string {
  return [
    '# Profiles for this export. `dbt build --profiles-dir .` uses DuckDB (a file in target/);',
    '# `--target spark` runs on a local Spark session (pip install "dbt-spark[session]" pyspark, Java 17).',
    ...(shared
      ? ['# Every project of the export builds into the same warehouse (../quanta.duckdb, ../spark-warehouse), its own schema.']
      : []),
    `quanta_${project}:`,
    '  target: duckdb',
    '  outputs:',
    '    duckdb:',
    '      type: duckdb',
    `      path: ${shared ? '../quanta.duckdb' : 'target/quanta.duckdb'}`,
    ...(shared ? [`      schema: ${project}`] : []),
    '      threads: 1',
    '      # One DuckDB thread, as a quantum runs: results that depend on the order rows meet (mode() over ties) come out as in Quanta.',
    '      settings:',
    '        threads: 1',
    '    spark:',
    '      type: spark',
    '      method: session',
    `      schema: ${project}`,
    '      host: NA',
    '      server_side_parameters:',
    '        spark.sql.session.timeZone: UTC',
    '        spark.sql.legacy.createHiveTableByDefault: "false"',
    '        spark.sql.shuffle.partitions: "2"',
    ...(shared
      ? [
          '        spark.sql.warehouse.dir: ../spark-warehouse',
          '        spark.hadoop.javax.jdo.option.ConnectionURL: "jdbc:derby:;databaseName=../metastore_db;create=true"',
        ]
      : []),
    '',
  ].join('\n');
}

/** The README of a project-per-domain export: the projects, their build order, how they are wired, the notes. */
function readmePerDomain(mesh: Mesh, projects: readonly DbtProject[], notes: readonly DbtNote[]): string {
  const title = (mesh.manifest?.title ?? mesh.manifest?.name ?? 'mesh').replace(/[\r\n]+/g, ' ');
  return [
    `# ${title} — dbt projects exported by Quanta, one per domain`,
    '',
    'Each domain of the mesh is a dbt project in its own folder, with its own `dbt_project.yml`, models, seeds, tests',
    "and `profiles.yml`. A model reads another domain's model with dbt's cross-project ref, `ref('<project>', '<model>', v=<n>)`,",
    "resolved by [dbt-loom](https://github.com/nicholasyager/dbt-loom) from the upstream project's `target/manifest.json`",
    "(each project's `dbt_loom.config.yml`). Only public models (public ports) can be read across projects, as in dbt Mesh.",
    'Domains that depend on each other in a cycle share one project (dbt forbids cycles between projects).',
    'All projects build into one warehouse, each into its own schema: `quanta.duckdb` here, or `spark-warehouse/`.',
    '',
    '## Build order',
    '',
    ...projects.map(
      (p, i) =>
        `${i + 1}. \`${p.name}\` (domain${p.domains.length > 1 ? 's' : ''} ${p.domains.join(', ')})${p.upstream.length > 0 ? ` — after ${p.upstream.join(', ')}` : ''}`,
    ),
    '',
    '```sh',
    'python -m venv .venv && . .venv/bin/activate',
    'pip install "dbt-core~=1.11" "dbt-duckdb~=1.11" "dbt-loom==0.9.6"',
    ...projects.map((p) => `(cd ${p.name} && dbt build --profiles-dir .)`),
    '```',
    '',
    'For Spark add `--target spark` (pip install "dbt-spark[session]~=1.11" "pyspark~=3.5", Java 17); for another adapter',
    "add an output to each project's `profiles.yml`.",
    '',
    '## What these projects do not carry',
    '',
    ...(notes.length === 0
      ? ['Nothing: every product, port, rule and seed of the mesh is here.']
      : notes.map((n) => `- ${n.product ? `**${n.product}**${n.model ? ` (${n.model})` : ''}: ` : ''}${n.text.replace(/[\r\n]+/g, ' ')}`)),
    '',
  ].join('\n');
}

function readme(mesh: Mesh, project: string, notes: readonly DbtNote[]): string {
  const title = mesh.manifest?.title ?? mesh.manifest?.name ?? project;
  return [
    `# ${title.replace(/[\r\n]+/g, ' ')} — dbt project exported by Quanta`,
    '',
    'Each data product of the mesh is a set of dbt models (one per output port, named `<product>__<port>`,',
    "versioned by the contract's major version), grouped by domain with the owner team, with enforced model",
    "contracts typed from the ODCS schemas, access from each port's visibility and the contracts' rules as tests.",
    'Seed files (and the first load of generated sources) are dbt seeds.',
    '',
    '## Build it',
    '',
    '```sh',
    'python -m venv .venv && . .venv/bin/activate',
    'pip install "dbt-core~=1.11" "dbt-duckdb~=1.11"',
    'dbt build --profiles-dir .',
    '```',
    '',
    '## Another adapter',
    '',
    'Install the adapter (`dbt-snowflake`, `dbt-bigquery`, `dbt-databricks`, `dbt-trino`, `dbt-spark`…), add an',
    "output for it to `profiles.yml` and run `dbt build --profiles-dir . --target <name>`. The models' SQL is",
    "DuckDB's dialect as the mesh wrote it; the column types switch per adapter in the models' YAML.",
    '',
    '## What this project does not carry',
    '',
    ...(notes.length === 0
      ? ['Nothing: every product, port, rule and seed of the mesh is here.']
      : notes.map((n) => `- ${n.product ? `**${n.product}**${n.model ? ` (${n.model})` : ''}: ` : ''}${n.text.replace(/[\r\n]+/g, ' ')}`)),
    '',
  ].join('\n');
}
