/**
 * The sample meshes bundled with the app, discovered at build time from sample-meshes/.
 * Only the mesh format's text files and seed data are bundled; each file becomes a lazy module
 * so the start screen renders before any sample has been read.
 */
export type LoadText = () => Promise<string>;

export interface SampleSource {
  /** Folder name under sample-meshes/, also the `?sample=` value. */
  readonly folder: string;
  /** Mesh-relative path → loader of the file's text. */
  readonly files: ReadonlyMap<string, LoadText>;
}

const SAMPLES_PREFIX = '../../../sample-meshes/';

const bundledFiles = import.meta.glob<string>(
  ['../../../sample-meshes/**/*.{yaml,yml,sql,csv,jsonl}', '../../../sample-meshes/**/README.md'],
  { query: '?raw', import: 'default' },
);

/** Groups glob results (`<prefix><folder>/<path>`) into one source per sample folder, sorted by folder. */
export function catalogFrom(modules: Readonly<Record<string, LoadText>>, prefix: string): SampleSource[] {
  const byFolder = new Map<string, Map<string, LoadText>>();
  for (const [key, load] of Object.entries(modules)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const folder = rest.slice(0, slash);
    const files = byFolder.get(folder) ?? new Map<string, LoadText>();
    files.set(rest.slice(slash + 1), load);
    byFolder.set(folder, files);
  }
  return [...byFolder].map(([folder, files]) => ({ folder, files })).sort((a, b) => a.folder.localeCompare(b.folder));
}

export const bundledSamples: readonly SampleSource[] = catalogFrom(bundledFiles, SAMPLES_PREFIX);
