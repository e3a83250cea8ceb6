import { expect } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';

/* The files an import wrote (`quanta import dbt` planned in memory), loaded and read back, for the import's unit tests. */

/** The written mesh loaded, with no error (the test fails on one). */
export async function validated(files: ReadonlyMap<string, string | Uint8Array>): Promise<Awaited<ReturnType<typeof loadMesh>>> {
  const loaded = await loadMesh(new MemoryFileSystem(Object.fromEntries(files)));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded;
}

/** A written text file, or '' when it is missing or binary. */
export const text = (files: ReadonlyMap<string, string | Uint8Array>, path: string): string => {
  const content = files.get(path);
  return typeof content === 'string' ? content : '';
};
