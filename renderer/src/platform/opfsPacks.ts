import { BrowserStoreError, bytesOf, checkNoClash, ORIGINS, unknownMesh, type StoredMeshSummary } from './browserStoreShared.ts';

/**
 * The OPFS layout of one mesh: a folder holding `manifest.json` (title, origin, savedAt, and
 * where each file's bytes are) and append-only *pack* files `p<n>.bin`. A commit puts the new
 * contents into one new pack, then replaces the manifest with `createWritable`, which writes
 * a swap file and swaps it in on `close()`. That close is the commit: before it, the old
 * manifest still points at the old packs, untouched; packs nothing points at are deleted
 * after it. When dead bytes outnumber live ones, the commit packs every file anew (compaction).
 */
export const MANIFEST = 'manifest.json';

export interface Manifest {
  readonly format: 1;
  readonly title: string;
  readonly origin: StoredMeshSummary['origin'];
  readonly savedAt: number;
  /** The next pack number; only advanced by a committed manifest, so a pack left by a crash is simply overwritten. */
  readonly nextPack: number;
  /** Pack name → its size in bytes. */
  readonly packs: Readonly<Record<string, number>>;
  /** Mesh path → [pack, offset, length]. */
  readonly files: Readonly<Record<string, readonly [string, number, number]>>;
}

/** Undefined when there is no manifest; throws when it is not one Quanta wrote. */
export async function readManifest(folder: FileSystemDirectoryHandle): Promise<Manifest | undefined> {
  const handle = await folder.getFileHandle(MANIFEST).catch(() => undefined);
  if (!handle) return undefined;
  const text = await (await handle.getFile()).text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isManifest(parsed))
    throw new BrowserStoreError(`The stored mesh "${folder.name}" is damaged: its ${MANIFEST} is not one Quanta wrote.`);
  return parsed;
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    m.format === 1 &&
    typeof m.title === 'string' &&
    typeof m.origin === 'string' &&
    ORIGINS.has(m.origin) &&
    typeof m.savedAt === 'number' &&
    typeof m.nextPack === 'number' &&
    typeof m.packs === 'object' &&
    m.packs !== null &&
    typeof m.files === 'object' &&
    m.files !== null
  );
}

export async function writeManifest(folder: FileSystemDirectoryHandle, manifest: Manifest): Promise<void> {
  await writeWhole(folder, MANIFEST, [new TextEncoder().encode(JSON.stringify(manifest))]);
}

/**
 * createWritable writes a swap file and replaces the target only on close(). The parts go
 * in 1 MB writes: fewer round trips than one per small file, and Chromium reports a full
 * disk as QuotaExceededError only for writes of about that size (a single multi-megabyte
 * write can fail as a bare "Failed to write data to data pipe").
 */
async function writeWhole(folder: FileSystemDirectoryHandle, name: string, parts: readonly Uint8Array[]): Promise<void> {
  const handle = await folder.getFileHandle(name, { create: true });
  const stream = await handle.createWritable();
  try {
    const chunk = new Uint8Array(WRITE_CHUNK);
    let filled = 0;
    for (const part of parts) {
      for (let at = 0; at < part.length;) {
        const take = Math.min(part.length - at, WRITE_CHUNK - filled);
        chunk.set(part.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === WRITE_CHUNK) {
          await stream.write(chunk);
          filled = 0;
        }
      }
    }
    if (filled > 0) await stream.write(chunk.subarray(0, filled));
  } catch (error) {
    await stream.abort().catch(() => undefined);
    throw error;
  }
  await stream.close();
}

const WRITE_CHUNK = 1024 * 1024;

export async function readAll(folder: FileSystemDirectoryHandle, id: string): Promise<Map<string, Uint8Array>> {
  const manifest = await readManifest(folder);
  if (!manifest) throw unknownMesh(id);
  const packs = new Map<string, Uint8Array>();
  for (const pack of Object.keys(manifest.packs)) {
    const handle = await folder.getFileHandle(pack).catch(() => undefined);
    if (!handle) throw new BrowserStoreError(`The stored mesh "${manifest.title}" is damaged: its data file ${pack} is missing.`);
    packs.set(pack, new Uint8Array(await (await handle.getFile()).arrayBuffer()));
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, [pack, offset, length]] of Object.entries(manifest.files)) {
    const bytes = packs.get(pack);
    if (!bytes || offset + length > bytes.length) {
      throw new BrowserStoreError(`The stored mesh "${manifest.title}" is damaged: the bytes of "${path}" are missing.`);
    }
    files.set(path, bytes.slice(offset, offset + length));
  }
  return files;
}

/**
 * Writes `changes` as one new pack and commits the new manifest. When dead bytes would
 * outweigh live ones, the pack takes every file instead and the old packs all go.
 */
export async function commit(
  folder: FileSystemDirectoryHandle,
  manifest: Manifest,
  changes: ReadonlyMap<string, Uint8Array | null>,
  title: string,
): Promise<void> {
  const files = new Map(Object.entries(manifest.files));
  for (const [path, content] of changes) if (content === null) files.delete(path);
  checkNoClash(new Set([...files.keys(), ...[...changes].filter(([, c]) => c !== null).map(([p]) => p)]), title);

  let live = 0;
  let added = 0;
  for (const [path, [, , length]] of files) if (!changes.has(path)) live += length;
  for (const content of changes.values()) added += content?.length ?? 0;
  live += added;
  const stored = Object.values(manifest.packs).reduce((sum, size) => sum + size, 0);
  const compact = stored > 0 && stored + added > 2 * live + COMPACTION_SLACK;

  const inPack = new Map<string, Uint8Array>();
  if (compact) {
    const old = await readAll(folder, title);
    for (const [path, content] of old) if (files.has(path) && !changes.has(path)) inPack.set(path, content);
  }
  for (const [path, content] of changes) if (content !== null) inPack.set(path, bytesOf(path, content));

  const packs: Record<string, number> = compact ? {} : { ...manifest.packs };
  const pack = `p${manifest.nextPack}.bin`;
  let offset = 0;
  for (const [path, content] of inPack) {
    files.set(path, [pack, offset, content.length]);
    offset += content.length;
  }
  if (inPack.size > 0) packs[pack] = offset;
  const used = new Set([...files.values()].map(([name]) => name));
  for (const name of Object.keys(packs)) if (!used.has(name)) delete packs[name];
  try {
    if (inPack.size > 0) await writeWhole(folder, pack, [...inPack.values()]);
    await writeManifest(folder, {
      ...manifest,
      savedAt: Date.now(),
      nextPack: manifest.nextPack + 1,
      packs,
      files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1))),
    });
  } catch (error) {
    // The old manifest never names the new pack, so removing it is always safe.
    await folder.removeEntry(pack).catch(() => undefined);
    throw error;
  }
  // Committed. Packs the new manifest no longer names are garbage; failing to delete one costs space only.
  for (const name of Object.keys(manifest.packs)) if (!(name in packs)) await folder.removeEntry(name).catch(() => undefined);
}

/** Dead bytes allowed before a write compacts, so small meshes are not rewritten on every save. */
const COMPACTION_SLACK = 4 * 1024 * 1024;

export function summaryOf(id: string, manifest: Manifest): StoredMeshSummary {
  return { id, title: manifest.title, origin: manifest.origin, savedAt: manifest.savedAt, fileCount: Object.keys(manifest.files).length };
}
