import type { StoreApi } from 'zustand/vanilla';
import type { QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { AddSourceRequest } from '../../../core/import/addSource.ts';
import type { ImportRequest } from '../../../core/import/importFile.ts';
import type { ColumnLineage, RunEvent } from '../../../core/export/openLineage.ts';
import type { MeshFiles } from '../../../core/model/types.ts';
import type { Fault } from '../../../core/run/faults.ts';
import type { MeshRuntime } from '../../../core/run/meshRuntime.ts';
import type { ScenarioState } from '../../../core/scenarios/scenarioEngine.ts';
import type { FailingRows, PortVersion, QuantumHost, RefusedCandidate } from '../../../core/run/runTypes.ts';
import type { SampleLoad } from '../samples/loadSample.ts';
import type { DiskNotice } from '../workspace/diskNotices.ts';
import type { DocumentChange, DocumentOrigin, MeshDocument } from '../workspace/meshDocument.ts';
import type { GovernanceSlice } from './governance.ts';
import type { MeshRunState } from './meshRuns.ts';
import type { Session } from './session.ts';

/*
 * The app's state, in slices (the zustand slices pattern): each slice's members are declared
 * here and made by its own file — samplesSlice, documentSlice, autosave (save), runsSlice,
 * governance, viewSlice — which createAppStore (appStore.ts) puts together. Components read it
 * through the selectors of selectors.ts.
 */

export type SampleState = { readonly status: 'loading' } | SampleLoad;

/** The mesh open in the editor. */
export type DocumentState =
  | { readonly status: 'none' }
  | { readonly status: 'loading'; readonly label: string }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'open'; readonly doc: MeshDocument };

/** Where the open mesh stands against its save target; shown in the toolbar. */
export type SaveState =
  | { readonly status: 'saved' | 'unsaved' | 'saving' }
  /** Autosave waits: a changed file has errors; saving it would replace a good file with a broken one. */
  | { readonly status: 'blocked'; readonly message: string }
  /** Files changed on disk since they were opened; nothing was written. */
  | { readonly status: 'conflict'; readonly conflicts: readonly string[] }
  | { readonly status: 'error'; readonly message: string };

/** The bundled samples and the one the URL shows. */
export interface SamplesSlice {
  /** Load state of each bundled sample, by folder. */
  readonly samples: Readonly<Record<string, SampleState>>;
  /** Folder of the sample shown in the overview; undefined shows the start screen. */
  readonly openSample: string | undefined;
  readonly setSampleState: (folder: string, state: SampleState) => void;
  readonly showSample: (folder: string | undefined) => void;
}

/** The mesh in the editor: opening, edits with undo and redo, the what-if draft, selection, changes on disk. */
export interface DocumentSlice {
  readonly document: DocumentState;
  /** The last edit that could not be made, or a one-line message (a desktop command that failed). */
  readonly notice: string | undefined;
  /**
   * What happened to files on disk (another program's version kept beside a file during a
   * save, an interrupted save completed on open): shown until dismissed or another mesh opens.
   */
  readonly diskNotices: readonly DiskNotice[];
  readonly showDiskNotices: (notices: readonly DiskNotice[]) => void;
  readonly dismissDiskNotice: (id: string) => void;
  /** Opens a mesh from its files (a folder, a zip, a stored mesh); loading never throws. `diskNotices`: what opening did on disk. */
  readonly openFiles: (
    origin: DocumentOrigin,
    files: ReadonlyMap<string, Uint8Array>,
    options?: { readonly diskNotices?: readonly DiskNotice[] },
  ) => Promise<void>;
  readonly closeDocument: () => void;
  /** Applies an edit; an impossible one leaves the mesh as it was and sets `notice`. */
  readonly change: (change: DocumentChange, label: string, squashKey?: string) => boolean;
  /** Replaces the mesh's text files as one undoable step (a scenario's events, its reset). */
  readonly replaceFiles: (files: MeshFiles, label: string) => void;
  /** Adds one source-aligned product per imported file (core/import), all or none; false (and `notice`) when one cannot be made. */
  readonly importData: (requests: readonly ImportRequest[]) => boolean;
  /** Adds each imported file as one more source of an existing product (core/import/addSource.ts), all or none, one undo step; false (and `notice`) when it cannot. */
  readonly addDataFiles: (productId: string, requests: readonly AddSourceRequest[]) => boolean;
  readonly undo: () => void;
  readonly redo: () => void;
  readonly select: (productId: string | undefined) => void;
  readonly dismissNotice: () => void;
  /** Shows a one-line message in the notice line (a desktop command or a reload from disk that failed). */
  readonly showNotice: (message: string) => void;
  /** Opening a mesh failed before its files could be read (a stored mesh missing from this browser). */
  readonly openFailed: (message: string) => void;
  /**
   * What-if: while a draft is open, every edit goes into it — nothing is saved, the canvas
   * and inspector show it — until it is applied (one undoable step) or discarded.
   */
  readonly draft: MeshDocument | undefined;
  readonly startDraft: () => void;
  readonly applyDraft: () => void;
  readonly discardDraft: () => void;
  /** Files another program changed on disk since the mesh was opened or last reloaded. */
  readonly externalChanges: readonly string[];
  readonly noticeExternalChange: (paths: readonly string[]) => void;
  /** Takes in the folder as it is on disk now (see reloadFromDisk); clears externalChanges. */
  readonly reloadFromDisk: (files: ReadonlyMap<string, Uint8Array>) => Promise<void>;
}

/** Saving the open mesh to its target: by hand (Save) and by autosave after a pause in editing. */
export interface SaveSlice {
  readonly saveState: SaveState;
  /** Writes the unsaved files now (autosave calls it after a pause in editing). */
  readonly save: (options?: { readonly overwrite?: boolean }) => Promise<void>;
}

/** Runs of the open mesh on the window's quanta, and what they published. */
export interface RunsSlice {
  /** Runs of each open document, by document key (`sample:<folder>`, `stored:<id>`, …). */
  readonly runs: Readonly<Record<string, MeshRunState>>;
  /** Runs every product of the open mesh once ("Run all"). */
  readonly runDocument: () => Promise<void>;
  /** Runs one product now, on the newest good versions of its inputs ("Run one"). */
  readonly runProduct: (productId: string) => Promise<void>;
  /** Advances simulated time `ticks` ticks; products run on their schedules ("Tick ×N"). */
  readonly tickDocument: (ticks: number) => Promise<void>;
  /** Forgets every run of the open mesh: versions, statuses and the log. */
  readonly resetRuns: () => void;
  /**
   * Stops the open mesh's Run all, Tick ×N or Run one under way: its running quanta are cancelled,
   * nothing more starts, the products it did not run keep their last results.
   */
  readonly stopRun: () => void;
  /** Published versions of a port of the open mesh, oldest first (the newest carry their data). */
  readonly portHistory: (productId: string, port: string) => readonly PortVersion[];
  /**
   * What the port's newest refused run would have published (its Arrow bytes, the checks that
   * refused it), unless the port has published since; undefined before a refusal. Never an input.
   */
  readonly portCandidate: (productId: string, port: string) => RefusedCandidate | undefined;
  /** The rows of the port's refused candidate that break its failed row-level check `checkId` (row numbers from 0). */
  readonly candidateFailingRows: (productId: string, port: string, checkId: string) => Promise<FailingRows | undefined>;
  /** Whether a product of the open mesh ran in this session since its last reset (Download OpenLineage has events to save). */
  readonly hasOpenLineage: () => boolean;
  /** The open mesh's runs of this session as OpenLineage RunEvents, oldest first (what Download OpenLineage saves). */
  readonly openLineageEvents: (columnLineage?: ColumnLineage) => readonly RunEvent[];
  /**
   * Saves the open mesh's runs of this session as OpenLineage RunEvents, one JSON line each
   * (`<mesh>-openlineage.jsonl`, a file download): a START and a COMPLETE, FAIL or ABORT per
   * product run. Resolves with what it saved (`columnLineage`: whether polyglot could add that
   * facet), or undefined when nothing ran.
   */
  readonly downloadOpenLineage: () => Promise<
    { readonly file: string; readonly events: number; readonly columnLineage: boolean } | undefined
  >;
  /** The window's quantum pool (started on first use), shared by runs and the governance catalog. */
  readonly quantumHost: () => Promise<QuantumHost>;
  /** The open mesh's runtime as a query target (SQL console, queries as a persona); undefined before it ran. */
  readonly queryTarget: () => QueryTarget | undefined;
  /** The open mesh's runtime, made now if the mesh has not run yet (undefined: nothing open). */
  readonly openRuntime: () => Promise<MeshRuntime | undefined>;
  /** Faults in force on each document's runtime, by document key (what the canvas and the Faults tab show). */
  readonly faults: Readonly<Record<string, readonly ActiveFault[]>>;
  /**
   * Injects a fault into the open mesh's runtime (made now if the mesh has not run yet); it
   * hits at the product's next run. Resolves with why it was refused, in plain words, or undefined.
   */
  readonly injectFault: (fault: Fault) => Promise<string | undefined>;
  /** Removes one fault in force (as listed in `faults`). */
  readonly removeFault: (fault: ActiveFault) => Promise<void>;
  /** Removes the faults of one product, or every fault. */
  readonly clearFaults: (product?: string) => Promise<void>;
}

/** A fault in force: table faults until removed, a crash until the run it stops, a delay until tick `until`. */
export interface ActiveFault {
  readonly fault: Fault;
  /** A delay: the tick its sources come back. */
  readonly until?: number;
}

/** A workshop scenario being played on the open document (core/scenarios). */
export interface ScenarioPlay {
  /** The document it plays on. */
  readonly key: string;
  readonly id: string;
  /** The engine's state; undefined while the scenario starts. */
  readonly state?: ScenarioState;
  /** Goals being judged (or the setup being played). */
  readonly evaluating: boolean;
  /** Why the scenario could not start or be judged, in plain words. */
  readonly error?: string | undefined;
  /** The trainer chose to show the current step's reference solution. */
  readonly solutionShown: boolean;
}

export interface ScenarioSlice {
  readonly scenario: ScenarioPlay | undefined;
  /** Starts a scenario of the open mesh: snapshot, setup, first step, goals judged. */
  readonly startScenario: (id: string) => Promise<void>;
  /** Judges the current step's goals now (followScenario calls it after edits and runs). */
  readonly judgeScenario: () => Promise<void>;
  readonly revealHint: () => void;
  readonly showSolution: (shown: boolean) => void;
  /** Puts the mesh files back as they were before the start (byte for byte), clears the runs, ends the scenario. */
  readonly resetScenario: () => Promise<void>;
  /** Stops playing, keeping the mesh as it is. */
  readonly endScenario: () => void;
}

/** Which editor panels are shown (View menu, buttons). */
export interface ViewSlice {
  readonly panels: { readonly inspector: boolean; readonly log: boolean };
  readonly togglePanel: (panel: 'inspector' | 'log') => void;
  /**
   * The scenario panel of the editor: closed, the list of the mesh's scenarios, or one
   * scenario's briefing (`?scenario=<id>`, a card on the start screen) until it is started.
   */
  readonly scenarioPanel: { readonly open: false } | { readonly open: true; readonly chosen?: string };
  readonly openScenarioPanel: (chosen?: string) => void;
  readonly closeScenarioPanel: () => void;
  /** The marketplace or a product's page in place of the canvas (the URL's `view=`/`product=`); undefined: the canvas. */
  readonly discovery: DiscoveryView | undefined;
  readonly showDiscovery: (view: DiscoveryView | undefined) => void;
  /** The marketplace's search text, kept while a product page is open so Back finds the same list. */
  readonly discoveryQuery: string;
  readonly setDiscoveryQuery: (query: string) => void;
}

/** What the editor shows in place of the canvas (issue 16): the marketplace, or one product's page. */
export type DiscoveryView = { readonly kind: 'marketplace' } | { readonly kind: 'product'; readonly product: string };

/** The app shell's state. Created per window (and per test) by createAppStore. */
export interface AppState extends SamplesSlice, DocumentSlice, SaveSlice, RunsSlice, GovernanceSlice, ScenarioSlice, ViewSlice {}

export type AppStore = StoreApi<AppState>;

/** Makes one slice: it may read and set the whole state, and shares the session with the others. */
export type SliceCreator<T> = (set: AppStore['setState'], get: AppStore['getState'], session: Session) => T;

/** The open document, if one is open. */
export function openDocumentOf(state: Pick<AppState, 'document'>): MeshDocument | undefined {
  return state.document.status === 'open' ? state.document.doc : undefined;
}
