import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MeshRuntime } from '../../../core/run/meshRuntime.ts';
import type { QuantumHost } from '../../../core/run/runTypes.ts';
import type { SampleLoad } from '../samples/loadSample.ts';
import { applyEvent, failRun, finishRun, startRun, type MeshRunState } from './meshRuns.ts';

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
  /** "Run all" of each sample that was run, by folder. */
  readonly runs: Readonly<Record<string, MeshRunState>>;
  readonly setSampleState: (folder: string, state: SampleState) => void;
  readonly showSample: (folder: string | undefined) => void;
  /** Runs every product of a loaded sample once; does nothing while that sample is running. */
  readonly runMesh: (folder: string) => Promise<void>;
}

export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  readonly folders: readonly string[];
  readonly openSample: string | undefined;
  /** Where quanta run: Web Workers in the app (BrowserHost). Called once, on the first run. */
  readonly createHost: () => Promise<QuantumHost>;
}

export function createAppStore(initial: AppStoreOptions): AppStore {
  // Not state: one pool of quanta for the window, and one runtime per sample so that a second
  // run builds on the versions the first one published. Bundled samples never change; when the
  // editor can change a mesh, its runtime must be replaced.
  let host: Promise<QuantumHost> | undefined;
  const runtimes = new Map<string, MeshRuntime>();

  return createStore<AppState>()((set, get) => {
    const updateRun = (folder: string, change: (run: MeshRunState) => MeshRunState) =>
      set((s) => {
        const run = s.runs[folder];
        return run ? { runs: { ...s.runs, [folder]: change(run) } } : {};
      });

    return {
      samples: Object.fromEntries(initial.folders.map((folder) => [folder, { status: 'loading' } satisfies SampleState])),
      openSample: initial.openSample,
      runs: {},
      setSampleState: (folder, state) => set((s) => ({ samples: { ...s.samples, [folder]: state } })),
      showSample: (folder) => set({ openSample: folder }),
      runMesh: async (folder) => {
        const sample = get().samples[folder];
        if (sample?.status !== 'loaded' || get().runs[folder]?.running) return;
        const { mesh } = sample.loaded;
        set((s) => ({ runs: { ...s.runs, [folder]: startRun(s.runs[folder], mesh.products.length) } }));
        try {
          let runtime = runtimes.get(folder);
          if (!runtime) {
            const ready = (host ??= initial.createHost().catch((error: unknown) => {
              host = undefined; // the next run tries again
              throw error;
            }));
            // Loaded on the first run: the start screen and the overview do not need the runtime.
            const { MeshRuntime } = await import('../../../core/run/meshRuntime.ts');
            runtime = new MeshRuntime(mesh, {
              host: await ready,
              readFile: (path) => sample.files.readFile(path),
              now: () => performance.now(),
              onEvent: (event) => updateRun(folder, (run) => applyEvent(run, event)),
            });
            runtimes.set(folder, runtime);
          }
          const report = await runtime.runAll();
          updateRun(folder, (run) => finishRun(run, report));
        } catch (error) {
          updateRun(folder, (run) => failRun(run, error));
        }
      },
    };
  });
}
