import { MemoryFileSystem } from '../../../core/fs/memoryFileSystem.ts';
import { loadMesh, type LoadedMesh } from '../../../core/load/loadMesh.ts';
import type { SampleSource } from './sampleCatalog.ts';

export type SampleLoad =
  /** `files`: the sample's files in memory, kept for running it (its seed data). */
  | { readonly status: 'loaded'; readonly loaded: LoadedMesh; readonly files: MemoryFileSystem }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Reads a bundled sample into memory and runs the real core loader on it, exactly as the CLI
 * does on a folder. Never throws: a file that cannot be fetched becomes a plain-words message.
 */
export async function loadSample(source: SampleSource): Promise<SampleLoad> {
  let files: Record<string, string>;
  try {
    const entries = await Promise.all([...source.files].map(async ([path, load]) => [path, await load()] as const));
    files = Object.fromEntries(entries);
  } catch (error) {
    return {
      status: 'failed',
      message: `The files of sample "${source.folder}" could not be read (${reason(error)}). Reload the page to try again.`,
    };
  }
  try {
    const fs = new MemoryFileSystem(files);
    return { status: 'loaded', loaded: await loadMesh(fs), files: fs };
  } catch (error) {
    // loadMesh reports bad content as diagnostics; reaching this is a bug in Quanta, not in the sample.
    return { status: 'failed', message: `Quanta could not open sample "${source.folder}" (${reason(error)}). Please report this.` };
  }
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Only the first line: the rest of an error can be a stack trace, which helps nobody here.
  return text.split('\n')[0] ?? text;
}
