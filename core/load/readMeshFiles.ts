import { diagnostic, startOf, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.ts';
import { joinPath, PathEscapeError, type MeshFileSystem } from '../fs/meshFileSystem.ts';
import type { TextSourceFile } from '../model/types.ts';
import { decodeText, MAX_METADATA_BYTES, parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { readFailure } from './readFailure.ts';

export const MESH_FILE = 'mesh.yaml';
export const DOMAIN_FILE = 'domain.yaml';
export const PRODUCT_FILE = 'product.odps.yaml';
export const SETTINGS_FILE = 'quanta.yaml';
export const TRANSFORM_FILE = 'transform.sql';
export const CONTRACT_SUFFIX = '.odcs.yaml';
export const POLICY_SUFFIX = '.policy.yaml';
export const SCENARIO_SUFFIX = '.scenario.yaml';
/** Consumers' ratings and counted use of a product (docs/discovery.md). */
export const FEEDBACK_SUFFIX = '.feedback.yaml';
export const USAGE_SUFFIX = '.usage.yaml';
/** Editor node positions; optional, Quanta-only. */
export const LAYOUT_FILE = 'layout.yaml';

export interface ReadResult {
  readonly files: Map<string, YamlSourceFile | TextSourceFile>;
  /** Problems with the folder itself: unreadable files, folders that are not products. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads every file of the mesh format from a mesh folder. Never throws: a file that cannot
 * be read or decoded becomes a diagnostic, and the rest of the mesh still loads.
 */
export async function readMeshFiles(fs: MeshFileSystem): Promise<ReadResult> {
  const files = new Map<string, YamlSourceFile | TextSourceFile>();
  const diagnostics: Diagnostic[] = [];

  const read = async (path: string, kind: 'yaml' | 'text'): Promise<void> => {
    let bytes: Uint8Array;
    try {
      // The size limit is applied before reading, so a huge file is never loaded whole.
      bytes = await fs.readFile(path, { maxBytes: MAX_METADATA_BYTES });
    } catch (error) {
      diagnostics.push(readFailure(path, error));
      return;
    }
    const decoded = decodeText(path, bytes);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      return;
    }
    files.set(path, kind === 'yaml' ? parseYaml(path, decoded.text) : { path, text: decoded.text });
  };

  const list = async (dir: string): Promise<Awaited<ReturnType<MeshFileSystem['list']>>> => {
    try {
      return await fs.list(dir);
    } catch (error) {
      // A folder that is a symlink pointing outside the mesh: say so rather than treat it as empty.
      if (error instanceof PathEscapeError) {
        diagnostics.push(diagnostic('QUANTA_E031', startOf(dir), `${dir} links to a place outside the mesh folder, so it is not read`));
      }
      return [];
    }
  };

  let meshStat: Awaited<ReturnType<MeshFileSystem['stat']>>;
  try {
    meshStat = await fs.stat(MESH_FILE);
  } catch (error) {
    // Most often a mesh.yaml symlinked to a file outside the folder: say that, not "no mesh.yaml".
    diagnostics.push(readFailure(MESH_FILE, error));
    return { files, diagnostics };
  }
  if (meshStat === undefined || meshStat.kind === 'directory') {
    const why = meshStat ? 'mesh.yaml here is a folder' : 'this folder has no mesh.yaml';
    diagnostics.push(diagnostic('QUANTA_E005', startOf(MESH_FILE), `${why}, so it is not a Quanta mesh`));
    return { files, diagnostics };
  }
  await read(MESH_FILE, 'yaml');
  await readLayout(fs, files, diagnostics);

  for (const domain of await list('domains')) {
    if (domain.kind !== 'directory' || domain.name.startsWith('.')) continue;
    const domainDir = joinPath('domains', domain.name);
    const entries = await list(domainDir);
    if (entries.some((e) => e.name === DOMAIN_FILE && e.kind !== 'directory')) {
      await read(joinPath(domainDir, DOMAIN_FILE), 'yaml');
    } else {
      diagnostics.push(
        diagnostic('QUANTA_E029', startOf(joinPath(domainDir, DOMAIN_FILE)), `domain folder ${domainDir} has no ${DOMAIN_FILE}`),
      );
    }
    for (const entry of entries) {
      if (entry.kind === 'file' && isYaml(entry.name) && entry.name !== DOMAIN_FILE) {
        diagnostics.push(notPartOfFormat(joinPath(domainDir, entry.name)));
      }
      if (entry.kind !== 'directory' || entry.name.startsWith('.')) continue;
      await readProduct(list, joinPath(domainDir, entry.name), read, diagnostics);
    }
  }

  for (const [folder, suffix] of [
    ['policies', POLICY_SUFFIX],
    ['scenarios', SCENARIO_SUFFIX],
    ['feedback', FEEDBACK_SUFFIX],
    ['usage', USAGE_SUFFIX],
  ] as const) {
    for (const entry of await list(folder)) {
      const path = joinPath(folder, entry.name);
      if (entry.kind !== 'directory' && entry.name.endsWith(suffix)) await read(path, 'yaml');
      else if (entry.kind === 'file' && isYaml(entry.name)) diagnostics.push(notPartOfFormat(path, `name it *${suffix} to load it`));
    }
  }
  return { files, diagnostics };
}

async function readProduct(
  list: (dir: string) => Promise<Awaited<ReturnType<MeshFileSystem['list']>>>,
  dir: string,
  read: (path: string, kind: 'yaml' | 'text') => Promise<void>,
  diagnostics: Diagnostic[],
): Promise<void> {
  const entries = await list(dir);
  // `other` entries (a FIFO, a broken symlink) with a mesh file's name are read too, so the
  // read says what is wrong with them: a transform.sql that cannot be read is an error, never skipped.
  const names = new Set(entries.filter((e) => e.kind !== 'directory').map((e) => e.name));
  if (!names.has(PRODUCT_FILE)) {
    diagnostics.push(
      diagnostic('QUANTA_W037', startOf(dir), `folder ${dir} has no ${PRODUCT_FILE}, so it is not loaded as a data product`),
    );
    return;
  }
  for (const name of [...names].sort()) {
    const path = joinPath(dir, name);
    if (name === PRODUCT_FILE || name === SETTINGS_FILE || name.endsWith(CONTRACT_SUFFIX)) await read(path, 'yaml');
    else if (name === TRANSFORM_FILE) await read(path, 'text');
    else if (isYaml(name) && entries.some((e) => e.name === name && e.kind === 'file'))
      diagnostics.push(notPartOfFormat(path, `contracts are named <output-port>${CONTRACT_SUFFIX}`));
  }
}

/**
 * layout.yaml only says where the editor draws nodes, so it never blocks a mesh: a file
 * that cannot be read is a warning, and the editor lays the nodes out itself.
 */
async function readLayout(
  fs: MeshFileSystem,
  files: Map<string, YamlSourceFile | TextSourceFile>,
  diagnostics: Diagnostic[],
): Promise<void> {
  const stat = await safeStat(fs, LAYOUT_FILE);
  if (stat === undefined || stat.kind === 'directory') return;
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(LAYOUT_FILE, { maxBytes: MAX_METADATA_BYTES });
  } catch (error) {
    diagnostics.push(
      layoutIgnored(startOf(LAYOUT_FILE), `cannot read ${LAYOUT_FILE} (${errorMessage(error)}); the editor lays the nodes out itself`),
    );
    return;
  }
  const decoded = decodeText(LAYOUT_FILE, bytes);
  if ('diagnostic' in decoded) {
    diagnostics.push(layoutIgnored(decoded.diagnostic, `${decoded.diagnostic.message}; the editor lays the nodes out itself`));
    return;
  }
  files.set(LAYOUT_FILE, parseYaml(LAYOUT_FILE, decoded.text));
}

/**
 * A problem with layout.yaml: always a warning, since positions are a convenience.
 * (QUANTA_W039, "ignored": the part of the file that is wrong is not used.)
 */
export function layoutIgnored(at: SourcePosition, message: string): Diagnostic {
  return diagnostic(
    'QUANTA_W039',
    at,
    message,
    `${LAYOUT_FILE} only says where the editor draws each product ({x, y} numbers by product id); positions that are not two numbers are ignored. Fix it, or delete it: moving a node writes a new one.`,
  );
}

function notPartOfFormat(path: string, hint?: string): Diagnostic {
  return diagnostic('QUANTA_W039', startOf(path), `${path} is not part of the mesh format and is ignored`, hint);
}

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

async function safeStat(fs: MeshFileSystem, path: string): Promise<Awaited<ReturnType<MeshFileSystem['stat']>>> {
  try {
    return await fs.stat(path);
  } catch {
    return undefined;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
