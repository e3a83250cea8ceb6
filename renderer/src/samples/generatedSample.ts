import { syntheticMeshFiles } from '../../../core/generate/syntheticMesh.ts';
import type { SampleSource } from './sampleCatalog.ts';

/** The largest generated mesh the app opens: big enough to feel a real mesh's weight, small enough to load in seconds. */
export const GENERATED_MAX = 2000;
const GENERATED = /^generated-([1-9][0-9]*)$/;

/**
 * `?sample=generated-<n>` opens a generated mesh of n products (core/generate/syntheticMesh.ts):
 * the same files the tests and the bench use, for trying the canvas and the runtime at scale.
 * It is not listed on the start screen. Undefined for any other name, or n above GENERATED_MAX.
 */
export function generatedSample(folder: string | undefined): SampleSource | undefined {
  const match = folder === undefined ? null : GENERATED.exec(folder);
  const size = match ? Number(match[1]) : 0;
  if (folder === undefined || size < 1 || size > GENERATED_MAX) return undefined;
  const files = new Map(Object.entries(syntheticMeshFiles(size)).map(([path, text]) => [path, () => Promise.resolve(text)] as const));
  return { folder, files };
}
