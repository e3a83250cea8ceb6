/**
 * One save of several files, all or nothing, that never overwrites an edit it has not seen.
 *
 * 1. Every new content goes to a fsynced temp file beside its target (new folders made, their
 *    parents fsynced).
 * 2. Check: each file on disk must still have the hash Quanta last read or wrote.
 * 3. Journal (saveJournal.ts): from here a crash completes the save on the next open.
 * 4. Claim: each old file is renamed aside (atomic) and the moved file is hashed again —
 *    an edit that landed after the check is in that file, so it is caught here.
 * 5. Place: each new file is hard-linked in, which fails if a file appeared at the name
 *    meanwhile (a hard link never replaces anything).
 * 6. Re-check: the moved-aside files are hashed once more, for an editor that opened the old
 *    file before step 4 and wrote into it after.
 * 7. Clean up, remove the journal.
 * A conflict found at 4–6 undoes the whole save and puts every other program's content back
 * (or, when its name is taken again, beside it as `<name>.conflict-<id>`). **No `electron` import.**
 */
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import {
  errorCode,
  hashIfPresent,
  identityOf,
  makeFolders,
  placeIfAbsent,
  sha256,
  syncFolders,
  writeNewFileSynced,
  type FileIdentity,
} from './durableFs.ts';
import { artifactOf, newSaveId, putBack, removeJournal, writeJournal } from './saveJournal.ts';

export interface FileChange {
  /** Mesh-relative, with `/`. */
  readonly path: string;
  /** New content; null deletes the file. */
  readonly content: Uint8Array | null;
}

export type SaveResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly deleted: readonly string[] }
  | {
      readonly ok: false;
      readonly conflicts: readonly string[];
      /** Other programs' content that could not go back to its name, kept beside it (mesh-relative). */
      readonly preserved?: readonly string[];
    };

/** Test seams: code run exactly where a racing edit would land. Never set in the app. */
export interface SaveSeams {
  readonly afterCheck?: () => Promise<void> | void;
  readonly afterClaim?: () => Promise<void> | void;
  readonly afterPlace?: () => Promise<void> | void;
}

export interface PlannedChange extends FileChange {
  /** Absolute path of the file, checked to lie inside the mesh. */
  readonly target: string;
}

interface Step extends PlannedChange {
  readonly next: string | null;
  expected: string | null;
  temp?: string;
  identity?: FileIdentity;
  claimed: boolean;
  placed: boolean;
}

export class SaveFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaveFolderError';
  }
}

/** Runs one save. `known` is each file's hash as Quanta last read or wrote it; updated on success. */
export async function runSave(
  root: string,
  changes: readonly PlannedChange[],
  known: Map<string, string>,
  options: { readonly overwrite?: boolean; readonly seams?: SaveSeams } = {},
): Promise<SaveResult> {
  const id = newSaveId();
  const steps: Step[] = changes.map((c) => ({ ...c, next: c.content && sha256(c.content), expected: null, claimed: false, placed: false }));
  const created: string[] = [];
  let journaled = false;
  try {
    for (const step of steps) {
      if (step.content === null) continue;
      created.push(...(await makeFolders(nodePath.dirname(step.target))));
      step.temp = artifactOf(step.target, id, 'new');
      step.identity = await writeNewFileSynced(step.temp, step.content);
    }
    // The temp files' names must be durable before the journal says "complete this save".
    await syncFolders(steps.filter((s) => s.temp).map((s) => nodePath.dirname(s.target)));

    const conflicts: string[] = [];
    for (const step of steps) {
      const stat = await fsp.lstat(step.target).catch(() => undefined);
      if (stat?.isDirectory())
        throw new SaveFolderError(`"${step.path}" is a folder on disk, not a file; rename the folder or save the file under another name`);
      const current = (await hashIfPresent(step.target)) ?? null;
      step.expected = options.overwrite ? current : (known.get(step.path) ?? null);
      if (current !== step.expected) conflicts.push(step.path);
    }
    if (conflicts.length > 0) {
      await discardTemps(steps, created);
      return { ok: false, conflicts };
    }
    await options.seams?.afterCheck?.();

    const active = steps.filter((s) => s.content !== null || s.expected !== null);
    if (active.length > 0) {
      await writeJournal(root, {
        format: 'quanta-save-journal',
        id,
        entries: active.map(({ path, expected, next }) => ({ path, expected, next })),
      });
      journaled = true;
    }
    for (const step of active) {
      if (step.expected === null) continue;
      const stash = artifactOf(step.target, id, 'old');
      const moved = await fsp.rename(step.target, stash).then(
        () => true,
        (error: unknown) => {
          if (errorCode(error) === 'ENOENT') return false;
          throw error;
        },
      );
      if (moved) step.claimed = true;
      if (!moved || (await hashIfPresent(stash)) !== step.expected) return await rollBack(root, id, active, [step.path], created);
    }
    await options.seams?.afterClaim?.();
    for (const step of active) {
      if (step.temp === undefined) continue;
      if (!(await placeIfAbsent(step.temp, step.target))) return await rollBack(root, id, active, [step.path], created);
      step.placed = true;
    }
    await syncFolders(active.map((s) => nodePath.dirname(s.target)));
    await options.seams?.afterPlace?.();

    const late: string[] = [];
    for (const step of active) {
      if (step.claimed && (await hashIfPresent(artifactOf(step.target, id, 'old'))) !== step.expected) late.push(step.path);
    }
    if (late.length > 0) return await rollBack(root, id, active, late, created);

    for (const step of active) {
      await fsp.rm(artifactOf(step.target, id, 'old'), { force: true });
      if (step.temp) await fsp.rm(step.temp, { force: true });
    }
    await syncFolders(active.map((s) => nodePath.dirname(s.target)));
    if (journaled) await removeJournal(root);
  } catch (error) {
    // An I/O error mid-save: undo what can be undone; if even that fails, the journal stays
    // and the next open completes the save, which is never worse than half a save.
    if (journaled) await rollBack(root, id, steps, [], created).catch(() => undefined);
    else await discardTemps(steps, created).catch(() => undefined);
    throw error;
  }
  for (const step of steps) {
    if (step.next === null) known.delete(step.path);
    else known.set(step.path, step.next);
  }
  return {
    ok: true,
    written: steps.filter((s) => s.content !== null).map((s) => s.path),
    deleted: steps.filter((s) => s.content === null).map((s) => s.path),
  };
}

/** Undoes a save whose check failed at step 4–6: every file back as it was, nothing of another program lost. */
async function rollBack(
  root: string,
  id: string,
  steps: readonly Step[],
  conflicts: string[],
  created: readonly string[],
): Promise<SaveResult> {
  const preserved: string[] = [];
  const keep = (path: string | undefined): void => {
    if (path) preserved.push(nodePath.relative(root, path).split(nodePath.sep).join('/'));
  };
  for (const step of [...steps].reverse()) {
    if (step.placed) {
      const undo = artifactOf(step.target, id, 'undo');
      const taken = await fsp.rename(step.target, undo).then(
        () => true,
        () => false,
      );
      // Ours only if it is the file Quanta linked in and no one wrote into it since.
      const ours = taken && sameFile(await identityOf(undo), step.identity) && (await hashIfPresent(undo)) === step.next;
      if (ours) await fsp.rm(undo, { force: true });
      else if (taken) keep(await putBack(undo, step.target, new Set(), id));
    }
    if (step.claimed) keep(await putBack(artifactOf(step.target, id, 'old'), step.target, new Set([step.expected]), id));
  }
  await discardTemps(steps, created);
  await syncFolders(steps.map((s) => nodePath.dirname(s.target)).filter((folder) => !created.includes(folder)));
  await removeJournal(root);
  return preserved.length > 0 ? { ok: false, conflicts, preserved } : { ok: false, conflicts };
}

/** Removes the temp files and the folders this save made for them (a refused save leaves no empty folder). */
async function discardTemps(steps: readonly Step[], created: readonly string[]): Promise<void> {
  for (const step of steps) if (step.temp) await fsp.rm(step.temp, { force: true });
  // rmdir refuses a folder that is not empty: another program's file in it keeps it.
  for (const folder of [...created].reverse()) await fsp.rmdir(folder).catch(() => undefined);
}

function sameFile(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
