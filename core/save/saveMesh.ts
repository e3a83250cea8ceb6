import type { MeshFileSystem } from '../fs/meshFileSystem.ts';
import type { MeshFiles } from '../model/types.ts';

export interface SaveResult {
  readonly written: readonly string[];
  readonly failed: readonly { readonly path: string; readonly message: string }[];
}

/**
 * Writes the files whose text differs from `baseline` (what is on disk), each atomically.
 * A file that fails to write is reported and the others are still written: one locked
 * file must not cost the user the rest of their work. With no baseline, writes everything
 * — each file exactly as read or edited, so an unedited mesh is reproduced byte for byte.
 */
export async function saveMesh(fs: MeshFileSystem, files: MeshFiles, baseline?: MeshFiles): Promise<SaveResult> {
  const written: string[] = [];
  const failed: { path: string; message: string }[] = [];
  const encoder = new TextEncoder();
  for (const [path, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (baseline && baseline.get(path)?.text === file.text) continue;
    try {
      await fs.writeFile(path, encoder.encode(file.text));
      written.push(path);
    } catch (error) {
      failed.push({ path, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { written, failed };
}

/** Paths that differ between two versions of the files: what is unsaved. */
export function changedFiles(files: MeshFiles, baseline: MeshFiles): string[] {
  const paths = new Set([...files.keys(), ...baseline.keys()]);
  return [...paths].filter((p) => files.get(p)?.text !== baseline.get(p)?.text).sort();
}
