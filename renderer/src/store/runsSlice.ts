import { changedBytes, changedPaths, productsChangedBy } from '../../../core/run/changedSinceRun.ts';
import type { MeshRuntime, MeshRuntimeOptions } from '../../../core/run/meshRuntime.ts';
import type { MeshRunReport } from '../../../core/run/runTypes.ts';
import { documentKey, type MeshDocument } from '../workspace/meshDocument.ts';
import { applyEvent, failRun, finishRun, markChanged, startRun, type MeshRunState } from './meshRuns.ts';
import { openDocumentOf, type AppState, type RunsSlice, type SliceCreator } from './state.ts';

/**
 * Runs of the open mesh: Run all, Run one, Tick and Reset on the document's runtime (one per
 * document revision, kept in the session), with the runtime's events reduced into `runs`
 * (meshRuns.ts). The runtime reads the governance slice's gate at each publish.
 */
export const createRunsSlice: SliceCreator<RunsSlice> = (set, get, session) => {
  const openDoc = (): MeshDocument | undefined => openDocumentOf(get());
  const updateRun = (key: string, change: (run: MeshRunState) => MeshRunState): void =>
    set((s) => {
      const run = s.runs[key];
      return run ? { runs: { ...s.runs, [key]: change(run) } } : {};
    });
  const runtimeFor = async (doc: MeshDocument): Promise<MeshRuntime> => {
    const key = documentKey(doc.origin);
    const existing = session.runtimes.get(key);
    if (existing && existing.revision === doc.revision) return existing.runtime;
    const ready = session.host();
    const { MeshRuntime } = await import('../../../core/run/meshRuntime.ts');
    const options: MeshRuntimeOptions = {
      host: await ready,
      readFile: (path) => doc.seeds.readFile(path),
      now: () => performance.now(),
      onEvent: (event) => updateRun(key, (run) => applyEvent(run, event)),
      // Read at each publish: the gate's newest verdict counts, also for a runtime made before it.
      policyChecks: (productId) => [...(session.gate?.policyChecks(productId) ?? [])],
    };
    // An edited mesh's runtime goes on from the last one: the versions of the ports that
    // still exist stay published, so a downstream product runs on them after the edit.
    const runtime = existing ? existing.runtime.withMesh(doc.mesh, options) : new MeshRuntime(doc.mesh, options);
    session.runtimes.set(key, { revision: doc.revision, runtime });
    return runtime;
  };
  /** One pass at a time per document: a second click while it runs does nothing. */
  const drive = async (work: (runtime: MeshRuntime) => Promise<MeshRunReport>): Promise<void> => {
    const doc = openDoc();
    if (!doc) return;
    const key = documentKey(doc.origin);
    if (get().runs[key]?.running) return;
    set((s) => ({ runs: { ...s.runs, [key]: startRun(s.runs[key], doc.mesh.products.length) } }));
    try {
      const report = await work(await runtimeFor(doc));
      updateRun(key, (run) => finishRun(run, report));
    } catch (error) {
      updateRun(key, (run) => failRun(run, error));
    }
  };
  const openRuntime = (): MeshRuntime | undefined => {
    const doc = openDoc();
    return doc ? session.runtimes.get(documentKey(doc.origin))?.runtime : undefined;
  };

  return {
    runs: {},
    runDocument: () => drive((runtime) => runtime.runAll()),
    runProduct: (productId) =>
      drive(async (runtime) => {
        const started = performance.now();
        const run = await runtime.runProduct(productId);
        return { tick: runtime.tick, simulatedAt: runtime.simulatedAt(), products: [run], durationMs: performance.now() - started };
      }),
    tickDocument: (ticks) =>
      drive(async (runtime) => {
        const reports = await runtime.advance(Math.max(1, Math.floor(ticks)));
        const last = reports.at(-1);
        if (!last) throw new Error('the clock did not advance');
        return last;
      }),
    resetRuns: () => {
      const doc = openDoc();
      if (!doc) return;
      const key = documentKey(doc.origin);
      if (get().runs[key]?.running) return;
      session.runtimes.delete(key);
      set((s) => {
        const runs = { ...s.runs };
        delete runs[key];
        return { runs };
      });
    },
    portHistory: (productId, port) => openRuntime()?.history(productId, port) ?? [],
    quantumHost: session.host,
    queryTarget: openRuntime,
  };
};

/**
 * The runs after an edit from `before` to `after`: the products the edit touched, and their
 * downstream, are "changed since last run" (meshRuns.ts markChanged) until they run again.
 */
export function runsAfterEdit(
  runs: AppState['runs'],
  before: MeshDocument | undefined,
  after: MeshDocument,
): AppState['runs'] {
  if (!before || documentKey(before.origin) !== documentKey(after.origin)) return runs;
  const key = documentKey(after.origin);
  const run = runs[key];
  if (!run) return runs;
  const paths = changedPaths(before.files, after.files);
  if (before.seeds !== after.seeds) paths.push(...changedBytes(before.seeds.snapshot(), after.seeds.snapshot()));
  const changed = new Set([...productsChangedBy(before.mesh, paths), ...productsChangedBy(after.mesh, paths)]);
  return changed.size > 0 ? { ...runs, [key]: markChanged(run, [...changed]) } : runs;
}
