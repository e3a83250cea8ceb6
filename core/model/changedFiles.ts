import type { MeshFiles } from './types.ts';

/** Paths that differ between two versions of the files (what is unsaved, what a draft changed), sorted. */
export function changedFiles(files: MeshFiles, baseline: MeshFiles): string[] {
  const paths = new Set([...files.keys(), ...baseline.keys()]);
  return [...paths].filter((p) => files.get(p)?.text !== baseline.get(p)?.text).sort();
}
