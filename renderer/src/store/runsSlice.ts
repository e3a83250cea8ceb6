import { jsonLines } from '../../../core/export/openLineage.ts';
import { changedBytes, changedPaths, productsChangedBy } from '../../../core/run/changedSinceRun.ts';
import { FaultError, type Fault } from '../../../core/run/faults.ts';
import type { MeshRuntime, MeshRuntimeOptions } from '../../../core/run/meshRuntime.ts';
import type { MeshRunReport, RuntimeEvent } from '../../../core/run/runTypes.ts';
import { downloadBytes } from '../platform/download.ts';
import { documentKey, type MeshDocument } from '../workspace/meshDocument.ts';
import { APP_PRODUCER, LineageLog, lineageFileName } from './lineageLog.ts';
import { applyEvent, failRun, finishRun, markChanged, NO_RUNS, noteInLog, requestStop, startRun, type MeshRunState } from './meshRuns.ts';
import { openDocumentOf, type ActiveFault, type AppState, type RunsSlice, type SliceCreator } from './state.ts';

/** The longest a runtime event waits to be shown when the page gets no animation frames. */
const EVENT_FLUSH_MS = 50;

/**
 * Runs of the open mesh: Run all, Run one, Tick and Reset on the document's runtime (one per
 * document revision, kept in the session), with the runtime's events reduced into `runs`
 * (meshRuns.ts) and kept for the run log's "Download OpenLineage" (lineageLog.ts). The runtime
 * reads the governance slice's gate at each publish.
 */
export const createRunsSlice: SliceCreator<RunsSlice> = (set, get, session) => {
  const openDoc = (): MeshDocument | undefined => openDocumentOf(get());
  // Writes go to the document's key now: a save may have moved it while a run was under way (session.moved).
  const updateRun = (runKey: string, change: (run: MeshRunState) => MeshRunState): void => {
    flushEvents(); // what happened before this change is in the state before it
    set((s) => {
      const key = session.latestKey(runKey);
      const run = s.runs[key];
      return run ? { runs: { ...s.runs, [key]: change(run) } } : {};
    });
  };
  // Runtime events come one per worker message; applied one at a time, each re-rendered the
  // canvas and the run log (72 renders in a Run all of daff, competing with the quanta for a
  // 2-core machine's CPU). They are queued and applied together once per frame — or sooner,
  // before any other change to the runs (updateRun, note), so the order is kept; a hidden page,
  // which gets no frames, still gets them within EVENT_FLUSH_MS.
  const pendingEvents: { readonly runKey: string; readonly event: RuntimeEvent }[] = [];
  let flushScheduled = false;
  const flushEvents = (): void => {
    flushScheduled = false;
    if (pendingEvents.length === 0) return;
    const events = pendingEvents.splice(0);
    set((s) => {
      const runs = { ...s.runs };
      for (const { runKey, event } of events) {
        const key = session.latestKey(runKey);
        const run = runs[key];
        if (run) runs[key] = applyEvent(run, event);
      }
      return { runs };
    });
  };
  const queueEvent = (runKey: string, event: RuntimeEvent): void => {
    pendingEvents.push({ runKey, event });
    if (flushScheduled) return;
    flushScheduled = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flushEvents);
    setTimeout(flushEvents, EVENT_FLUSH_MS);
  };
  // Each document's runtime events for its OpenLineage download, by the key they were recorded under.
  const lineage = new Map<string, LineageLog>();
  /** The document's lineage log; one recorded under a key a save moved since is its own (made when `make`). */
  const lineageOf = (runKey: string, make: boolean): LineageLog | undefined => {
    const key = session.latestKey(runKey);
    let log = lineage.get(key);
    if (!log)
      for (const [recorded, found] of lineage)
        if (session.latestKey(recorded) === key) {
          lineage.delete(recorded);
          log = found;
          break;
        }
    if (!log && make) log = new LineageLog();
    if (log) lineage.set(key, log);
    return log;
  };
  // The runtime being made for a document revision: two callers at once (a fault and a run) share it.
  const making = new Map<string, { readonly revision: number; readonly runtime: Promise<MeshRuntime> }>();
  const runtimeFor = (doc: MeshDocument): Promise<MeshRuntime> => {
    const key = documentKey(doc.origin);
    const existing = session.runtimes.get(key);
    if (existing && existing.revision === doc.revision) return Promise.resolve(existing.runtime);
    const pending = making.get(key);
    if (pending && pending.revision === doc.revision) return pending.runtime;
    const runtime = makeRuntime(doc, key).finally(() => {
      if (making.get(key)?.runtime === runtime) making.delete(key);
    });
    making.set(key, { revision: doc.revision, runtime });
    return runtime;
  };
  const makeRuntime = async (doc: MeshDocument, key: string): Promise<MeshRuntime> => {
    const ready = session.host();
    session.warm(doc.mesh.products.length);
    const { MeshRuntime } = await import('../../../core/run/meshRuntime.ts');
    const options: MeshRuntimeOptions = {
      host: await ready,
      readFile: (path) => doc.seeds.readFile(path),
      now: () => performance.now(),
      onEvent: (event) => {
        // Recorded first: the run log's re-render then finds the event in the lineage log too.
        // (Events come from runs, so only after `runtime` below is made.)
        lineageOf(key, true)?.record(runtime.mesh, event, runtime);
        queueEvent(key, event);
      },
      // Read at each publish: the gate's newest verdict counts, also for a runtime made before it.
      policyChecks: (productId) => [...(session.gate?.policyChecks(productId) ?? [])],
    };
    // An edited mesh's runtime goes on from the last one (read now: a reset may have dropped it):
    // the versions of the ports that still exist stay published, so a downstream product runs on them after the edit.
    const existing = session.runtimes.get(session.latestKey(key));
    const runtime = existing ? existing.runtime.withMesh(doc.mesh, options) : new MeshRuntime(doc.mesh, options);
    session.runtimes.set(session.latestKey(key), { revision: doc.revision, runtime });
    return runtime;
  };
  /** The Stop of each document's pass under way (Run all, Tick ×N), by the key the pass started under. */
  const stops = new Map<string, AbortController>();
  /**
   * One pass at a time per document: a second click while it runs does nothing. A pass given
   * a signal (`stoppable`) ends early when stopRun aborts it.
   */
  const drive = async (work: (runtime: MeshRuntime, signal: AbortSignal) => Promise<MeshRunReport>, stoppable = false): Promise<void> => {
    const doc = openDoc();
    if (!doc) return;
    const key = documentKey(doc.origin);
    if (get().runs[key]?.running) return;
    const stop = new AbortController();
    if (stoppable) stops.set(key, stop);
    flushEvents();
    set((s) => ({ runs: { ...s.runs, [key]: startRun(s.runs[key], doc.mesh.products.length, stoppable) } }));
    try {
      await pass(key, doc, (runtime) => work(runtime, stop.signal));
    } finally {
      if (stops.get(key) === stop) stops.delete(key);
    }
  };
  /** One pass on the document's runtime: its report, or why it could not complete, goes into `runs`. */
  const pass = async (key: string, doc: MeshDocument, work: (runtime: MeshRuntime) => Promise<MeshRunReport>): Promise<void> => {
    const runtime = await runtimeFor(doc).catch((error: unknown) => {
      updateRun(key, (run) => failRun(run, error));
      return undefined;
    });
    if (!runtime) return;
    try {
      const report = await work(runtime);
      updateRun(key, (run) => finishRun(run, report));
    } catch (error) {
      updateRun(key, (run) => failRun(run, error));
    }
    refreshFaults(key, runtime);
  };
  /** A line in the document's run log, also before its first run. */
  const note = (runKey: string, tick: number, product: string | undefined, text: string): void => {
    flushEvents();
    const key = session.latestKey(runKey);
    set((s) => ({ runs: { ...s.runs, [key]: noteInLog(s.runs[key] ?? NO_RUNS, tick, product, text) } }));
  };
  /** The faults still in force after a run: a crash is spent by the run it stopped, a delay ends at its tick. */
  const refreshFaults = (runKey: string, runtime: MeshRuntime): void => {
    const key = session.latestKey(runKey);
    const delays = (get().faults[key] ?? []).filter((f) => f.until !== undefined && f.until > runtime.tick);
    const next = [...runtime.faults.map((fault) => ({ fault })), ...delays];
    set((s) => ({ faults: { ...s.faults, [key]: next } }));
  };
  /** Plays `act` on the open document's runtime (made if it has not run yet), then shows the faults in force. */
  const onRuntime = async (act: (runtime: MeshRuntime, key: string) => void): Promise<void> => {
    const doc = openDoc();
    if (!doc) return;
    const key = documentKey(doc.origin);
    const runtime = await runtimeFor(doc);
    act(runtime, key);
    refreshFaults(key, runtime);
  };
  const openRuntime = (): MeshRuntime | undefined => {
    const doc = openDoc();
    return doc ? session.runtimes.get(documentKey(doc.origin))?.runtime : undefined;
  };

  return {
    runs: {},
    runDocument: () => drive((runtime, signal) => runtime.runAll({ signal }), true),
    runProduct: (productId) =>
      drive(async (runtime, signal) => {
        const started = performance.now();
        const run = await runtime.runProduct(productId, { signal });
        return {
          tick: runtime.tick,
          simulatedAt: runtime.simulatedAt(),
          products: [run],
          durationMs: performance.now() - started,
          ...(run.stopped ? { stopped: { done: 0, total: 1 } } : {}),
        };
      }, true),
    tickDocument: (ticks) =>
      drive(async (runtime, signal) => {
        const reports = await runtime.advance(Math.max(1, Math.floor(ticks)), { signal });
        const last = reports.at(-1);
        const total = runtime.mesh.products.length;
        if (!signal.aborted) {
          if (!last) throw new Error('the clock did not advance');
          return last;
        }
        // Stopped between two ticks: the last tick ran whole, the next did not start.
        if (!last)
          return { tick: runtime.tick, simulatedAt: runtime.simulatedAt(), products: [], durationMs: 0, stopped: { done: 0, total } };
        return last.stopped ? last : { ...last, stopped: { done: last.products.length, total } };
      }, true),
    stopRun: () => {
      const doc = openDoc();
      if (!doc) return;
      const key = documentKey(doc.origin);
      const stop = [...stops].find(([started]) => session.latestKey(started) === key)?.[1];
      if (!stop) return;
      updateRun(key, requestStop);
      stop.abort();
    },
    resetRuns: () => {
      const doc = openDoc();
      if (!doc) return;
      const key = documentKey(doc.origin);
      if (get().runs[key]?.running) return;
      session.runtimes.delete(key);
      lineageOf(key, false)?.clear();
      set((s) => {
        const runs = { ...s.runs };
        delete runs[key];
        // The faults were the runtime's: they go with it.
        return { runs, faults: { ...s.faults, [key]: [] } };
      });
    },
    portHistory: (productId, port) => openRuntime()?.history(productId, port) ?? [],
    portCandidate: (productId, port) => openRuntime()?.candidate(productId, port),
    candidateFailingRows: async (productId, port, checkId) => {
      const runtime = openRuntime();
      return runtime ? runtime.failingRows(productId, port, checkId) : undefined;
    },
    openRuntime: async () => {
      const doc = openDoc();
      return doc ? runtimeFor(doc) : undefined;
    },
    faults: {},
    injectFault: async (fault) => {
      let refused: string | undefined;
      try {
        await onRuntime((runtime, key) => {
          runtime.injectFault(fault);
          if (fault.kind === 'delaySource') {
            const delay: ActiveFault = { fault, until: runtime.tick + fault.ticks };
            const others = (get().faults[key] ?? []).filter((f) => !(f.fault.kind === 'delaySource' && f.fault.product === fault.product));
            set((s) => ({ faults: { ...s.faults, [key]: [...others, delay] } }));
          }
          note(key, runtime.tick, fault.product, `Fault injected: ${faultText(fault)}`);
        });
      } catch (error) {
        if (!(error instanceof FaultError)) throw error;
        refused = error.message;
      }
      return refused;
    },
    removeFault: (removed) =>
      onRuntime((runtime, key) => {
        const product = removed.fault.product;
        const kept = (get().faults[key] ?? []).filter((f) => f.fault.product === product && f !== removed);
        // The runtime clears by product: the product's other faults go back in, delays for what is left of them.
        runtime.clearFaults(product);
        for (const f of kept) {
          runtime.injectFault(
            f.until === undefined ? f.fault : { kind: 'delaySource', product, ticks: Math.max(1, f.until - runtime.tick) },
          );
        }
        const delays = kept.filter((f) => f.until !== undefined);
        set((s) => ({ faults: { ...s.faults, [key]: [...(s.faults[key] ?? []).filter((f) => f.fault.product !== product), ...delays] } }));
        note(key, runtime.tick, product, `Fault removed: ${faultText(removed.fault)}`);
      }),
    clearFaults: (product) =>
      onRuntime((runtime, key) => {
        runtime.clearFaults(product);
        set((s) => ({
          faults: { ...s.faults, [key]: product === undefined ? [] : (s.faults[key] ?? []).filter((f) => f.fault.product !== product) },
        }));
        note(key, runtime.tick, product, product === undefined ? 'Every fault removed' : `Faults of ${product} removed`);
      }),
    hasOpenLineage: () => {
      const doc = openDoc();
      return doc !== undefined && (lineageOf(documentKey(doc.origin), false)?.runs ?? 0) > 0;
    },
    openLineageEvents: (columnLineage) => {
      const doc = openDoc();
      return (doc && lineageOf(documentKey(doc.origin), false)?.events(columnLineage)) ?? [];
    },
    downloadOpenLineage: async () => {
      const doc = openDoc();
      if (!doc || !get().hasOpenLineage()) return undefined;
      // polyglot and its wasm load now, on the first download only (workspace/browserColumnLineage.ts).
      const { loadColumnLineage } = await import('../workspace/browserColumnLineage.ts');
      const columnLineage = await loadColumnLineage(APP_PRODUCER);
      const events = get().openLineageEvents(columnLineage);
      const name = lineageFileName(doc.mesh.manifest?.name ?? doc.title);
      downloadBytes(new TextEncoder().encode(jsonLines(events)), name, 'application/x-ndjson');
      return { file: name, events: events.length, columnLineage: columnLineage !== undefined };
    },
    quantumHost: session.host,
    queryTarget: openRuntime,
  };
};

/** A fault in plain words, for the run log and the Faults tab. */
export function faultText(fault: Fault): string {
  switch (fault.kind) {
    case 'dropColumn':
      return `${fault.product} reads ${fault.table} without column ${fault.column}`;
    case 'renameColumn':
      return `${fault.product} reads ${fault.table}.${fault.column} as ${fault.to}`;
    case 'nullSpike':
      return `${Math.round(fault.share * 100)} % of ${fault.table}.${fault.column} is NULL for ${fault.product}`;
    case 'delaySource':
      return `${fault.product}'s sources are late by ${fault.ticks} tick${fault.ticks === 1 ? '' : 's'}`;
    case 'crash':
      return `${fault.product}'s quantum crashes during its next run`;
  }
}

/**
 * The runs after an edit from `before` to `after`: the products the edit touched, and their
 * downstream, are "changed since last run" (meshRuns.ts markChanged) until they run again.
 */
export function runsAfterEdit(runs: AppState['runs'], before: MeshDocument | undefined, after: MeshDocument): AppState['runs'] {
  if (!before || documentKey(before.origin) !== documentKey(after.origin)) return runs;
  const key = documentKey(after.origin);
  const run = runs[key];
  if (!run) return runs;
  const paths = changedPaths(before.files, after.files);
  if (before.seeds !== after.seeds) paths.push(...changedBytes(before.seeds.snapshot(), after.seeds.snapshot()));
  const changed = new Set([...productsChangedBy(before.mesh, paths), ...productsChangedBy(after.mesh, paths)]);
  return changed.size > 0 ? { ...runs, [key]: markChanged(run, [...changed]) } : runs;
}
