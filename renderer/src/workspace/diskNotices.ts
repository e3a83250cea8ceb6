import { UNSAFE_CHARACTERS } from '../../../core/model/ids.ts';
import type { DesktopRecovery } from '../platform/desktopApi.ts';

/**
 * Something that happened to the files on disk that the user must hear about, because a file
 * they did not ask for appeared or a save they thought lost was finished: another program's
 * version kept beside a file during a save, or an interrupted save completed or undone when
 * the mesh was opened. Unlike the store's one-line `notice`, these stay until dismissed (an
 * edit does not clear them): the `.conflict-<id>` file stays on disk until the user acts.
 */
export interface DiskNotice {
  /** Stable per fact, so the same fact reported twice is shown once. */
  readonly id: string;
  readonly kind: 'kept-aside' | 'recovery';
  /** One sentence: what happened and what the user's edits are now. */
  readonly message: string;
  /** One line per file concerned; may be empty. */
  readonly details: readonly string[];
}

/** The name saveJournal.ts gives another program's content kept beside its file. */
const CONFLICT_SUFFIX = /\.conflict-[0-9a-f]+$/;

/** Tabs, newlines and what UNSAFE_CHARACTERS lists (bidi overrides, controls), anywhere in a name. */
const UNSHOWABLE = new RegExp(`[\\t\\n]|${UNSAFE_CHARACTERS.source}`, 'g');

/**
 * A path as the notice shows it. Leftover names come from walking the folder, so a
 * stranger's mesh can choose them: a right-to-left override would make the notice name
 * another file than the one on disk. Such characters are shown as `<U+202E>`.
 */
function shown(path: string): string {
  return path.replace(UNSHOWABLE, (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** `domains/x/transform.sql.conflict-3f2a` → its file and the kept copy's name beside it. */
function keptAside(preserved: string): { file: string; keptAs: string } {
  const file = preserved.replace(CONFLICT_SUFFIX, '');
  return { file: shown(file), keptAs: shown(preserved.slice(preserved.lastIndexOf('/') + 1)) };
}

/**
 * A desktop save that came back as a conflict with `preserved` files. saveTransaction.ts
 * undid the whole save (none of its files were written: the edits are still in the app,
 * unsaved), put the other program's newest content back at the file's name and kept another
 * version it wrote meanwhile, which could not go back, beside it.
 */
export function keptAsideNotices(preserved: readonly string[]): DiskNotice[] {
  return preserved.map((path) => {
    const { file, keptAs } = keptAside(path);
    return {
      id: `kept-aside:${path}`,
      kind: 'kept-aside',
      message:
        `${file} changed on disk while saving, so nothing of this save was written: your edits are still here, unsaved. ` +
        `The file holds the other program's newest version; another version it wrote meanwhile is kept as ${keptAs}. ` +
        `Compare the two, keep what you need, then delete ${keptAs}.`,
      details: [],
    };
  });
}

const files = (count: number): string => (count === 1 ? '1 file' : `${count} files`);

/** What opening the folder did about a save a crash interrupted (saveJournal.ts `recoverSaves`); undefined when nothing. */
export function recoveryNotice(report: DesktopRecovery): DiskNotice | undefined {
  const details = [
    ...report.rolledForward.map((path) => `${shown(path)}: now as that save wrote it`),
    ...report.kept.map(
      (path) =>
        `${shown(path)}: changed by another program after the interruption, kept as it is (the interrupted save's version was dropped)`,
    ),
    ...report.preserved.map((path) => {
      const { file, keptAs } = keptAside(path);
      return `${file}: a version found among the save's leftovers, neither the old one nor the saved one, is kept as ${keptAs}; compare, then delete it`;
    }),
  ];
  let message: string;
  if (report.completedSave) {
    message =
      report.rolledForward.length > 0
        ? `An interrupted save was completed when this mesh was opened: ${files(report.rolledForward.length)}.`
        : 'An interrupted save was completed when this mesh was opened: its files were already in place, its leftovers were removed.';
  } else if (report.removed.length > 0 || report.preserved.length > 0) {
    message = 'An interrupted save was undone when this mesh was opened: the files are as before it.';
  } else return undefined;
  return { id: 'recovery', kind: 'recovery', message, details };
}

/** Adds notices to a list, each fact once. */
export function withNotices(list: readonly DiskNotice[], added: readonly DiskNotice[]): readonly DiskNotice[] {
  const ids = new Set(list.map((n) => n.id));
  const fresh = added.filter((n) => !ids.has(n.id));
  return fresh.length > 0 ? [...list, ...fresh] : list;
}
