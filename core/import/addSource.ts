import { uniqueName } from '../blueprints/blueprints.ts';
import { applyEdit, type MeshEdit } from '../edits/meshEdits.ts';
import { joinPath, resolveInMesh } from '../fs/meshFileSystem.ts';
import { SETTINGS_FILE } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import type { DataProduct, Mesh, MeshFiles, TextSourceFile } from '../model/types.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import type { ImportAnalysis } from './importFile.ts';

/*
 * A file dropped on an existing product becomes one more source of it: a `sources:` entry
 * `{ name, description, file: data/<file> }` appended to its quanta.yaml through the yaml
 * Document API (comments, key order and unknown fields stay), and the data file as a seed.
 * The mesh format lets any archetype have sources (core/load/buildProduct.ts): a source is a
 * table its transform.sql reads, next to its input ports. The transform is left as it is —
 * which rows of the new table it publishes is the team's choice, not a guess.
 */

/** A source name DuckDB and quanta.yaml's schema both take unquoted. */
export const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface AddSourceRequest {
  readonly analysis: ImportAnalysis;
  /** The table name the transform reads it by; proposed by `proposedSource`. */
  readonly source: string;
  /** Publish its rows with the table `appendableTable` names: transform.sql reads both as one (UNION ALL BY NAME). */
  readonly append?: boolean;
}

/** The SQL with comments and string literals blanked (same length, so offsets hold); quoted identifiers stay. */
function masked(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each place `table` is named in the SQL (bare or double-quoted), outside comments and strings. */
function mentions(sql: string, table: string): RegExpExecArray[] {
  const name = escapeRegExp(table);
  return [...masked(sql).matchAll(new RegExp(`(?<![\\w"])(?:${name}|"${name}")(?![\\w"])`, 'gi'))];
}

/**
 * The source table a new file's rows can be appended to: one of the product's file sources
 * that transform.sql names exactly once, right after FROM. Undefined when there is none
 * (no transform, a join, a table named twice): then the user writes the SQL.
 */
export function appendableTable(product: DataProduct): string | undefined {
  const sql = product.transform?.text;
  if (sql === undefined) return undefined;
  for (const source of product.settings?.sources ?? []) {
    if (source.file === undefined) continue;
    const found = mentions(sql, source.name);
    const at = found[0];
    if (found.length === 1 && at && /\bFROM\s+$/i.test(masked(sql).slice(0, at.index))) return source.name;
  }
  return undefined;
}

/** transform.sql reading `table` together with `added` (`FROM (SELECT * FROM t UNION ALL BY NAME SELECT * FROM n) AS t`). */
function appendedTransform(sql: string, table: string, added: readonly string[]): string | undefined {
  const [at, ...more] = mentions(sql, table);
  if (!at || more.length > 0) return undefined;
  const name = at[0];
  const union = [name, ...added.map((a) => `"${a}"`)].map((t) => `SELECT * FROM ${t}`).join(' UNION ALL BY NAME ');
  return `${sql.slice(0, at.index)}(${union}) AS ${name}${sql.slice(at.index + name.length)}`;
}

/** The names a new source of `product` may not take: its sources and its input ports (both are tables of its transform). */
function takenTables(product: DataProduct): Set<string> {
  return new Set([...(product.settings?.sources.map((s) => s.name) ?? []), ...product.inputPorts.map((p) => p.name)]);
}

/** `orders-2026.csv` → `orders_2026`, unique among the product's tables (`orders_2026_2`, …). */
export function proposedSource(product: DataProduct, fileName: string, alsoTaken: readonly string[] = []): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const base = /^[A-Za-z_]/.test(stem) ? stem : `t_${stem}`;
  return uniqueName(base.replace(/_+$/, '') || 'imported', new Set([...takenTables(product), ...alsoTaken]));
}

/** `orders.csv` → `orders-2.csv`, `orders-3.csv`… until no file of the mesh has that path. */
function freshPath(dir: string, fileName: string, taken: ReadonlySet<string>): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const extension = dot > 0 ? fileName.slice(dot) : '';
  let candidate = `data/${fileName}`;
  for (let n = 2; taken.has(joinPath(dir, candidate)); n++) candidate = `data/${stem}-${n}${extension}`;
  return candidate;
}

export interface AddedSources {
  readonly files: Map<string, YamlSourceFile | TextSourceFile>;
  readonly seeds: Map<string, Uint8Array>;
  /** Per request, the data file's path inside the product folder (`data/orders-2.csv`). */
  readonly dataFiles: readonly string[];
}

/**
 * The files after adding each request as a source of `product`, and the data files to write;
 * all or nothing. `existingPaths`: every path the mesh has (text files and seeds), so a data
 * file never replaces another. Throws EditError, naming what is wrong.
 */
export function addedSources(
  files: MeshFiles,
  product: DataProduct,
  requests: readonly AddSourceRequest[],
  existingPaths: Iterable<string>,
): AddedSources {
  const settings = product.settings;
  if (!settings) {
    throw new EditError(`${product.id} has no readable ${SETTINGS_FILE}; fix it before adding a data file`);
  }
  const settingsFile = files.get(settings.file);
  if (!settingsFile || !('doc' in settingsFile)) throw new EditError(`${settings.file} is not a loaded YAML file`);
  const taken = takenTables(product);
  const paths = new Set(existingPaths);
  for (const [path] of files) paths.add(path);
  // Sources already naming a file keep it, even one not written yet.
  for (const source of settings.sources) if (source.resolvedFile) paths.add(source.resolvedFile);
  const existing = asFields(settingsFile.value)['sources'];
  if (existing !== undefined && existing !== null && !Array.isArray(existing)) {
    throw new EditError(`${settings.file}: sources is not a list; fix it before adding a data file`);
  }
  // null (`sources:` with nothing after it) is no list yet: the first entry writes one.
  let count = Array.isArray(existing) ? asList(existing).length : -1;
  let next: MeshFiles = files;
  const seeds = new Map<string, Uint8Array>();
  const dataFiles: string[] = [];
  for (const { analysis, source } of requests) {
    if (!SOURCE_NAME.test(source)) {
      throw new EditError(`source name "${source}" must start with a letter or _ and hold only letters, digits and _ (it is a table name)`);
    }
    if (taken.has(source)) throw new EditError(`${product.id} already reads a table named "${source}"; choose another source name`);
    taken.add(source);
    const dataFile = freshPath(product.dir, analysis.fileName, paths);
    const full = joinPath(product.dir, dataFile);
    paths.add(full);
    const entry = { name: source, description: `Imported from ${analysis.fileName}.`, file: dataFile };
    const edit: MeshEdit =
      count < 0
        ? { kind: 'setField', file: settings.file, path: ['sources'], value: [entry] }
        : { kind: 'setField', file: settings.file, path: ['sources', count], value: entry };
    next = applyEdit(next, edit);
    count = Math.max(count, 0) + 1;
    seeds.set(full, analysis.bytes);
    dataFiles.push(dataFile);
  }
  const appended = requests.filter((r) => r.append).map((r) => r.source);
  if (appended.length > 0) {
    const table = appendableTable(product);
    const transform = product.transform;
    const sql = table && transform ? appendedTransform(transform.text, table, appended) : undefined;
    if (!transform || sql === undefined) {
      throw new EditError(
        `${product.id}'s transform.sql does not read one source table in a single FROM; add the file, then use it in the SQL`,
      );
    }
    next = applyEdit(next, { kind: 'setText', file: transform.path, text: sql });
  }
  return { files: new Map(next), seeds, dataFiles };
}

/** What adding a source does to `product`, in words for the dialog (when its rows are not appended). */
export function sourceNote(product: DataProduct, source: string): string {
  const reads = product.transform ? 'its transform.sql' : 'a transform.sql (it has none yet)';
  return product.settings?.archetype === 'source-aligned'
    ? `${product.id} gets a table "${source}" that ${reads} can read; what it publishes stays as the transform says until you use the table there.`
    : `${product.id} is ${product.settings?.archetype ?? 'a product'}: it reads its input ports, and now also "${source}" — a table ${reads} can join with them.`;
}

/**
 * Data files a save writes besides those of new products (meshDocument's pendingWrites): the
 * files of sources that an existing product's edited quanta.yaml names and its saved one did
 * not — a file added with addedSources. Undone before the save, the source names nothing, so
 * nothing is written; once saved, the saved quanta.yaml names it.
 */
export function addedSourceFiles(mesh: Mesh, saved: MeshFiles): string[] {
  const added: string[] = [];
  for (const product of mesh.products) {
    const settings = product.settings;
    const before = settings ? saved.get(settings.file) : undefined;
    if (!settings || !before) continue; // a new product's data files go with it
    const value = 'value' in before ? before.value : undefined;
    const named = new Set(
      asList(asFields(value)['sources']).flatMap((raw) => {
        const file = asString(asFields(raw)['file']);
        const resolved = file === undefined ? undefined : resolveInMesh(product.dir, file);
        return resolved === undefined ? [] : [resolved];
      }),
    );
    for (const source of settings.sources) if (source.resolvedFile && !named.has(source.resolvedFile)) added.push(source.resolvedFile);
  }
  return added;
}
