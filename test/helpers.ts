import { promises as fsp } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMesh, type LoadedMesh } from '../core/load/loadMesh.ts';
import { MemoryFileSystem } from '../core/fs/memoryFileSystem.ts';
import { NodeFileSystem } from '../core/node/nodeFileSystem.ts';

export const REPO = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES_DIR = nodePath.join(REPO, 'sample-meshes');
export const SHARED_STANDARDS = nodePath.resolve(REPO, '..', 'shared', 'standards');

/** Every folder of sample-meshes/ that holds a mesh.yaml — discovered, so a new sample is tested automatically. */
export async function sampleNames(): Promise<string[]> {
  const entries = await fsp.readdir(SAMPLES_DIR, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await exists(nodePath.join(SAMPLES_DIR, entry.name, 'mesh.yaml')))) names.push(entry.name);
  }
  return names.sort();
}

export function loadSample(name: string): Promise<LoadedMesh> {
  return loadMesh(new NodeFileSystem(nodePath.join(SAMPLES_DIR, name)));
}

export async function exists(path: string): Promise<boolean> {
  return fsp.stat(path).then(
    () => true,
    () => false,
  );
}

/** All files under a folder, as paths relative to it with `/`. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fsp.readdir(nodePath.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

/** A sample mesh copied into memory: text files as strings, others as bytes. */
export async function sampleInMemory(name: string): Promise<{ fs: MemoryFileSystem; files: Record<string, string | Uint8Array> }> {
  const dir = nodePath.join(SAMPLES_DIR, name);
  const files: Record<string, string | Uint8Array> = {};
  for (const path of await listFiles(dir)) files[path] = new Uint8Array(await fsp.readFile(nodePath.join(dir, path)));
  return { fs: new MemoryFileSystem(files), files };
}

export async function tempDir(label: string): Promise<string> {
  return fsp.mkdtemp(nodePath.join(os.tmpdir(), `quanta-${label}-`));
}
