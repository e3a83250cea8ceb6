import { documentKey } from '../workspace/meshDocument.ts';
import type { MeshRunState } from './meshRuns.ts';
import type { ActiveFault, AppState, SampleState } from './state.ts';

/*
 * What components read of the store, named once at module scope: a selector made inside a
 * component is a new function each render, and one spelled out in many places drifts. Those
 * taking an argument return a selector; call them with a stable value (a folder, a run key).
 */

export const selectDocument = (s: AppState) => s.document;
/** The open document's key in `runs` and `faults` ('' while none is open). */
export const selectDocumentKey = (s: AppState) => (s.document.status === 'open' ? documentKey(s.document.doc.origin) : '');
export const selectOpenSample = (s: AppState) => s.openSample;
export const selectSaveState = (s: AppState) => s.saveState;
export const selectNotice = (s: AppState) => s.notice;
export const selectDiskNotices = (s: AppState) => s.diskNotices;
export const selectExternalChanges = (s: AppState) => s.externalChanges;
export const selectDraft = (s: AppState) => s.draft;
export const selectDrafting = (s: AppState) => s.draft !== undefined;
export const selectPanels = (s: AppState) => s.panels;
export const selectScenarioPanel = (s: AppState) => s.scenarioPanel;
export const selectScenario = (s: AppState) => s.scenario;
export const selectGovernance = (s: AppState) => s.governance;
export const selectDraftGovernance = (s: AppState) => s.draftGovernance;

/** One selector per key, made once: the same key gives the same function. */
function keyed<T>(make: (key: string) => (s: AppState) => T): (key: string) => (s: AppState) => T {
  const made = new Map<string, (s: AppState) => T>();
  return (key) => {
    const known = made.get(key);
    if (known) return known;
    const selector = make(key);
    made.set(key, selector);
    return selector;
  };
}

/** The load state of one bundled sample. */
export const selectSample = keyed((folder) => (s) => s.samples[folder] as SampleState | undefined);
/** The runs of one document, by its document key. */
export const selectRun = keyed((key) => (s) => s.runs[key] as MeshRunState | undefined);
/** The last completed pass of one document's runs. */
export const selectRunReport = keyed((key) => (s) => s.runs[key]?.report);

const NO_FAULTS: readonly ActiveFault[] = [];
/** The faults in force on one document's runtime. */
export const selectFaults = keyed((key) => (s) => s.faults[key] ?? NO_FAULTS);

/** The marketplace or product page on screen instead of the canvas (undefined: the canvas). */
export const selectDiscovery = (s: AppState) => s.discovery;
export const selectDiscoveryQuery = (s: AppState) => s.discoveryQuery;
