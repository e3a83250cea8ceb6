import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { MeshFileSystem } from '../fs/meshFileSystem.ts';
import type { Mesh } from '../model/types.ts';
import { locate } from '../yaml/sourceFile.ts';
import { buildMesh } from './buildMesh.ts';
import { errorMessage, readMeshFiles } from './readMeshFiles.ts';

export interface LoadedMesh {
  readonly mesh: Mesh;
  /** Sorted by file and position. Empty of errors means the mesh is valid. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and validates a mesh folder. Never throws on any content: every problem, from a
 * missing mesh.yaml to binary garbage, comes back as a diagnostic naming file, line, column.
 */
export async function loadMesh(fs: MeshFileSystem): Promise<LoadedMesh> {
  const read = await readMeshFiles(fs);
  return analyzeMesh(fs, read.files, read.diagnostics);
}

/** Builds the model from already-read files and adds the checks that need the disk. */
export async function analyzeMesh(
  fs: MeshFileSystem,
  files: Mesh['files'],
  readDiagnostics: readonly Diagnostic[] = [],
): Promise<LoadedMesh> {
  const built = buildMesh(files);
  // A file that is there but could not be read is reported once, with why: not again as missing.
  const unreadable = new Set(readDiagnostics.map((d) => d.file));
  const derived = built.diagnostics.filter((d) => !(d.code === 'QUANTA_E029' && unreadable.has(d.file)));
  const diagnostics = [...readDiagnostics, ...derived, ...(await checkSeedFiles(fs, built.mesh))];
  return { mesh: built.mesh, diagnostics: sortDiagnostics(diagnostics) };
}

/** Without a limit from the file system (the in-memory one), seeds are held to the CLI's default. */
const DEFAULT_MAX_SEED_BYTES = 512 * 1024 * 1024;

async function checkSeedFiles(fs: MeshFileSystem, mesh: Mesh): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const limit = fs.maxFileBytes ?? DEFAULT_MAX_SEED_BYTES;
  for (const product of mesh.products) {
    const settings = product.settings;
    if (!settings) continue;
    for (const source of settings.sources) {
      if (source.resolvedFile === undefined || source.file === undefined) continue;
      const file = mesh.files.get(settings.file);
      const where = file && 'doc' in file ? locate(file, ['sources', source.index, 'file']) : { file: settings.file, line: 1, column: 1 };
      const seed = `seed file "${source.file}" of ${product.id}`;
      let stat: Awaited<ReturnType<MeshFileSystem['stat']>>;
      try {
        stat = await fs.stat(source.resolvedFile);
      } catch (error) {
        // The file system refused the path: a symlink that points outside the mesh folder.
        out.push(diagnostic('QUANTA_E031', where, `${seed} is outside the mesh folder (${errorMessage(error)})`));
        continue;
      }
      if (stat === undefined) {
        out.push(diagnostic('QUANTA_E032', where, `${seed} does not exist (looked for ${source.resolvedFile})`));
      } else if (stat.kind === 'directory') {
        out.push(diagnostic('QUANTA_E052', where, `${seed} is a folder, not a file (${source.resolvedFile})`));
      } else if (stat.kind === 'other') {
        out.push(
          diagnostic(stat.brokenLink === true ? 'QUANTA_E053' : 'QUANTA_E052', where, `${seed} is ${stat.what ?? 'not a regular file'}`),
        );
      } else if (stat.size > limit) {
        const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
        out.push(diagnostic('QUANTA_E054', where, `${seed} is ${mb(stat.size)}, over the seed file limit of ${mb(limit)}`));
      }
    }
  }
  return out;
}
