import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { writeFileAtomic } from './nodeFileSystem.ts';

/*
 * A folder a command generates (a dbt project, a docs site): written only inside `--out`,
 * into a folder that is empty, new, or one this same command wrote before — its marker file
 * lists the files it wrote, and only those are replaced or removed, so nothing a person put
 * there is lost. Paths are relative, made of safe names, and never written through a link.
 */

/** What a generated file's relative path may be: segments of letters, digits, `._-`, not starting with a dot except the marker's. */
const SAFE_PATH = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]*\/)*\.?[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export class GeneratedFolderError extends Error {}

export function isSafeGeneratedPath(path: string): boolean {
  return SAFE_PATH.test(path) && !path.split('/').some((segment) => segment === '..' || segment === '.');
}

/**
 * Checks that `out` may receive the generator's files: missing, empty, or holding `marker`
 * written by `generator`. Returns the files the previous run listed (to replace).
 */
export async function previousFiles(out: string, marker: string, generator: string): Promise<string[]> {
  const stats = await fsp.lstat(out).catch(() => undefined);
  if (!stats) return [];
  if (!stats.isDirectory()) throw new GeneratedFolderError(`${out} exists and is not a folder`);
  const entries = await fsp.readdir(out);
  if (entries.length === 0) return [];
  const text = await fsp.readFile(nodePath.join(out, marker), 'utf8').catch(() => undefined);
  const listed = text === undefined ? undefined : markerFiles(text, generator);
  if (!listed)
    throw new GeneratedFolderError(`${out} is not empty and was not written by ${generator} (no ${marker}); give an empty or new folder`);
  return listed;
}

function markerFiles(text: string, generator: string): string[] | undefined {
  try {
    const parsed = JSON.parse(text) as { generator?: unknown; files?: unknown };
    if (parsed.generator !== generator || !Array.isArray(parsed.files)) return undefined;
    return parsed.files.filter((f): f is string => typeof f === 'string' && isSafeGeneratedPath(f));
  } catch {
    return undefined;
  }
}

/** Writes `files` under `out` (atomically each), removes what the previous run wrote and this one does not, then the marker. */
export async function writeGeneratedFolder(
  out: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  marker: string,
  generator: string,
): Promise<void> {
  const root = nodePath.resolve(out);
  const previous = await previousFiles(root, marker, generator);
  const inside = async (path: string): Promise<string> => {
    const target = nodePath.resolve(root, path);
    if (!isSafeGeneratedPath(path) || !target.startsWith(root + nodePath.sep))
      throw new GeneratedFolderError(`refusing to write ${path} outside ${root}`);
    // No link anywhere on the way: each parent inside the folder is a real folder (or absent).
    let dir = nodePath.dirname(target);
    while (dir.startsWith(root + nodePath.sep)) {
      const stats = await fsp.lstat(dir).catch(() => undefined);
      if (stats && !stats.isDirectory()) throw new GeneratedFolderError(`${dir} is not a folder (a link or a file); remove it first`);
      dir = nodePath.dirname(dir);
    }
    const stats = await fsp.lstat(target).catch(() => undefined);
    if (stats && !stats.isFile()) throw new GeneratedFolderError(`${target} exists and is not a regular file; remove it first`);
    return target;
  };
  await fsp.mkdir(root, { recursive: true });
  for (const path of previous) {
    if (files.has(path)) continue;
    const target = await inside(path).catch(() => undefined);
    if (target) await fsp.rm(target, { force: true });
  }
  const encoder = new TextEncoder();
  for (const [path, content] of files) {
    const target = await inside(path);
    await fsp.mkdir(nodePath.dirname(target), { recursive: true });
    await writeFileAtomic(target, typeof content === 'string' ? encoder.encode(content) : content);
  }
  await writeFileAtomic(
    nodePath.join(root, marker),
    encoder.encode(`${JSON.stringify({ generator, files: [...files.keys()].sort() }, null, 2)}\n`),
  );
}
