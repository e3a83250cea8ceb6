import { sqlName } from '../../blueprints/skeletons.ts';
import { duckdbTypeOf } from '../../run/declaredTypes.ts';
import { readCatalog, withCatalog } from './catalog.ts';
import { analyzeImport } from '../importFile.ts';
import { JinjaSyntaxError, renderDbtSql, type Call } from './jinja.ts';
import {
  DbtImportError,
  readManifest,
  type ManifestColumn,
  type ManifestNode,
  type ManifestSource,
  type ManifestTest,
} from './manifest.ts';
import { meshFiles, type PlannedColumn, type PlannedProduct, type PlannedPort } from './meshFiles.ts';
import { logicalTypeOf, meshId, slugId, tableName, unique } from './dbtNaming.ts';

export { DbtImportError };

/*
 * `quanta import dbt`: a dbt project's parsed manifest as a Quanta mesh (docs/dbt-import.md).
 * Groups are domains (their owner a team), models are data products — one output port each, or
 * the ports a `quanta export dbt` product had, given back from the `meta.quanta` block the
 * export writes — with an ODCS contract from the model's columns, constraints and data tests;
 * ref() and source() become input ports and the table names the transform reads; sources and
 * seeds are source-aligned products. What the mesh cannot say is a note, never dropped.
 */

export interface DbtImportNote {
  readonly product?: string;
  readonly text: string;
}

export interface DbtImportOptions {
  /**
   * Reads a seed's file by its path in the dbt project (`original_file_path`): its bytes, or
   * why not (no project beside the manifest, outside it, too large). Without it no seed is read.
   */
  readonly readSeed?: (projectPath: string) => Promise<Uint8Array | { readonly error: string }>;
  /** The project's `vars` (dbt_project.yml), as Jinja renders them; a manifest holds none. */
  readonly vars?: ReadonlyMap<string, string>;
  /** The dbt target name `{% if target.name == … %}` is decided for (default `dev`). */
  readonly target?: string;
  /** `catalog.json` (`dbt docs generate`): column names and types of the built relations; its text and the name to show. */
  readonly catalog?: { readonly text: string; readonly shown: string };
}

export interface DbtImport {
  /** Mesh-relative path → content. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly notes: readonly DbtImportNote[];
  readonly schemaVersion: number;
  readonly project: string;
  readonly products: readonly {
    readonly id: string;
    readonly domain: string;
    readonly ports: readonly { readonly name: string; readonly columns: readonly { readonly name: string; readonly type?: string }[] }[];
  }[];
}

type Owner = { readonly product: PlannedProduct; readonly table: string; readonly kind: 'table' | 'source' };

const quantaMeta = (meta: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  const q = meta['quanta'];
  return typeof q === 'object' && q !== null && !Array.isArray(q) ? (q as Record<string, unknown>) : {};
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The manifest's text as a mesh's files; throws DbtImportError when it is not a manifest Quanta reads. */
export async function importDbt(json: string, options: DbtImportOptions = {}, shown = 'manifest.json'): Promise<DbtImport> {
  const notes: DbtImportNote[] = [];
  let manifest = readManifest(json, shown);
  if (options.catalog !== undefined) {
    const completed = withCatalog(manifest, readCatalog(options.catalog.text, options.catalog.shown));
    manifest = completed.manifest;
    notes.push({
      text: `${options.catalog.shown}: ${completed.typed} untyped column(s) typed and ${completed.added} column(s) the YAML does not list added, as the built relations have them`,
    });
  }
  const project = slugId(manifest.project, 'dbt-project');
  const productIds = new Set<string>();
  const products: PlannedProduct[] = [];
  const owners = new Map<string, Owner>(); // node or source unique_id → where its rows are in the mesh
  const groups = new Map(manifest.groups.map((g) => [g.name, g]));

  if (manifest.disabled.length > 0)
    notes.push({
      text: `disabled in dbt, so not carried over: ${manifest.disabled.slice(0, 20).join(', ')}${manifest.disabled.length > 20 ? '…' : ''}`,
    });
  for (const [kind, count] of manifest.skipped) notes.push({ text: `${count} ${kind} not carried over (the mesh has no such thing)` });
  const own = manifest.nodes.filter((n) => {
    if (!n.enabled) return false;
    if (n.packageName !== manifest.project) {
      notes.push({ text: `${n.resourceType} ${n.name} of package ${n.packageName} not carried over (only the project's own nodes are)` });
      return false;
    }
    if (n.resourceType === 'snapshot') {
      notes.push({ text: `snapshot ${n.name} not carried over (the mesh keeps versions of ports, not snapshots)` });
      return false;
    }
    if (n.resourceType === 'model' && n.version !== undefined && n.latestVersion !== undefined && n.version !== n.latestVersion) {
      notes.push({ text: `model ${n.name} version ${n.version}: only the latest version (${n.latestVersion}) is carried over` });
      return false;
    }
    return true;
  });
  const models = own.filter((n) => n.resourceType === 'model');
  const seeds = own.filter((n) => n.resourceType === 'seed');

  const domainOf = (meta: Readonly<Record<string, unknown>>, group: string | undefined): string =>
    slugId(str(quantaMeta(meta)['domain']) ?? group ?? manifest.project, project);
  const newProduct = (wanted: string, domain: string, from: string): PlannedProduct => {
    const id = unique(meshId(wanted), productIds, '-');
    if (id !== meshId(wanted)) notes.push({ product: id, text: `${from}: the product id ${meshId(wanted)} was taken, so it is ${id}` });
    const group = [...groups.values()].find((g) => slugId(g.name) === domain);
    const product: PlannedProduct = {
      id,
      domain,
      name: wanted,
      tags: new Set(),
      ports: [],
      statements: [],
      sources: [],
      inputs: [],
      tables: new Set(),
      ...(group ? { group } : {}),
    };
    products.push(product);
    return product;
  };

  const testsOf = new Map<string, ManifestTest[]>();
  for (const test of manifest.tests) {
    if (test.attachedNode === undefined) continue;
    const list = testsOf.get(test.attachedNode) ?? [];
    list.push(test);
    testsOf.set(test.attachedNode, list);
  }

  // Models: a product each, or the product their meta.quanta names (the export's, given back).
  const byQuantaProduct = new Map<string, PlannedProduct>();
  for (const node of models) {
    const q = quantaMeta(node.meta);
    const qProduct = str(q['product']);
    const domain = domainOf(node.meta, node.group);
    let product = qProduct === undefined ? undefined : byQuantaProduct.get(qProduct);
    if (!product) {
      product = newProduct(qProduct ?? node.name, domain, `model ${node.name}`);
      if (qProduct !== undefined) byQuantaProduct.set(qProduct, product);
    } else if (product.domain !== domain) {
      notes.push({
        product: product.id,
        text: `model ${node.name} is in group ${node.group ?? '?'}; its product stays in ${product.domain}`,
      });
    }
    if (node.materialized === 'ephemeral' && qProduct === undefined)
      notes.push({
        product: product.id,
        text: `model ${node.name} is ephemeral in dbt (inlined where it is ref()'d); here it is a product of its own with an output port`,
      });
    if (node.description !== undefined && product.description === undefined) product.description = node.description;
    for (const t of node.tags) product.tags.add(t);
    const isPort = qProduct === undefined || str(q['port']) !== undefined;
    const table = unique(tableName(str(q['port']) ?? str(q['table']) ?? node.name), product.tables);
    owners.set(node.uniqueId, { product, table, kind: 'table' });
    if (isPort) product.ports.push(portOf(node, table, testsOf, notes, product.id));
    product.statements.push({ table, node });
  }

  // Seeds: a source of the product their meta.quanta names, or a source-aligned product each.
  for (const seed of seeds) {
    const q = quantaMeta(seed.meta);
    const into = str(q['product']) === undefined ? undefined : byQuantaProduct.get(str(q['product']) ?? '');
    const product = into ?? newProduct(seed.name, domainOf(seed.meta, seed.group), `seed ${seed.name}`);
    const name = unique(tableName(str(q['source']) ?? `${seed.name}_seed`), product.tables);
    owners.set(seed.uniqueId, { product, table: name, kind: 'source' });
    product.sources.push({ name, ...(seed.description ? { description: seed.description } : {}), columns: seed.columns });
    const data = await seedData(seed, name, options, notes, product.id);
    const source = product.sources.at(-1);
    if (source) Object.assign(source, data);
    if (!into) {
      const port = tableName(seed.name);
      product.tables.add(port);
      // A ref() to the seed from another product reads the port (the seed's table), not the source under it.
      owners.set(seed.uniqueId, { product, table: port, kind: 'table' });
      const columns = seed.columns.length > 0 ? seed.columns : inferredColumns(data.file, seed.name);
      product.ports.push({ ...portOf(seed, port, testsOf, notes, product.id), columns });
      product.statements.push({ table: port, sql: `SELECT * FROM ${sqlName(name)}` });
    }
  }

  // A seed's column_types: Quanta types a seed's columns from the product's contracts, and detects the rest from the file.
  for (const seed of seeds) {
    const owner = owners.get(seed.uniqueId);
    if (!owner || seed.columnTypes.size === 0) continue;
    const declared = new Map(owner.product.ports.flatMap((p) => p.columns.map((c) => [c.name, castType(c)] as const)));
    const normal = (type: string): string => castType({ name: '', dataType: type, meta: {}, tags: [], constraints: [] });
    const detected = [...seed.columnTypes].filter(([c]) => !declared.has(c)).map(([c]) => c);
    const other = [...seed.columnTypes].filter(([c, t]) => declared.has(c) && declared.get(c) !== normal(t));
    if (detected.length > 0 || other.length > 0)
      notes.push({
        product: owner.product.id,
        text: `seed ${seed.name}: column_types not carried over — Quanta detects the types of seed columns no contract declares from the file${detected.length > 0 ? ` (${detected.join(', ')})` : ''}${other.length > 0 ? `, and reads a column a contract declares as that type (${other.map(([c, t]) => `${c}: ${declared.get(c) ?? '?'}, not ${normal(t)}`).join(', ')})` : ''}`,
      });
  }

  // Sources: a source-aligned product per dbt source, a port per table, placeholder rows generated.
  const bySource = new Map<string, PlannedProduct>();
  for (const source of manifest.sources) {
    let product = bySource.get(source.sourceName);
    if (!product) {
      product = newProduct(source.sourceName, domainOf(source.meta, source.group), `source ${source.sourceName}`);
      if (source.sourceDescription) product.description = source.sourceDescription;
      bySource.set(source.sourceName, product);
    }
    for (const t of source.tags) product.tags.add(t);
    const port = unique(tableName(source.name), product.tables);
    const raw = unique(`${port}_raw`, product.tables);
    owners.set(source.uniqueId, { product, table: port, kind: 'table' });
    product.ports.push(sourcePort(source, port));
    product.sources.push({
      name: raw,
      description: `Placeholder rows for dbt source ${source.sourceName}.${source.name}`,
      columns: source.columns,
    });
    product.statements.push({ table: port, sql: castingQuery(raw, source.columns) });
    notes.push({
      product: product.id,
      text: `source ${source.sourceName}.${source.name}: a manifest holds no data, so ${raw} generates placeholder rows of its declared columns${source.columns.length === 0 ? ' (it declares none, so one id column: declare its columns, or import with catalog.json)' : ''}; replace it with a seed file`,
    });
  }

  const contractIds = new Set<string>();
  for (const product of products)
    for (const port of product.ports) {
      const wanted = port.contractId || `${project}.${product.domain}.${product.id}.${port.name}`;
      const id = unique(wanted, contractIds, '-');
      if (id !== wanted) notes.push({ product: product.id, text: `contract id ${wanted} was taken; port ${port.name}'s is ${id}` });
      port.contractId = id;
    }

  // ref() and source(): a sibling table, a source of the product, or an input port.
  const byName = new Map<string, ManifestNode[]>();
  for (const node of own) {
    const list = byName.get(node.name) ?? [];
    list.push(node);
    byName.set(node.name, list);
  }
  const sourceIds = new Map(manifest.sources.map((s) => [`${s.sourceName}\u0000${s.name}`, s.uniqueId]));
  const contractOf = (owner: Owner): PlannedPort | undefined => owner.product.ports.find((p) => p.name === owner.table);
  for (const product of products) {
    const inputs = new Map<string, string>(); // owner key → input name
    for (const statement of product.statements) {
      const node = statement.node;
      if (!node) continue;
      if (node.language !== 'sql') {
        statement.unsupported = [`a ${node.language} model`];
        continue;
      }
      const resolve = (call: Call): { table: string } | { error: string } => {
        const id =
          call.kind === 'source'
            ? sourceIds.get(`${call.source}\u0000${call.table}`)
            : (byName.get(call.name) ?? []).find(
                (n) =>
                  (call.package === undefined || n.packageName === call.package) &&
                  (call.version === undefined || n.version === call.version),
              )?.uniqueId;
        const owner = id === undefined ? undefined : owners.get(id);
        if (!owner) return { error: 'not a node of this project carried over' };
        if (owner.product === product) return { table: sqlName(owner.table) };
        const key = `${owner.product.id}/${owner.table}`;
        const known = inputs.get(key);
        if (known) return { table: known };
        const port = contractOf(owner);
        if (!port) return { error: `${owner.table} is not an output port of ${owner.product.id}` };
        const name = unique(owner.table, product.tables);
        inputs.set(key, sqlName(name));
        product.inputs.push({ name, contractId: port.contractId, version: port.contractVersion });
        return { table: sqlName(name) };
      };
      try {
        const rendered = renderDbtSql(node.rawCode, resolve, { type: 'duckdb', name: options.target ?? 'dev' }, options.vars);
        if (rendered.assumed.length > 0)
          notes.push({ product: product.id, text: `model ${node.name}: imported assuming ${rendered.assumed.join('; ')}` });
        statement.sql = rendered.sql;
        if (rendered.unsupported.length > 0) statement.unsupported = rendered.unsupported.map((u) => `line ${u.line}: ${u.text}`);
        if (rendered.configs > 0)
          notes.push({
            product: product.id,
            text: `model ${node.name}: config() in its SQL is dbt's (materialization…), not carried over`,
          });
      } catch (error) {
        if (!(error instanceof JinjaSyntaxError)) throw error;
        statement.unsupported = [`its Jinja does not parse (${error.message})`];
      }
    }
    orderStatements(product, owners);
    for (const statement of product.statements) {
      if (statement.unsupported && statement.node)
        notes.push({
          product: product.id,
          text: `model ${statement.node.name}: not carried over, so the transform fails until rewritten: ${statement.unsupported.join('; ')}`,
        });
    }
  }
  const files = meshFiles(manifest, project, products, notes);
  return {
    files,
    notes,
    schemaVersion: manifest.schemaVersion,
    project,
    products: products.map((p) => ({
      id: p.id,
      domain: p.domain,
      ports: p.ports.map((port) => ({
        name: port.name,
        columns: port.columns.map((c) => ({ name: c.name, ...(c.dataType === undefined ? {} : { type: c.dataType }) })),
      })),
    })),
  };
}

/** The output port of a model (or seed): its columns, their constraints and generic tests, visibility from access. */
function portOf(
  node: ManifestNode,
  name: string,
  testsOf: ReadonlyMap<string, readonly ManifestTest[]>,
  notes: DbtImportNote[],
  product: string,
): PlannedPort {
  const q = quantaMeta(node.meta);
  const access = node.access ?? 'protected';
  const visibility = str(q['visibility']) ?? (access === 'public' ? 'public' : access === 'private' ? 'private' : 'domain');
  const required = new Set<string>();
  const uniqueColumns = new Set<string>();
  const keys = new Set<string>();
  for (const c of node.constraints) {
    if (c.type === 'primary_key') for (const col of c.columns) keys.add(col);
    else if (c.type === 'unique' && c.columns.length === 1) for (const col of c.columns) uniqueColumns.add(col);
    else if (c.type !== 'not_null' && c.type !== '')
      notes.push({ product, text: `model ${node.name}: constraint ${c.type} not carried over` });
  }
  const accepted = new Map<string, { values: readonly (string | number)[]; severity: string }>();
  const uncarried: string[] = [];
  for (const test of testsOf.get(node.uniqueId) ?? []) {
    const generic = test.namespace === undefined ? test.testName : undefined;
    if (generic === 'not_null' && test.column) required.add(test.column);
    else if (generic === 'unique' && test.column) uniqueColumns.add(test.column);
    else if (generic === 'accepted_values' && test.column && test.values.length > 0)
      accepted.set(test.column, { values: test.values, severity: test.severity });
    else
      uncarried.push(
        test.testName ? `${test.name} (${test.namespace ? `${test.namespace}.` : ''}${test.testName})` : `${test.name} (singular)`,
      );
  }
  if (uncarried.length > 0)
    notes.push({
      product,
      text: `${node.name}: ${uncarried.length === 1 ? 'a test' : `${uncarried.length} tests`} not carried over (Quanta's rules here are required, unique, primaryKey and accepted values): ${uncarried.join(', ')}`,
    });
  const columns = node.columns.map((c): PlannedColumn => {
    const rule = accepted.get(c.name);
    return {
      ...c,
      required: required.has(c.name) || c.constraints.includes('not_null') || keys.has(c.name) || c.constraints.includes('primary_key'),
      unique: uniqueColumns.has(c.name) || c.constraints.includes('unique'),
      primaryKey: keys.has(c.name) || c.constraints.includes('primary_key'),
      ...(rule ? { accepted: rule } : {}),
    };
  });
  const untyped = columns.filter((c) => c.dataType === undefined).map((c) => c.name);
  if (untyped.length > 0)
    notes.push({
      product,
      text: `${node.name}: columns without a data_type have no type in the contract (no catalog.json gave one): ${untyped.join(', ')}; run \`dbt docs generate\` and import again with its catalog.json, or derive the contract from the output after a run`,
    });
  if (columns.length === 0 && node.resourceType === 'model')
    notes.push({ product, text: `model ${node.name} declares no columns, so port ${name}'s contract has none` });
  const contractId = str(q['contract']) ?? '';
  const major = node.latestVersion ?? node.version;
  const contractVersion = str(q['contract_version']) ?? `${/^\d+$/.test(major ?? '') ? major : '1'}.0.0`;
  const otherMeta = Object.fromEntries(Object.entries(node.meta).filter(([k]) => k !== 'quanta'));
  return {
    name,
    ...(node.description === undefined ? {} : { description: node.description }),
    visibility: visibility === 'private' || visibility === 'domain' ? visibility : 'public',
    contractId,
    contractVersion,
    columns,
    tags: node.tags,
    meta: otherMeta,
    from: `${node.resourceType} ${node.name}`,
  };
}

function sourcePort(source: ManifestSource, name: string): PlannedPort {
  return {
    name,
    ...(source.description === undefined ? {} : { description: source.description }),
    visibility: 'public',
    contractId: '',
    contractVersion: '1.0.0',
    columns: source.columns.map((c) => ({
      ...c,
      required: c.constraints.includes('not_null'),
      unique: c.constraints.includes('unique'),
      primaryKey: c.constraints.includes('primary_key'),
    })),
    tags: source.tags,
    meta: source.meta,
    from: `source ${source.sourceName}.${source.name}`,
  };
}

/** A DuckDB type the quantum can cast to, from a column's data_type (VARCHAR when unknown). */
export function castType(column: ManifestColumn): string {
  return duckdbTypeOf({ physicalType: column.dataType, logicalType: logicalTypeOf(column.dataType) }) ?? 'VARCHAR';
}

function castingQuery(from: string, columns: readonly ManifestColumn[]): string {
  if (columns.length === 0) return `SELECT * FROM ${sqlName(from)}`;
  return `SELECT\n${columns.map((c) => `  CAST(${sqlName(c.name)} AS ${castType(c)}) AS ${sqlName(c.name)}`).join(',\n')}\nFROM ${sqlName(from)}`;
}

/** Inferred from the seed file's rows when the seed declares no columns. */
function inferredColumns(file: Uint8Array | undefined, name: string): ManifestColumn[] {
  if (!file) return [];
  try {
    return analyzeImport(`${name}.csv`, file).columns.map((c) => ({
      name: c.source,
      dataType:
        { integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', string: 'VARCHAR' }[c.type] ??
        'VARCHAR',
      meta: {},
      tags: [],
      constraints: [],
    }));
  } catch {
    return [];
  }
}

async function seedData(
  seed: ManifestNode,
  name: string,
  options: DbtImportOptions,
  notes: DbtImportNote[],
  product: string,
): Promise<{ file?: Uint8Array }> {
  const path = seed.originalFilePath;
  const why = !options.readSeed ? 'no dbt project was read' : path === undefined ? 'the manifest gives no file' : undefined;
  const read = why === undefined && path !== undefined && options.readSeed ? await options.readSeed(path) : { error: why ?? '?' };
  if (read instanceof Uint8Array) return { file: read };
  notes.push({
    product,
    text: `seed ${seed.name}: its file was not copied (${read.error}), so ${name} generates placeholder rows of its declared columns`,
  });
  return {};
}

/** Tables before the tables that read them (a product's models refer to each other by ref()). */
function orderStatements(product: PlannedProduct, owners: ReadonlyMap<string, Owner>): void {
  const byTable = new Map(product.statements.map((s) => [s.table, s]));
  const done = new Set<string>();
  const out: typeof product.statements = [];
  const visit = (table: string, path: Set<string>): void => {
    const statement = byTable.get(table);
    if (!statement || done.has(table) || path.has(table)) return;
    path.add(table);
    for (const dep of statement.node?.dependsOn ?? []) {
      const owner = owners.get(dep);
      if (owner?.product === product && owner.kind === 'table') visit(owner.table, path);
    }
    done.add(table);
    out.push(statement);
  };
  for (const s of [...product.statements]) visit(s.table, new Set());
  product.statements.splice(0, product.statements.length, ...out);
}
