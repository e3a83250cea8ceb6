import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import nodePath from 'node:path';
import { parse as parseYaml } from 'yaml';
import { hasUnsafeCharacters } from '../../model/ids.ts';
import { asFields, asString } from '../../model/read.ts';
import { formatDiagnostic } from '../../diagnostics/diagnostic.ts';
import { MemoryFileSystem } from '../../fs/memoryFileSystem.ts';
import { MeshReadError } from '../../fs/meshFileSystem.ts';
import { DbtImportError, importDbtProjects, MAX_MANIFESTS, type DbtProjectInput } from '../../import/dbt/dbtImport.ts';
import { loadMesh } from '../../load/loadMesh.ts';
import { limitsFromEnv, readRegularFile } from '../boundedRead.ts';
import { plural } from '../cliText.ts';
import { GeneratedFolderError, previousFiles, writeGeneratedFolder } from '../generatedFolder.ts';
import { parseOptions, UsageError, type Command } from './command.ts';

/** The marker an import leaves in the mesh it wrote, so the next import replaces only its own files. */
export const IMPORT_MARKER = '.quanta-import.json';
const GENERATOR = 'quanta import dbt';
/** A manifest larger than this is refused (dbt's own for thousands of models is tens of MB). */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
/** The manifests of one import together: each is parsed and held at once, so the bound is on all. */
export const MAX_TOTAL_MANIFEST_BYTES = 512 * 1024 * 1024;

/** `quanta import dbt`: a dbt project's manifest.json as a mesh (core/import/dbt/, docs/dbt-import.md). */
export const importCommand: Command = {
  name: 'import',
  usage: `  quanta import dbt <manifest.json|folder>… --out <mesh-dir> [--catalog <catalog.json>] [--target <name>] [--name <mesh>] [--json]
      Turn a dbt project (its target/manifest.json from \`dbt parse\`, dbt 1.5–1.11) into a mesh:
      groups become domains, models data products with ODCS contracts from their columns,
      constraints and tests, ref() and source() input ports, sources and seeds source-aligned
      products (seed files copied from the dbt project beside the manifest). What the mesh
      cannot carry is printed. <mesh-dir> must be empty, new, or a mesh quanta import wrote.
      --catalog: the catalog.json of \`dbt docs generate\` (default: the one beside the manifest)
      types the columns the YAML leaves untyped and adds the ones it does not list.
      --target: the target name \`{% if target.name == … %}\` is decided for (default dev).
      Several manifests, or a folder of dbt project folders each with target/manifest.json (an
      export --layout project-per-domain), make one mesh: cross-project refs (dbt-loom) become
      input ports. --name: the mesh's name (default the project's, or the projects' folder's).
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      catalog: { type: 'string' },
      target: { type: 'string' },
      name: { type: 'string' },
    });
    const [format, ...manifestArgs] = positionals;
    if (format !== 'dbt')
      throw new UsageError(
        `import reads dbt manifests: quanta import dbt <manifest.json> --out <mesh-dir>${format ? ` (not "${format}")` : ''}`,
      );
    if (manifestArgs.length === 0)
      throw new UsageError('give a manifest, e.g. quanta import dbt my-project/target/manifest.json --out my-mesh');
    const outArg = values['out'];
    if (typeof outArg !== 'string' || outArg === '') throw new UsageError('give the mesh folder to write with --out <mesh-dir>');
    const out = nodePath.resolve(io.cwd, outArg);
    const manifests = await manifestsOf(io.cwd, manifestArgs);
    if (manifests.length > MAX_MANIFESTS) throw new UsageError(`${manifests.length} manifests: at most ${MAX_MANIFESTS} make one mesh`);
    const nameArg = values['name'];
    if (nameArg !== undefined && (typeof nameArg !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(nameArg)))
      throw new UsageError('--name takes a mesh name (letters, digits, _ . -), e.g. --name my-mesh');
    const fail = (message: string): number => {
      io.err(`quanta import: ${message}\n`);
      return 1;
    };

    const target = values['target'];
    if (target !== undefined && (typeof target !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(target)))
      throw new UsageError('--target takes a dbt target name (letters, digits, _ . -), e.g. --target dev');
    const readJson = async (path: string, shown: string): Promise<string | { error: string }> => {
      try {
        const bytes = await readRegularFile(path, shown, { maxBytes: MAX_MANIFEST_BYTES, timeoutMs: limitsFromEnv().timeoutMs });
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (error) {
        if (error instanceof MeshReadError) return { error: error.message };
        if (error instanceof TypeError) return { error: `${shown} is not UTF-8 text` };
        throw error;
      }
    };
    const catalogArg = typeof values['catalog'] === 'string' ? values['catalog'] : undefined;
    if (catalogArg !== undefined && manifests.length > 1)
      throw new UsageError('--catalog is for one manifest; with several, each catalog.json is read from beside its manifest');
    const inputs: DbtProjectInput[] = [];
    const projects: (string | undefined)[] = [];
    let total = 0;
    for (const { path: manifestPath, shown } of manifests) {
      const size = (await fsp.lstat(manifestPath).catch(() => undefined))?.size ?? 0;
      if (total + size > MAX_TOTAL_MANIFEST_BYTES)
        return fail(`${shown}: the manifests together are over ${MAX_TOTAL_MANIFEST_BYTES / 1024 / 1024} MB; import fewer at once`);
      const text = await readJson(manifestPath, shown);
      if (typeof text !== 'string') return fail(text.error);
      total += text.length;
      // The catalog `dbt docs generate` writes beside the manifest, or the one --catalog names.
      const catalogPath =
        catalogArg === undefined ? nodePath.join(nodePath.dirname(manifestPath), 'catalog.json') : nodePath.resolve(io.cwd, catalogArg);
      const catalogShown = catalogArg ?? nodePath.join(nodePath.dirname(shown), 'catalog.json');
      const hasCatalog = catalogArg !== undefined || (await fsp.lstat(catalogPath).catch(() => undefined))?.isFile() === true;
      const catalogText = hasCatalog ? await readJson(catalogPath, catalogShown) : undefined;
      if (catalogText !== undefined && typeof catalogText !== 'string') return fail(catalogText.error);
      // Seeds and vars from this manifest's own project only.
      const project = await projectBeside(manifestPath);
      projects.push(project);
      inputs.push({
        json: text,
        shown,
        readSeed: (path) => readSeed(project, path),
        vars: project === undefined ? new Map<string, string>() : await projectVars(project),
        ...(catalogText === undefined ? {} : { catalog: { text: catalogText, shown: catalogShown } }),
      });
    }
    const name = typeof nameArg === 'string' ? nameArg : manifests.length > 1 ? commonParentName(projects) : undefined;
    let result;
    try {
      result = await importDbtProjects(inputs, {
        ...(typeof target === 'string' ? { target } : {}),
        ...(name === undefined ? {} : { name }),
      });
    } catch (error) {
      if (error instanceof DbtImportError) return fail(error.message);
      throw error;
    }
    // The mesh is judged before a byte is written: the same loader and validator as `quanta validate`.
    const loaded = await loadMesh(new MemoryFileSystem(Object.fromEntries(result.files)));
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    try {
      await writeWhole(out, result.files);
    } catch (error) {
      if (error instanceof GeneratedFolderError) throw new UsageError(`--out: ${error.message}`);
      throw error;
    }
    if (values['json'] === true) {
      io.out(
        `${JSON.stringify(
          {
            out,
            schemaVersion: result.schemaVersion,
            project: result.project,
            projects: result.projects,
            products: result.products,
            notes: result.notes,
            valid: errors.length === 0,
            diagnostics: loaded.diagnostics,
          },
          null,
          2,
        )}\n`,
      );
      return errors.length === 0 ? 0 : 1;
    }
    const ports = result.products.reduce((n, p) => n + p.ports.length, 0);
    const from =
      result.projects.length === 1
        ? `manifest v${result.schemaVersion}`
        : `${result.projects.length} manifests (dbt projects ${result.projects.map((p) => p.name).join(', ')})`;
    const seedless = projects.some((p) => p === undefined)
      ? ` (no dbt project beside ${result.projects.length === 1 ? 'the manifest' : 'some manifests'}: seeds not copied)`
      : '';
    io.out(
      `✓ mesh ${result.project} in ${outArg} from ${from}: ${plural(result.products.length, 'product')}, ${plural(ports, 'output port')}, ` +
        `${plural(new Set(result.products.map((p) => p.domain)).size, 'domain')}${seedless}\n`,
    );
    if (result.notes.length > 0) {
      io.out(`\nNot carried over, or carried differently:\n`);
      for (const note of result.notes) io.out(`  - ${note.product ? `${note.product}: ` : ''}${note.text}\n`);
    }
    for (const d of loaded.diagnostics) io.out(`${formatDiagnostic(d)}\n`);
    if (errors.length > 0) {
      io.out(`\n✗ the imported mesh has ${plural(errors.length, 'error')}: fix them, then quanta validate ${outArg}\n`);
      return 1;
    }
    io.out(`\nRun it: quanta run ${outArg}\n`);
    return 0;
  },
};

/**
 * The manifests the arguments name: a file is a manifest; a folder is a dbt project (its
 * target/manifest.json) or, failing that, a folder of dbt projects — each subfolder (sorted, one
 * level, no links) with a target/manifest.json — as `export dbt --layout project-per-domain` writes.
 */
async function manifestsOf(cwd: string, args: readonly string[]): Promise<{ path: string; shown: string }[]> {
  const found: { path: string; shown: string }[] = [];
  const isFile = async (path: string): Promise<boolean> => (await fsp.lstat(path).catch(() => undefined))?.isFile() === true;
  for (const arg of args) {
    const path = nodePath.resolve(cwd, arg);
    const stats = await fsp.lstat(path).catch(() => undefined);
    if (!stats?.isDirectory()) {
      found.push({ path, shown: arg });
      continue;
    }
    const own = nodePath.join(path, 'target', 'manifest.json');
    if (await isFile(own)) {
      found.push({ path: own, shown: nodePath.join(arg, 'target', 'manifest.json') });
      continue;
    }
    const entries = (await fsp.readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    if (entries.length > MAX_MANIFESTS * 10)
      throw new UsageError(`${arg}: ${entries.length} folders, too many to look for dbt projects in`);
    const inside: { path: string; shown: string }[] = [];
    for (const entry of entries) {
      const manifest = nodePath.join(path, entry, 'target', 'manifest.json');
      if (await isFile(manifest)) inside.push({ path: manifest, shown: nodePath.join(arg, entry, 'target', 'manifest.json') });
    }
    if (inside.length === 0)
      throw new UsageError(`${arg} holds no target/manifest.json, nor do its folders: run dbt parse in each project first`);
    found.push(...inside);
  }
  return found;
}

/** The name of the folder all the dbt projects are in (a per-domain export's --out), when they share one. */
function commonParentName(projects: readonly (string | undefined)[]): string | undefined {
  const parents = new Set(projects.map((p) => (p === undefined ? undefined : nodePath.dirname(p))));
  const [only] = parents;
  return parents.size === 1 && only !== undefined ? nodePath.basename(only) : undefined;
}

/** The dbt project the manifest belongs to: its folder or the one above (target/), holding dbt_project.yml. */
async function projectBeside(manifest: string): Promise<string | undefined> {
  for (const dir of [nodePath.dirname(manifest), nodePath.dirname(nodePath.dirname(manifest))]) {
    const stats = await fsp.lstat(nodePath.join(dir, 'dbt_project.yml')).catch(() => undefined);
    if (stats?.isFile()) return fsp.realpath(dir);
  }
  return undefined;
}

/**
 * The `vars:` of the project's dbt_project.yml as Jinja prints them (`True`, `5`, text): the
 * top-level scalars and those under the project's own name. Unreadable: none (each var() then
 * takes its default, or is not carried over).
 */
async function projectVars(project: string): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  let document: unknown;
  try {
    const bytes = await readRegularFile(nodePath.join(project, 'dbt_project.yml'), 'dbt_project.yml', limitsFromEnv());
    document = parseYaml(new TextDecoder().decode(bytes), { maxAliasCount: 100 });
  } catch {
    return vars;
  }
  const fields = asFields(document);
  const all = asFields(fields['vars']);
  const name = asString(fields['name']);
  const printed = (v: unknown): string | undefined =>
    typeof v === 'string'
      ? v
      : typeof v === 'number' && Number.isFinite(v)
        ? String(v)
        : typeof v === 'boolean'
          ? v
            ? 'True'
            : 'False'
          : undefined;
  for (const scope of [all, name === undefined ? {} : asFields(all[name])])
    for (const [key, value] of Object.entries(scope)) {
      const p = printed(value);
      if (p !== undefined && p.length <= 1000 && !hasUnsafeCharacters(p)) vars.set(key, p);
    }
  return vars;
}

/** A seed file by its project path, only from inside the project folder (no absolute paths, `..` or links out), bounded like every seed read. */
async function readSeed(project: string | undefined, path: string): Promise<Uint8Array | { error: string }> {
  if (project === undefined) return { error: 'no dbt project (dbt_project.yml) beside the manifest' };
  const segments = path.split(/[\\/]/);
  if (nodePath.isAbsolute(path) || /^[A-Za-z]:/.test(path) || segments.some((s) => s === '..' || s === '') || path.includes('\0'))
    return { error: `its path ${JSON.stringify(path.slice(0, 100))} is not a plain path inside the project` };
  const absolute = nodePath.join(project, ...segments);
  const real = await fsp.realpath(absolute).catch(() => undefined);
  if (real === undefined) return { error: `${path} does not exist in the project` };
  if (!real.startsWith(project + nodePath.sep)) return { error: `${path} leads outside the project` };
  try {
    return await readRegularFile(real, path, limitsFromEnv());
  } catch (error) {
    if (error instanceof MeshReadError) return { error: error.message };
    throw error;
  }
}

/**
 * All the files or none: a new or empty folder gets them in a sibling temporary folder renamed
 * into place; a mesh this command wrote before is replaced file by file (its marker lists them).
 */
async function writeWhole(out: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  const previous = await previousFiles(out, IMPORT_MARKER, GENERATOR);
  if (previous.length > 0) {
    await writeGeneratedFolder(out, files, IMPORT_MARKER, GENERATOR);
    return;
  }
  const temp = nodePath.join(nodePath.dirname(out), `.${nodePath.basename(out)}.${randomBytes(6).toString('hex')}.importing`);
  try {
    await writeGeneratedFolder(temp, files, IMPORT_MARKER, GENERATOR);
    await fsp.rmdir(out).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw new GeneratedFolderError(`${out} is not empty; give an empty or new folder`);
    });
    await fsp.rename(temp, out);
  } finally {
    await fsp.rm(temp, { recursive: true, force: true });
  }
}
