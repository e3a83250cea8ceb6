import { createStore } from 'zustand/vanilla';
import type { QuantumHost } from '../../../core/run/runTypes.ts';
import { documentKey, type DocumentOrigin } from '../workspace/meshDocument.ts';
import type { SaveTargets } from '../workspace/saveTargets.ts';
import { createSaveSlice } from './autosave.ts';
import { createDocumentSlice } from './documentSlice.ts';
import { followGovernance } from './governance.ts';
import { createRunsSlice } from './runsSlice.ts';
import { createSamplesSlice } from './samplesSlice.ts';
import { createScenarioSlice, followScenario } from './scenarioSlice.ts';
import { createSession } from './session.ts';
import { openDocumentOf, type AppState, type AppStore } from './state.ts';
import { createViewSlice } from './viewSlice.ts';

export type { AppState, AppStore, DocumentState, SampleState, SaveState } from './state.ts';

export interface AppStoreOptions {
  readonly folders: readonly string[];
  readonly openSample: string | undefined;
  /** Where quanta run: Web Workers in the app (BrowserHost). Called once, on the first run. */
  readonly createHost: () => Promise<QuantumHost>;
  /** Where saving goes; without it the editor keeps changes in memory only. */
  readonly saveTargets?: SaveTargets;
  /** Pause after the last edit before autosave writes, in ms; 0 turns autosave off. Default 800. */
  readonly autosaveMs?: number;
  /** Called when a save moves the document (a sample's first save becomes a stored copy). */
  readonly onOriginChange?: (origin: DocumentOrigin) => void;
  /**
   * Evaluate the open mesh's policies after every change and run (governance.ts), `delayMs`
   * after the last one (default 500), and let its blocking violations refuse publishes.
   */
  readonly policies?: { readonly delayMs?: number };
  /** Pause after an edit or a run before a scenario's goals are judged again (default 300 ms). */
  readonly scenarioDelayMs?: number;
}

/**
 * The app's store, one per window (and per test): the slices of state.ts put together over one
 * session (session.ts). With `policies`, the governance slice follows the document.
 */
export function createAppStore(options: AppStoreOptions): AppStore {
  const session = createSession(
    {
      createHost: options.createHost,
      saveTargets: options.saveTargets,
      autosaveMs: options.autosaveMs ?? 800,
      onOriginChange: options.onOriginChange,
    },
    () => store.getState().save(),
  );
  const store = createStore<AppState>()((set, get) => ({
    ...createSamplesSlice(options.folders, options.openSample)(set, get, session),
    ...createDocumentSlice(set, get, session),
    ...createSaveSlice(set, get, session),
    ...createRunsSlice(set, get, session),
    governance: { evaluating: false },
    draftGovernance: undefined,
    ...createScenarioSlice(set, get, session),
    ...createViewSlice(set, get, session),
  }));
  followScenario(store, options.scenarioDelayMs);
  if (options.policies) {
    const runKey = (state: AppState): string | undefined => {
      const doc = openDocumentOf(state);
      return doc ? documentKey(doc.origin) : undefined;
    };
    session.gate = followGovernance(store, runKey, session.host, options.policies.delayMs);
  }
  return store;
}
