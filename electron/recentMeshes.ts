/**
 * The recent meshes list, kept as JSON in the app's data folder and written atomically.
 * A damaged file is an empty list, never a crash. **No `electron` import.**
 */
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../core/node/nodeFileSystem.ts';

export const MAX_RECENT = 10;

export class RecentMeshes {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** Recent folders, newest first; folders that no longer exist are left out. */
  async list(): Promise<string[]> {
    const text = await fsp.readFile(this.#file, 'utf8').catch(() => '[]');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [];
    }
    const folders = Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [];
    const present = await Promise.all(
      folders.map((f) =>
        fsp.stat(f).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      ),
    );
    return folders.filter((_, i) => present[i]).slice(0, MAX_RECENT);
  }

  /** Puts `folder` first. */
  async add(folder: string): Promise<string[]> {
    const next = [folder, ...(await this.list()).filter((f) => f !== folder)].slice(0, MAX_RECENT);
    await writeFileAtomic(this.#file, new TextEncoder().encode(`${JSON.stringify(next, null, 2)}\n`));
    return next;
  }
}
