import { sqlName } from '../../blueprints/skeletons.ts';
import { duckdbTypeOf } from '../../run/declaredTypes.ts';
import { readCatalog, withCatalog } from './catalog.ts';
import { analyzeImport } from '../importFile.ts';
import { JinjaSyntaxError, renderDbtSql, type Call } from './jinja.ts';
import { seedAsParquet } from './seedParquet.ts';
import {
  DbtImportError,
  readManifest,
  type Manifest,
  type ManifestColumn,
  type ManifestGroup,
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

/** One dbt project of a multi-project import: its manifest and what is read beside it. */
export interface DbtProjectInput extends Omit<DbtImportOptions, 'target'> {
  /** The manifest's text. */
  readonly json: string;
  /** The manifest's name to show in messages (its path as given). */
  readonly shown: string;
}

export interface DbtProjectsOptions {
  /** The dbt target name `{% if target.name == … %}` is decided for (default `dev`). */
  readonly target?: string;
  /** The mesh's name (default: the project's, for one manifest; `dbt-mesh` for several). */
  readonly name?: string;
}

/** At most this many manifests make one mesh (a dbt mesh of hundreds of projects is not a laptop's). */
export const MAX_MANIFESTS = 200;
/**
 * Ephemeral models inline into every reader, so a hostile manifest could multiply its SQL:
 * nesting is bounded (the render recurses), and so are the CTEs of one model and the SQL
 * inlined in all. Past a bound the reader is not carried over, with a note.
 */
export const MAX_EPHEMERAL_DEPTH = 64;
export const MAX_CTES_PER_MODEL = 256;
export const MAX_INLINED_CHARS = 64 * 1024 * 1024;

export interface DbtImport {
  /** Mesh-relative path → content. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly notes: readonly DbtImportNote[];
  /** The highest schema version of the manifests read. */
  readonly schemaVersion: number;
  /** The mesh's name. */
  readonly project: string;
  /** The dbt projects read, in the order given, each with its manifest. */
  readonly projects: readonly { readonly name: string; readonly manifest: string; readonly schemaVersion: number }[];
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
  const { target, ...project } = options;
  return importDbtProjects([{ json, shown, ...project }], target === undefined ? {} : { target });
}

/** A manifest read, with what came beside it. */
interface ReadProject {
  readonly manifest: Manifest;
  readonly input: DbtProjectInput;
}

/**
 * Several dbt projects' manifests as one mesh (a `--layout project-per-domain` export, or a dbt
 * mesh whose cross-project refs dbt-loom resolves): each project's own nodes are taken from its
 * own manifest, a cross-project `ref('<project>', '<model>')` reads the upstream project's
 * product's port, and the upstream public models dbt-loom copies into a downstream manifest
 * (no SQL, no columns, no meta) are the same nodes, so they are skipped there.
 */
export async function importDbtProjects(inputs: readonly DbtProjectInput[], options: DbtProjectsOptions = {}): Promise<DbtImport> {
  if (inputs.length === 0) throw new DbtImportError('no manifest given');
  if (inputs.length > MAX_MANIFESTS) throw new DbtImportError(`${inputs.length} manifests: at most ${MAX_MANIFESTS} make one mesh`);
  const notes: DbtImportNote[] = [];
  const read: ReadProject[] = [];
  const byProjectName = new Map<string, ReadProject>();
  for (const input of inputs) {
    let manifest = readManifest(input.json, input.shown);
    if (input.catalog !== undefined) {
      const completed = withCatalog(manifest, readCatalog(input.catalog.text, input.catalog.shown));
      manifest = completed.manifest;
      notes.push({
        text: `${input.catalog.shown}: ${completed.typed} untyped column(s) typed and ${completed.added} column(s) the YAML does not list added, as the built relations have them`,
      });
    }
    const other = byProjectName.get(manifest.project);
    if (other)
      throw new DbtImportError(
        `${other.input.shown} and ${input.shown} are both the manifest of dbt project ${manifest.project}: give each project once`,
      );
    const one = { manifest, input };
    byProjectName.set(manifest.project, one);
    read.push(one);
  }
  // Which project each node and source was read from: its seeds, vars and domain are that project's.
  const from = new Map<object, ReadProject>();
  for (const r of read) for (const item of [...r.manifest.nodes, ...r.manifest.sources]) from.set(item, r);
  const projectOf = (item: object): ReadProject => from.get(item) ?? (read[0] as ReadProject);
  const manifest = merged(read);
  const multi = read.length > 1;
  const project = slugId(options.name ?? (multi ? 'dbt-mesh' : manifest.project), 'dbt-project');
  const productIds = new Set<string>();
  const products: PlannedProduct[] = [];
  const owners = new Map<string, Owner>(); // node or source unique_id → where its rows are in the mesh
  const groups = new Map<string, ManifestGroup>();
  for (const g of manifest.groups) {
    const known = groups.get(g.name);
    if (known === undefined) groups.set(g.name, g);
    else if (known.ownerName !== g.ownerName || known.ownerEmail !== g.ownerEmail)
      notes.push({ text: `dbt group ${g.name} is declared by several projects with other owners; its domain takes the first's` });
  }

  if (manifest.disabled.length > 0)
    notes.push({
      text: `disabled in dbt, so not carried over: ${manifest.disabled.slice(0, 20).join(', ')}${manifest.disabled.length > 20 ? '…' : ''}`,
    });
  for (const [kind, count] of manifest.skipped) notes.push({ text: `${count} ${kind} not carried over (the mesh has no such thing)` });
  const ownIds = new Set(read.flatMap((r) => r.manifest.nodes.filter((n) => n.packageName === r.manifest.project).map((n) => n.uniqueId)));
  const copied = new Map<string, number>();
  const own = manifest.nodes.filter((n) => {
    if (!n.enabled) return false;
    const home = projectOf(n);
    if (n.packageName !== home.manifest.project) {
      const owner = byProjectName.get(n.packageName);
      if (owner === undefined)
        notes.push({
          text: `${n.resourceType} ${n.name} of package ${n.packageName} not carried over (only the imported projects' own nodes are${n.rawCode === '' ? `; if ${n.packageName} is a dbt project whose models ${home.manifest.project} refs through dbt-loom, import its manifest too` : ''})`,
        });
      else if (!ownIds.has(n.uniqueId))
        notes.push({
          text: `${home.input.shown} holds ${n.uniqueId} of project ${n.packageName}, which ${owner.input.shown} does not define: ${home.manifest.project} was parsed against another build of ${n.packageName}; run dbt parse again in dependency order`,
        });
      // Else a node dbt-loom copied from the upstream manifest: taken from the project that owns it.
      else copied.set(home.manifest.project, (copied.get(home.manifest.project) ?? 0) + 1);
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
  for (const [name, count] of copied)
    notes.push({
      text: `${name}: ${count} upstream node(s) dbt-loom copied into its manifest are taken from their own projects' manifests`,
    });
  const models = own.filter((n) => n.resourceType === 'model');
  const seeds = own.filter((n) => n.resourceType === 'seed');

  const domainOf = (meta: Readonly<Record<string, unknown>>, group: string | undefined, item: object): string =>
    slugId(str(quantaMeta(meta)['domain']) ?? group ?? projectOf(item).manifest.project, project);
  const madeBy = new Map<string, ReadProject>(); // product id → the project it was made from
  const newProduct = (wanted: string, domain: string, from: string, item: object): PlannedProduct => {
    const id = unique(meshId(wanted), productIds, '-');
    const first = madeBy.get(meshId(wanted));
    const here = projectOf(item);
    if (id !== meshId(wanted))
      notes.push({
        product: id,
        text: `${from}: the product id ${meshId(wanted)} was taken${multi && first && first !== here ? ` (by project ${first.manifest.project}, ${first.input.shown}; this is ${here.manifest.project}, ${here.input.shown})` : ''}, so it is ${id}`,
      });
    madeBy.set(id, here);
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
  // Ephemeral models are no products: dbt inlines them as CTEs into the models that ref() them, and so does the import.
  const ephemerals = new Map<string, ManifestNode>();
  const byQuantaProduct = new Map<string, PlannedProduct>();
  for (const node of models) {
    if (node.materialized === 'ephemeral') {
      ephemerals.set(node.uniqueId, node);
      continue;
    }
    const q = quantaMeta(node.meta);
    const qProduct = str(q['product']);
    const domain = domainOf(node.meta, node.group, node);
    let product = qProduct === undefined ? undefined : byQuantaProduct.get(qProduct);
    if (!product) {
      product = newProduct(qProduct ?? node.name, domain, `model ${node.name}`, node);
      if (qProduct !== undefined) byQuantaProduct.set(qProduct, product);
    } else if (product.domain !== domain) {
      notes.push({
        product: product.id,
        text: `model ${node.name} is in group ${node.group ?? '?'}; its product stays in ${product.domain}`,
      });
    }
    const maker = madeBy.get(product.id);
    if (multi && maker !== undefined && maker !== projectOf(node))
      notes.push({
        product: product.id,
        text: `model ${node.name} of project ${projectOf(node).manifest.project} (${projectOf(node).input.shown}) names product ${product.id} in meta.quanta, as models of project ${maker.manifest.project} (${maker.input.shown}) do: they are one product here`,
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
  const seedSources = new Map<string, PlannedProduct['sources'][number]>();
  for (const seed of seeds) {
    const q = quantaMeta(seed.meta);
    const into = str(q['product']) === undefined ? undefined : byQuantaProduct.get(str(q['product']) ?? '');
    const product = into ?? newProduct(seed.name, domainOf(seed.meta, seed.group, seed), `seed ${seed.name}`, seed);
    const name = unique(tableName(str(q['source']) ?? `${seed.name}_seed`), product.tables);
    owners.set(seed.uniqueId, { product, table: name, kind: 'source' });
    product.sources.push({ name, ...(seed.description ? { description: seed.description } : {}), columns: seed.columns });
    const data = await seedData(seed, name, projectOf(seed).input, notes, product.id);
    const source = product.sources.at(-1);
    if (source) Object.assign(source, data);
    if (source) seedSources.set(seed.uniqueId, source);
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

  // A seed's column_types: Quanta types a CSV seed's columns from the product's contracts and detects the rest from the
  // file; where that would not give dbt's types, the seed is written as Parquet with them (seedParquet.ts), which
  // the quantum reads with the file's own types.
  for (const seed of seeds) {
    const owner = owners.get(seed.uniqueId);
    if (!owner || seed.columnTypes.size === 0) continue;
    const declared = new Map(owner.product.ports.flatMap((p) => p.columns.map((c) => [c.name, castType(c)] as const)));
    const normal = (type: string): string => castType({ name: '', dataType: type, meta: {}, tags: [], constraints: [] });
    const detected = [...seed.columnTypes].filter(([c]) => !declared.has(c)).map(([c]) => c);
    const other = [...seed.columnTypes].filter(([c, t]) => declared.has(c) && declared.get(c) !== normal(t));
    if (detected.length === 0 && other.length === 0) continue;
    const source = seedSources.get(seed.uniqueId);
    const written = source?.file === undefined ? undefined : seedWithTypes(source.file, declared, seed.columnTypes, normal);
    if (source && written && 'bytes' in written) {
      source.file = written.bytes;
      source.format = 'parquet';
      notes.push({
        product: owner.product.id,
        text: `seed ${seed.name}: written as Parquet (data/${source.name}.parquet) with its column_types, so Quanta reads it with dbt's types${other.length > 0 ? ` (${other.map(([c, t]) => `${c}: ${normal(t)}, where the contract says ${declared.get(c) ?? '?'}`).join(', ')})` : ''}`,
      });
      continue;
    }
    notes.push({
      product: owner.product.id,
      text: `seed ${seed.name}: column_types not carried over${written && 'error' in written ? ` (${written.error})` : ''} — Quanta detects the types of seed columns no contract declares from the file${detected.length > 0 ? ` (${detected.join(', ')})` : ''}${other.length > 0 ? `, and reads a column a contract declares as that type (${other.map(([c, t]) => `${c}: ${declared.get(c) ?? '?'}, not ${normal(t)}`).join(', ')})` : ''}`,
    });
  }

  // Sources: a source-aligned product per dbt source, a port per table, placeholder rows generated.
  const bySource = new Map<string, PlannedProduct>();
  for (const source of manifest.sources) {
    // A source is its project's: two projects declaring a source of one name make two products.
    const key = `${projectOf(source).manifest.project}\u0000${source.sourceName}`;
    let product = bySource.get(key);
    if (!product) {
      product = newProduct(source.sourceName, domainOf(source.meta, source.group, source), `source ${source.sourceName}`, source);
      if (source.sourceDescription) product.description = source.sourceDescription;
      bySource.set(key, product);
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

  // ref() and source(): a sibling table, a source of the product, an input port, or an ephemeral model inlined as a CTE.
  const byName = new Map<string, ManifestNode[]>();
  for (const node of own) {
    const list = byName.get(node.name) ?? [];
    list.push(node);
    byName.set(node.name, list);
  }
  const sourceIds = new Map<string, ManifestSource[]>();
  for (const s of manifest.sources) {
    const key = `${s.sourceName}\u0000${s.name}`;
    sourceIds.set(key, [...(sourceIds.get(key) ?? []), s]);
  }
  // dbt looks a one-argument ref() or a source() up in the node's own project first, then in the others.
  const lookup = (call: Call, at: ManifestNode): string | undefined => {
    const home = projectOf(at).manifest.project;
    const candidates =
      call.kind === 'source'
        ? (sourceIds.get(`${call.source}\u0000${call.table}`) ?? [])
        : (byName.get(call.name) ?? []).filter(
            (n) =>
              (call.package === undefined || n.packageName === call.package) && (call.version === undefined || n.version === call.version),
          );
    return (candidates.find((c) => projectOf(c).manifest.project === home) ?? candidates[0])?.uniqueId;
  };
  const contractOf = (owner: Owner): PlannedPort | undefined => owner.product.ports.find((p) => p.name === owner.table);
  const target = { type: 'duckdb', name: options.target ?? 'dev' };
  const varsOf = (node: ManifestNode): ReadonlyMap<string, string> | undefined => projectOf(node).input.vars;
  const inlinedInto = new Map<string, Set<string>>(); // ephemeral unique_id → the products whose transforms inline it
  const readBy = new Map<string, Set<string>>(); // … and those that read it, inlined or not
  let inlinedChars = 0;
  for (const product of products) {
    const inputs = new Map<string, string>(); // owner key → input name
    for (const statement of product.statements) {
      const node = statement.node;
      if (!node) continue;
      if (node.language !== 'sql') {
        statement.unsupported = [`a ${node.language} model`];
        continue;
      }
      const ctes = new Map<string, { name: string; sql: string }>(); // inlined ephemerals, each after those it reads
      const inlining = new Set<string>();
      const resolve =
        (at: ManifestNode) =>
        (call: Call): { table: string } | { error: string } => {
          const id = lookup(call, at);
          const ephemeral = id === undefined ? undefined : ephemerals.get(id);
          if (ephemeral) return inline(ephemeral);
          const owner = id === undefined ? undefined : owners.get(id);
          if (!owner) return { error: `not a node of ${multi ? 'the imported projects' : 'this project'} carried over` };
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
      // An ephemeral model's SQL, rendered where it is read (its refs are the reading product's inputs), as a CTE.
      const inline = (ephemeral: ManifestNode): { table: string } | { error: string } => {
        const name = `__dbt__cte__${tableName(ephemeral.name)}`;
        readBy.set(ephemeral.uniqueId, (readBy.get(ephemeral.uniqueId) ?? new Set()).add(product.id));
        if (ctes.has(ephemeral.uniqueId)) return { table: name };
        const why = (text: string): { error: string } => ({ error: `ephemeral model ${ephemeral.name} cannot be inlined: ${text}` });
        if (inlining.has(ephemeral.uniqueId)) return why('it reads itself');
        if (ephemeral.language !== 'sql') return why(`a ${ephemeral.language} model`);
        if (inlining.size >= MAX_EPHEMERAL_DEPTH) return why(`ephemeral models nested deeper than ${MAX_EPHEMERAL_DEPTH}`);
        if (ctes.size >= MAX_CTES_PER_MODEL) return why(`the model would inline more than ${MAX_CTES_PER_MODEL} ephemeral models`);
        if (inlinedChars + ephemeral.rawCode.length > MAX_INLINED_CHARS)
          return why(`the import has inlined ${MAX_INLINED_CHARS / 1024 / 1024} MB of ephemeral SQL already`);
        inlining.add(ephemeral.uniqueId);
        try {
          const rendered = renderDbtSql(ephemeral.rawCode, resolve(ephemeral), target, varsOf(ephemeral));
          if (rendered.unsupported.length > 0) return why(rendered.unsupported.map((u) => `line ${u.line}: ${u.text}`).join('; '));
          if (rendered.assumed.length > 0)
            notes.push({ product: product.id, text: `model ${ephemeral.name}: imported assuming ${rendered.assumed.join('; ')}` });
          const body = rendered.sql.trimEnd();
          const sql = (body.endsWith(';') ? body.slice(0, -1) : body).trim();
          inlinedChars += sql.length;
          ctes.set(ephemeral.uniqueId, { name, sql });
          inlinedInto.set(ephemeral.uniqueId, (inlinedInto.get(ephemeral.uniqueId) ?? new Set()).add(product.id));
          return { table: name };
        } catch (error) {
          if (!(error instanceof JinjaSyntaxError)) throw error;
          return why(`its Jinja does not parse (${error.message})`);
        } finally {
          inlining.delete(ephemeral.uniqueId);
        }
      };
      try {
        const rendered = renderDbtSql(node.rawCode, resolve(node), target, varsOf(node));
        if (rendered.assumed.length > 0)
          notes.push({ product: product.id, text: `model ${node.name}: imported assuming ${rendered.assumed.join('; ')}` });
        statement.sql = withCtes(rendered.sql, [...ctes.values()]);
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
    orderStatements(product, owners, ephemerals);
    for (const statement of product.statements) {
      if (statement.unsupported && statement.node)
        notes.push({
          product: product.id,
          text: `model ${statement.node.name}: not carried over, so the transform fails until rewritten: ${statement.unsupported.join('; ')}`,
        });
    }
  }
  for (const [id, ephemeral] of ephemerals) {
    const into = [...(inlinedInto.get(id) ?? [])];
    const failed = [...(readBy.get(id) ?? [])].filter((p) => !into.includes(p));
    const tests = testsOf.get(id)?.length ?? 0;
    const untested = tests > 0 ? `; its ${tests === 1 ? 'test is' : `${tests} tests are`} not carried over` : '';
    const where =
      into.length > 0
        ? `inlined as a CTE into the transform of ${into.join(', ')}, as dbt compiles it, not a product`
        : failed.length > 0
          ? 'not a product, and not inlined'
          : 'no model carried over reads it, so it is not carried over';
    notes.push({
      text: `model ${ephemeral.name} is ephemeral in dbt: ${where}${failed.length > 0 ? ` (${failed.join(', ')} cannot inline it: see their notes)` : ''}${untested}`,
    });
  }
  const files = meshFiles(manifest, project, products, notes);
  return {
    files,
    notes,
    schemaVersion: manifest.schemaVersion,
    project,
    projects: read.map((r) => ({ name: r.manifest.project, manifest: r.input.shown, schemaVersion: r.manifest.schemaVersion })),
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

/** The manifests as one: their nodes, tests and sources side by side (unique ids name their project), the highest schema version. */
function merged(read: readonly ReadProject[]): Manifest {
  const skipped = new Map<string, number>();
  for (const r of read) for (const [kind, count] of r.manifest.skipped) skipped.set(kind, (skipped.get(kind) ?? 0) + count);
  const names = read.map((r) => r.manifest.project);
  return {
    schemaVersion: Math.max(...read.map((r) => r.manifest.schemaVersion)),
    project: names.length === 1 ? (names[0] ?? '') : names.join(', '),
    nodes: read.flatMap((r) => r.manifest.nodes),
    tests: read.flatMap((r) => r.manifest.tests),
    sources: read.flatMap((r) => r.manifest.sources),
    groups: read.flatMap((r) => r.manifest.groups),
    disabled: read.flatMap((r) => r.manifest.disabled),
    skipped,
  };
}

/**
 * A model's SQL with the ephemeral models it reads as CTEs before its own, as dbt compiles it:
 * spliced after the model's leading `WITH [RECURSIVE]` when it has one (comments before it
 * skipped), else a `WITH` put before the query.
 */
export function withCtes(sql: string, ctes: readonly { readonly name: string; readonly sql: string }[]): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `${c.name} AS (\n${c.sql}\n)`).join(',\n');
  const at = significant(sql, 0);
  const word = (from: number, w: string): boolean =>
    sql.slice(from, from + w.length).toLowerCase() === w && !/[A-Za-z0-9_]/.test(sql.charAt(from + w.length));
  if (!word(at, 'with')) return `${sql.slice(0, at)}WITH ${defs}\n${sql.slice(at)}`;
  let after = significant(sql, at + 4);
  if (word(after, 'recursive')) after = significant(sql, after + 'recursive'.length);
  return `${sql.slice(0, after)}${defs},\n${sql.slice(after)}`;
}

/** The offset of the first character from `from` that is neither whitespace nor in an SQL comment. */
function significant(sql: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < sql.length && /\s/.test(sql.charAt(i))) i++;
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else return i;
  }
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
  options: Pick<DbtImportOptions, 'readSeed'>,
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

/** Tables before the tables that read them (a product's models refer to each other by ref(), also through an inlined ephemeral model). */
function orderStatements(product: PlannedProduct, owners: ReadonlyMap<string, Owner>, ephemerals: ReadonlyMap<string, ManifestNode>): void {
  const byTable = new Map(product.statements.map((s) => [s.table, s]));
  const done = new Set<string>();
  const out: typeof product.statements = [];
  const visit = (table: string, path: Set<string>): void => {
    const statement = byTable.get(table);
    if (!statement || done.has(table) || path.has(table)) return;
    path.add(table);
    const deps = [...(statement.node?.dependsOn ?? [])];
    const seen = new Set<string>();
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i] ?? '';
      if (seen.has(dep)) continue;
      seen.add(dep);
      const ephemeral = ephemerals.get(dep);
      if (ephemeral) deps.push(...ephemeral.dependsOn);
      const owner = owners.get(dep);
      if (owner?.product === product && owner.kind === 'table') visit(owner.table, path);
    }
    done.add(table);
    out.push(statement);
  };
  for (const s of [...product.statements]) visit(s.table, new Set());
  product.statements.splice(0, product.statements.length, ...out);
}

/** A seed CSV as Parquet with dbt's types: its column_types, else the type the contracts declare (as the quantum reads a CSV). */
function seedWithTypes(
  file: Uint8Array,
  declared: ReadonlyMap<string, string>,
  columnTypes: ReadonlyMap<string, string>,
  normal: (type: string) => string,
): { bytes: Uint8Array } | { error: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return { error: 'the file is not UTF-8' };
  }
  return seedAsParquet(text, new Map([...declared, ...[...columnTypes].map(([c, t]) => [c, normal(t)] as const)]));
}
