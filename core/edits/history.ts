import type { MeshFiles } from '../model/types.ts';

/**
 * Undo/redo over file maps. An edit returns a new map in which unchanged files keep their
 * identity, so keeping every state costs only the files that changed: the history stores
 * whole maps and never diffs or re-applies anything. Immutable: every operation returns a
 * new history, so a store can hold it as a plain value.
 */
interface State {
  /** The edit that led to this state ("" for the state the history started from). */
  readonly label: string;
  readonly files: MeshFiles;
  /** Set while consecutive pushes with this key may still fold into this state. */
  readonly squashKey?: string;
}

export interface HistoryOptions {
  /** Undo steps kept; older ones are dropped (default 200). */
  readonly limit?: number;
}

export const DEFAULT_HISTORY_LIMIT = 200;

export class EditHistory {
  readonly #past: readonly State[];
  readonly #present: State;
  readonly #future: readonly State[];
  readonly #saved: MeshFiles | undefined;
  readonly #limit: number;

  private constructor(past: readonly State[], present: State, future: readonly State[], saved: MeshFiles | undefined, limit: number) {
    this.#past = past;
    this.#present = present;
    this.#future = future;
    this.#saved = saved;
    this.#limit = limit;
  }

  /** A history whose only state is `files`, as loaded from disk (so clean). */
  static start(files: MeshFiles, options: HistoryOptions = {}): EditHistory {
    const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_HISTORY_LIMIT));
    return new EditHistory([], { label: '', files }, [], files, limit);
  }

  /** The files as they are now. */
  get files(): MeshFiles {
    return this.#present.files;
  }

  /**
   * Records the files after an edit labelled `label`, and clears what could be redone.
   * Consecutive pushes with the same `squashKey` (one drag gesture, typing in one field)
   * fold into one entry, which keeps the first label. A push that changes nothing is ignored.
   */
  push(label: string, files: MeshFiles, squashKey?: string): EditHistory {
    if (sameFiles(files, this.#present.files)) return this;
    const next: State = squashKey === undefined ? { label, files } : { label, files, squashKey };
    const before = this.#past[this.#past.length - 1];
    if (squashKey !== undefined && this.#present.squashKey === squashKey && before) {
      // A gesture that ends where it started (a node dragged back) leaves no entry.
      if (sameFiles(files, before.files)) return new EditHistory(this.#past.slice(0, -1), before, [], this.#saved, this.#limit);
      return new EditHistory(this.#past, { ...next, label: this.#present.label }, [], this.#saved, this.#limit);
    }
    const past = [...this.#past, unsquashable(this.#present)];
    return new EditHistory(past.slice(Math.max(0, past.length - this.#limit)), next, [], this.#saved, this.#limit);
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** "Undo Create product weekly-report", or undefined when there is nothing to undo. */
  get undoLabel(): string | undefined {
    return this.canUndo ? `Undo ${this.#present.label}` : undefined;
  }

  get redoLabel(): string | undefined {
    const next = this.#future[0];
    return next ? `Redo ${next.label}` : undefined;
  }

  undo(): EditHistory {
    const previous = this.#past[this.#past.length - 1];
    if (!previous) return this;
    // An undone entry is closed: a later push with its key starts a new entry.
    return new EditHistory(this.#past.slice(0, -1), previous, [unsquashable(this.#present), ...this.#future], this.#saved, this.#limit);
  }

  redo(): EditHistory {
    const [next, ...rest] = this.#future;
    if (!next) return this;
    return new EditHistory([...this.#past, unsquashable(this.#present)], next, rest, this.#saved, this.#limit);
  }

  /** Call after the current files were written: they become the clean state. */
  markSaved(files: MeshFiles = this.#present.files): EditHistory {
    return new EditHistory(this.#past, this.#present, this.#future, files, this.#limit);
  }

  /** True when the files differ from what was last saved (or loaded); undoing back to it is clean. */
  get isDirty(): boolean {
    return this.#saved === undefined || !sameFiles(this.#present.files, this.#saved);
  }

  /** Paths whose text differs from the saved state: what autosave has to write or delete. */
  get unsavedPaths(): string[] {
    const saved = this.#saved ?? new Map();
    const files = this.#present.files;
    return [...new Set([...files.keys(), ...saved.keys()])].filter((p) => !sameFile(files, saved, p)).sort();
  }

  /** Number of steps that can be undone (bounded by the limit). */
  get depth(): number {
    return this.#past.length;
  }
}

function unsquashable(state: State): State {
  return state.squashKey === undefined ? state : { label: state.label, files: state.files };
}

function sameFile(a: MeshFiles, b: MeshFiles, path: string): boolean {
  const x = a.get(path);
  const y = b.get(path);
  return x === y || (x !== undefined && y !== undefined && x.text === y.text);
}

/** Same paths with the same text: identity first, so the common case compares no strings. */
function sameFiles(a: MeshFiles, b: MeshFiles): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const path of a.keys()) if (!sameFile(a, b, path)) return false;
  return true;
}
