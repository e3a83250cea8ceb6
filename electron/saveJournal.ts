/**
 * The journal of a multi-file save and the recovery that reads it when a mesh is opened.
 * A save writes `.quanta-journal.json` (atomically) after every new content is fsynced in a
 * temp file and before any file is replaced; it removes the journal when all files are in
 * place. So after a crash: a journal means "complete this save" (roll forward), no journal
 * means "nothing was replaced yet" (roll back: drop the temp files). **No `electron` import.**
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import {
  errorCode,
  hashIfPresent,
  landingProblem,
  placeIfAbsent,
  readIfPresent,
  syncFolder,
  syncFolders,
  writeNewFileSynced,
} from './durableFs.ts';
import { meshFileProblem } from './meshFilePaths.ts';

export const JOURNAL_FILE = '.quanta-journal.json';

export interface JournalEntry {
  /** Mesh-relative, with `/`. */
  readonly path: string;
  /** SHA-256 of the file Quanta replaces; null when it creates the file. */
  readonly expected: string | null;
  /** SHA-256 of the new content; null when the save deletes the file. */
  readonly next: string | null;
}

export interface Journal {
  readonly format: 'quanta-save-journal';
  readonly id: string;
  readonly entries: readonly JournalEntry[];
}

export interface RecoveryReport {
  /** A journal was found: an interrupted save was completed (whatever of it was not done yet). */
  readonly completedSave: boolean;
  /** Files an interrupted save was completed for, from its journal. */
  readonly rolledForward: readonly string[];
  /** Temp files of interrupted saves, removed (mesh-relative). */
  readonly removed: readonly string[];
  /** Content found in a save's leftovers that was neither the old nor the new version, kept beside its file. */
  readonly preserved: readonly string[];
  /** Files changed by another program after the crash: left as they are, the interrupted save's version dropped. */
  readonly kept: readonly string[];
}

type ArtifactKind = 'new' | 'old' | 'undo';
const ARTIFACT = /^\.(.+)\.([0-9a-f]{12})\.quanta-(new|old|undo)$/;
/** Temp names of writeFileAtomic (core/node) and of the journal itself. */
const STALE_TEMP = /^\..+\.[0-9a-f]{12}\.tmp$|^\.quanta-journal\.[0-9a-f]{12}\.tmp$/;
const NOT_WALKED = new Set(['.git', 'node_modules']);

export function newSaveId(): string {
  return randomBytes(6).toString('hex');
}

/** A save's file beside its target: hidden (dot) names, so the loader, the watcher and git's eyes skip them. */
export function artifactOf(target: string, id: string, kind: ArtifactKind): string {
  return nodePath.join(nodePath.dirname(target), `.${nodePath.basename(target)}.${id}.quanta-${kind}`);
}

/** Where content that must not be lost is kept: visible, next to its file, so the user sees it. */
function preservedName(target: string, id: string): string {
  return `${target}.conflict-${id}`;
}

export async function writeJournal(root: string, journal: Journal): Promise<void> {
  const temp = nodePath.join(root, `.quanta-journal.${journal.id}.tmp`);
  await writeNewFileSynced(temp, new TextEncoder().encode(JSON.stringify(journal)));
  await fsp.rename(temp, nodePath.join(root, JOURNAL_FILE));
  await syncFolder(root);
}

export async function removeJournal(root: string): Promise<void> {
  await fsp.rm(nodePath.join(root, JOURNAL_FILE), { force: true });
  await syncFolder(root);
}

export async function hasJournal(root: string): Promise<boolean> {
  return fsp.lstat(nodePath.join(root, JOURNAL_FILE)).then(
    () => true,
    () => false,
  );
}

/**
 * Puts a leftover back at its target when the target is empty; otherwise drops it when its
 * content is `disposable` or equal to the target's, and keeps it as a visible sibling when
 * it holds anything else. Returns the sibling's path, if one was made.
 */
export async function putBack(
  artifact: string,
  target: string,
  disposable: ReadonlySet<string | null>,
  id: string,
): Promise<string | undefined> {
  const hash = await hashIfPresent(artifact);
  if (hash === undefined) return undefined;
  if (await placeIfAbsent(artifact, target)) {
    await fsp.rm(artifact, { force: true });
    return undefined;
  }
  // A target that cannot be read (a folder, no permission) is never taken for the same content.
  const targetHash = await hashIfPresent(target).catch(() => undefined);
  if (disposable.has(hash) || hash === targetHash) {
    await fsp.rm(artifact, { force: true });
    return undefined;
  }
  const kept = preservedName(target, id);
  await fsp.rename(artifact, kept);
  return kept;
}

/** Completes or undoes whatever an interrupted save left in `root`. Run before a mesh is read. */
export async function recoverSaves(root: string): Promise<RecoveryReport> {
  const report = {
    completedSave: false,
    rolledForward: [] as string[],
    removed: [] as string[],
    preserved: [] as string[],
    kept: [] as string[],
  };
  const relative = (absolute: string): string => nodePath.relative(root, absolute).split(nodePath.sep).join('/');
  const journal = parseJournal(await readIfPresent(nodePath.join(root, JOURNAL_FILE)));
  if (journal) {
    report.completedSave = true;
    const folders: string[] = [];
    for (const entry of journal.entries) {
      const target = nodePath.join(root, ...entry.path.split('/'));
      // A journal is Quanta's own file, but a mesh from a stranger can carry one: it may name mesh files only.
      if (meshFileProblem(entry.path, entry.next === null ? 'delete' : 'write') || (await landingProblem(root, target))) continue;
      folders.push(nodePath.dirname(target));
      // A target that cannot be read or replaced (a folder now, no permission) is left as it is.
      const outcome = await rollForward(target, entry, journal.id).catch(() => 'kept' as const);
      if (outcome === 'done') report.rolledForward.push(entry.path);
      if (outcome === 'kept') report.kept.push(entry.path);
      for (const kind of ['old', 'undo'] as const) {
        const artifact = artifactOf(target, journal.id, kind);
        const hash = await hashIfPresent(artifact);
        if (hash === undefined) continue;
        if (hash === entry.expected || hash === entry.next) await fsp.rm(artifact, { force: true });
        else {
          const kept = await putBack(artifact, target, new Set(), journal.id);
          if (kept) report.preserved.push(relative(kept));
        }
      }
    }
    await syncFolders(folders);
  }
  // Without a journal nothing was replaced, so temp files are dropped; any other leftover
  // (a journal removed by hand, a file system that reordered writes) goes back to an empty target.
  const emptied = new Set<string>();
  await walk(root, async (folder, name) => {
    const absolute = nodePath.join(folder, name);
    const match = ARTIFACT.exec(name);
    const restorable = match?.[1] !== undefined && match[1] !== '.' && match[1] !== '..';
    if (restorable && (match[3] === 'old' || match[3] === 'undo')) {
      const kept = await putBack(absolute, nodePath.join(folder, match[1] ?? ''), new Set(), match[2] ?? newSaveId());
      if (kept) report.preserved.push(relative(kept));
      else report.removed.push(relative(absolute));
    } else if (match || STALE_TEMP.test(name) || (folder === root && name === JOURNAL_FILE)) {
      await fsp.rm(absolute, { force: true });
      report.removed.push(relative(absolute));
      emptied.add(folder);
    }
  });
  // A save undone before its journal may have made folders for its new files: they go too.
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) await removeEmptyFolders(root, folder);
  if (report.removed.length > 0 || journal) await syncFolder(root);
  return report;
}

async function rollForward(target: string, entry: JournalEntry, id: string): Promise<'done' | 'kept' | 'nothing'> {
  const temp = artifactOf(target, id, 'new');
  const current = (await hashIfPresent(target)) ?? null;
  if (entry.next === null) {
    if (current === null) return 'nothing';
    if (current !== entry.expected) return 'kept';
    await fsp.rm(target, { force: true });
    return 'done';
  }
  const tempHash = await hashIfPresent(temp);
  if (tempHash === undefined) return 'nothing';
  if (current === entry.next) {
    await fsp.rm(temp, { force: true });
    return 'nothing';
  }
  // The target holds a third version: another program wrote it after the crash. Theirs is newer.
  if (current !== null && current !== entry.expected) {
    await fsp.rm(temp, { force: true });
    return 'kept';
  }
  if (tempHash !== entry.next) return 'nothing';
  await fsp.rename(temp, target);
  return 'done';
}

function parseJournal(bytes: Uint8Array | undefined): Journal | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Journal>;
    const hash = (v: unknown): boolean => v === null || (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
    if (value.format !== 'quanta-save-journal' || typeof value.id !== 'string' || !/^[0-9a-f]{12}$/.test(value.id)) return undefined;
    if (!Array.isArray(value.entries)) return undefined;
    const valid = value.entries.every(
      (e: Partial<JournalEntry>) =>
        typeof e.path === 'string' &&
        !e.path.split('/').some((part) => part === '..' || part === '' || part === '.') &&
        hash(e.expected) &&
        hash(e.next),
    );
    return valid ? (value as Journal) : undefined;
  } catch {
    return undefined;
  }
}

async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  // rmdir refuses a folder that is not empty: exactly where to stop.
  for (let dir = folder; dir !== root && nodePath.dirname(dir) !== dir; dir = nodePath.dirname(dir)) {
    if (
      !(await fsp.rmdir(dir).then(
        () => true,
        () => false,
      ))
    )
      return;
    await syncFolder(nodePath.dirname(dir));
  }
}

async function walk(folder: string, visit: (folder: string, name: string) => Promise<void>): Promise<void> {
  const entries = await fsp.readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  });
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!NOT_WALKED.has(entry.name) && !entry.name.startsWith('.')) await walk(nodePath.join(folder, entry.name), visit);
    } else if (entry.name.startsWith('.')) await visit(folder, entry.name);
  }
}
