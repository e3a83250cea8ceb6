import { checkFault } from '../../../core/run/faults.ts';
import type { ScenarioHost, ScenarioRuntime } from '../../../core/scenarios/scenarioHost.ts';
import type * as ScenarioEngine from '../../../core/scenarios/scenarioEngine.ts';
import { documentKey } from '../workspace/meshDocument.ts';
import { runDataFor } from './governance.ts';
import type { Session } from './session.ts';
import { openDocumentOf, type AppStore, type ScenarioPlay, type ScenarioSlice, type SliceCreator } from './state.ts';

/*
 * The scenario slice: a workshop scenario played on the open document with core's engine
 * (core/scenarios/scenarioEngine.ts). The store is the engine's host — the scenario's edits
 * are undoable edits of the document, its runs are the Run button's, its faults the Faults
 * tab's — so what the room sees is what the goals judge. The goals are judged again after
 * every edit and every run (followScenario, debounced, one engine call at a time).
 */

/** Pause after the last edit or run before the goals are judged again. */
export const SCENARIO_DELAY_MS = 300;

// Loaded with the first scenario, like the runtime: the start screen does not need it.
type Engine = typeof ScenarioEngine;

export const createScenarioSlice: SliceCreator<ScenarioSlice> = (set, get, session) => {
  // One engine call at a time: a start, a judgement, a reset never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const engine = (): Promise<Engine> => import('../../../core/scenarios/scenarioEngine.ts');
  const play = (change: Partial<ScenarioPlay>): void => set((s) => (s.scenario ? { scenario: { ...s.scenario, ...change } } : {}));
  const failed = (error: unknown): void =>
    play({ evaluating: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
  const host = storeHost(get, session);

  return {
    scenario: undefined,
    startScenario: (id) =>
      serial(async () => {
        const doc = openDocumentOf(get());
        const scenario = doc?.mesh.scenarios.find((s) => s.id === id);
        if (!doc || !scenario) return;
        set({ scenario: { key: documentKey(doc.origin), id, evaluating: true, solutionShown: false } });
        try {
          const { startScenario, evaluateScenario } = await engine();
          await get().openRuntime();
          const started = await startScenario(host, scenario, Date.now());
          play({ state: await evaluateScenario(host, started, Date.now()), evaluating: false });
        } catch (error) {
          failed(error);
        }
      }),
    judgeScenario: () =>
      serial(async () => {
        const state = get().scenario?.state;
        if (!state || !isOpen(get)) return;
        play({ evaluating: true });
        try {
          const { evaluateScenario } = await engine();
          const next = await evaluateScenario(host, state, Date.now());
          // A reset or another scenario meanwhile wins.
          if (get().scenario?.state === state) play({ state: next, evaluating: false, error: undefined });
        } catch (error) {
          failed(error);
        }
      }),
    revealHint: () => {
      const state = get().scenario?.state;
      if (!state) return;
      void engine().then(({ revealHint }) => {
        if (get().scenario?.state === state) play({ state: revealHint(state) });
      });
    },
    showSolution: (shown) => play({ solutionShown: shown }),
    resetScenario: () =>
      serial(async () => {
        const state = get().scenario?.state;
        if (!state) {
          set({ scenario: undefined });
          return;
        }
        const { resetScenario } = await engine();
        await resetScenario(host, state);
        set({ scenario: undefined });
      }),
    endScenario: () => set({ scenario: undefined }),
  };
};

/** The open document's runtime seen as the engine's: runs and ticks go through the Run and Tick buttons' actions. */
function storeHost(get: AppStore['getState'], session: Session): ScenarioHost {
  const doc = () => {
    const open = openDocumentOf(get());
    if (!open) throw new Error('no mesh is open');
    return open;
  };
  const runtime: ScenarioRuntime = {
    get tick() {
      return session.runtimes.get(documentKey(doc().origin))?.runtime.tick ?? 0;
    },
    runAll: () => get().runDocument(),
    runProduct: (id) => get().runProduct(id),
    advance: (ticks) => get().tickDocument(ticks),
    injectFault: (fault) => {
      // Checked here, so a bad fault fails its event at once; the runtime gets it right after.
      checkFault(fault, doc().mesh.products);
      void get().injectFault(fault);
    },
    clearFaults: (product) => void get().clearFaults(product),
  };
  return {
    files: () => doc().files,
    setFiles: (files) => get().replaceFiles(files, 'Scenario'),
    runtime: () => runtime,
    clearRuns: () => get().resetRuns(),
    observe: async () => {
      const open = doc();
      const runs = await get().openRuntime();
      if (!runs) throw new Error('no mesh is open');
      const key = documentKey(open.origin);
      const gate = session.gate;
      const run = runDataFor(open.mesh, get().runs[key], get().portHistory);
      const governance = gate ? await gate.evaluate(open.mesh, run ? { run } : {}) : undefined;
      return { mesh: open.mesh, diagnostics: open.diagnostics, runs, ...(governance ? { governance } : {}) };
    },
  };
}

function isOpen(get: AppStore['getState']): boolean {
  const play = get().scenario;
  const doc = openDocumentOf(get());
  return play !== undefined && doc !== undefined && documentKey(doc.origin) === play.key;
}

/**
 * Judges the scenario's goals again `delayMs` after each edit of the document and each run
 * that completed. Returns the function that stops following.
 */
export function followScenario(store: AppStore, delayMs = SCENARIO_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watched = (s: ReturnType<AppStore['getState']>) => {
    const doc = openDocumentOf(s);
    return { doc: doc?.files, report: doc ? s.runs[documentKey(doc.origin)]?.report : undefined, playing: s.scenario?.state };
  };
  let last = watched(store.getState());
  return store.subscribe((state) => {
    const now = watched(state);
    const changed = now.doc !== last.doc || now.report !== last.report;
    last = now;
    if (!changed || !now.playing) return;
    clearTimeout(timer);
    timer = setTimeout(() => void store.getState().judgeScenario(), delayMs);
  });
}
