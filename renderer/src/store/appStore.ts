import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SampleLoad } from '../samples/loadSample.ts';

export type SampleState = { readonly status: 'loading' } | SampleLoad;

/**
 * The app shell's state. Created per window (and per test) by createAppStore; components read
 * it through narrow selectors. The editor will add its slices beside these.
 */
export interface AppState {
  /** Load state of each bundled sample, by folder. */
  readonly samples: Readonly<Record<string, SampleState>>;
  /** Folder of the sample shown in the overview; undefined shows the start screen. */
  readonly openSample: string | undefined;
  readonly setSampleState: (folder: string, state: SampleState) => void;
  readonly showSample: (folder: string | undefined) => void;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(initial: { readonly folders: readonly string[]; readonly openSample: string | undefined }): AppStore {
  return createStore<AppState>()((set) => ({
    samples: Object.fromEntries(initial.folders.map((folder) => [folder, { status: 'loading' } satisfies SampleState])),
    openSample: initial.openSample,
    setSampleState: (folder, state) => set((s) => ({ samples: { ...s.samples, [folder]: state } })),
    showSample: (folder) => set({ openSample: folder }),
  }));
}
