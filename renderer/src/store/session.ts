import type { PolicyGate } from '../../../core/governance/policy/policyGate.ts';
import type { MeshRuntime } from '../../../core/run/meshRuntime.ts';
import type { QuantumHost } from '../../../core/run/runTypes.ts';
import type { DocumentOrigin } from '../workspace/meshDocument.ts';
import { saveTarget, type SaveTarget, type SaveTargets } from '../workspace/saveTargets.ts';

/*
 * What the store's slices share that is not state: the window's pool of quanta, the runtime of
 * each open document, the save target, the autosave timer and the count of opens (a mesh
 * opened later wins over one still loading). One per store; tests get a fresh one with theirs.
 */

/** Autosave: writes the unsaved files `delayMs` after the last edit, so nobody has to press Save. */
export interface Autosave {
  /** After an edit (or a save that left edits behind): write again after the pause; no-op when off. */
  schedule(): void;
  /** A mesh closes or another opens: its pending write is dropped. */
  cancel(): void;
}

export interface Session {
  /** The save target of the origin of the open document; undefined keeps changes in memory only. */
  readonly target: SaveTarget | undefined;
  readonly autosave: Autosave;
  /** The window's quantum pool, started on first use; a failed start is retried by the next caller. */
  readonly host: () => Promise<QuantumHost>;
  /**
   * Boots the quanta a run of `products` products can use at once (the pool's size at most),
   * side by side and in the background: called when a mesh opens, so the first Run all finds
   * them ready, and again by each run. A host that cannot start is reported by the run.
   */
  warm(products: number): void;
  /**
   * One runtime per document (by document key), made for one revision of it: a second run of
   * an unedited mesh builds on the versions the first one published; an edit replaces it with
   * the edited mesh's runtime, which carries on from it (MeshRuntime.withMesh).
   */
  readonly runtimes: Map<string, { readonly revision: number; readonly runtime: MeshRuntime }>;
  /**
   * Where a document's key went when a save moved it (a sample's first save becomes a stored
   * copy): a run or a fault still under way under the old key writes to the new one.
   */
  readonly moved: Map<string, string>;
  /** `key` after every move recorded in `moved`. */
  latestKey(key: string): string;
  /** A mesh starts opening: returns its number; only the newest open may set the document. */
  beginOpen(): number;
  isNewestOpen(seq: number): boolean;
  /** The policy gate of the document's mesh, once the governance slice follows it. */
  gate: PolicyGate | undefined;
  /** Called when a save moves the document (a sample's first save becomes a stored copy). */
  readonly onOriginChange: ((origin: DocumentOrigin) => void) | undefined;
}

export interface SessionOptions {
  readonly createHost: () => Promise<QuantumHost>;
  readonly saveTargets?: SaveTargets | undefined;
  /** Pause after the last edit before autosave writes, in ms; 0 turns autosave off. */
  readonly autosaveMs: number;
  readonly onOriginChange?: ((origin: DocumentOrigin) => void) | undefined;
}

export function createSession(options: SessionOptions, save: () => Promise<void>): Session {
  let host: Promise<QuantumHost> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let opens = 0;
  const moved = new Map<string, string>();
  const target = options.saveTargets ? saveTarget(options.saveTargets) : undefined;
  const startedHost = (): Promise<QuantumHost> =>
    (host ??= options.createHost().catch((error: unknown) => {
      host = undefined; // the next run tries again
      throw error;
    }));
  return {
    target,
    autosave: {
      schedule() {
        clearTimeout(timer);
        if (target && options.autosaveMs > 0) timer = setTimeout(() => void save(), options.autosaveMs);
      },
      cancel() {
        clearTimeout(timer);
      },
    },
    host: startedHost,
    warm(products) {
      // The governance catalog takes one quantum while the products run.
      startedHost()
        .then((h) => h.prestart?.(products + 1))
        .catch(() => undefined);
    },
    runtimes: new Map(),
    moved,
    latestKey(key) {
      let current = key;
      // Bounded: a key moves at most once per save, and never back.
      for (let hops = 0; hops < 100 && moved.has(current); hops++) current = moved.get(current) ?? current;
      return current;
    },
    beginOpen() {
      clearTimeout(timer);
      return ++opens;
    },
    isNewestOpen: (seq) => seq === opens,
    gate: undefined,
    onOriginChange: options.onOriginChange,
  };
}
