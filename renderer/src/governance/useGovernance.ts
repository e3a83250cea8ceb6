import { useEffect, useRef, useState } from 'react';
import type { RunHistory } from '../../../core/governance/catalog/catalog.ts';
import { evaluatePolicies, type CatalogEngine, type GovernanceReport, type PortData } from '../../../core/governance/policy/evaluate.ts';
import { resolvePolicies } from '../../../core/governance/policy/policies.ts';
import type { Mesh } from '../../../core/model/types.ts';
import type { PortVersion, QuantumHost } from '../../../core/run/runTypes.ts';
import type { QuantumCatalogEngine } from '../../../workers/catalog/catalogEngine.ts';
import type { MeshRunState } from '../store/meshRuns.ts';

/** What the hook reads of the runs of the open mesh: run versions and check results go into the catalog, port data feeds data policies. */
export interface GovernanceRuns {
  /** Changes when a pass finishes (the run's report): policies are evaluated again. */
  readonly stamp: unknown;
  readonly history: RunHistory;
  readonly outputs: readonly PortData[];
}

export interface GovernanceState {
  /** The latest report; kept while the next one is being evaluated. */
  readonly report?: GovernanceReport;
  readonly evaluating: boolean;
  /** Why the last evaluation could not run at all (DuckDB could not start), in plain words. */
  readonly error?: string;
}

/** Pause after the last model change before policies are evaluated again. */
export const GOVERNANCE_DELAY_MS = 500;

/**
 * The runs of the open mesh as the hook wants them, from the store: `run` is
 * `runs[documentKey(doc.origin)]` and `portHistory` the store's `portHistory`.
 */
export function governanceRuns(
  mesh: Mesh,
  run: MeshRunState | undefined,
  portHistory: (product: string, port: string) => readonly PortVersion[],
): GovernanceRuns | undefined {
  if (!run?.report) return undefined;
  const outputs: PortData[] = [];
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const ipc = portHistory(product.id, port.name).at(-1)?.ipc;
      if (ipc) outputs.push({ product: product.id, port: port.name, ipc });
    }
  }
  return {
    stamp: run.report,
    history: {
      lastRun: (product) => run.products[product]?.last,
      observability: (product, port) => portHistory(product, port).map(({ ipc: _ipc, ...rest }) => rest),
    },
    outputs,
  };
}

/** A mesh without policies needs no quantum: its report is made without loading the catalog. */
const NO_ENGINE: CatalogEngine = {
  load: async () => undefined,
  query: async () => ({ ok: false, message: 'no catalog' }),
};

/**
 * Evaluates the mesh's policies on a catalog quantum leased from `host` (the app's pool),
 * `delayMs` after the model last changed and after each run finishes. One evaluation at a
 * time; changes made meanwhile are evaluated right after, and only the newest report is kept.
 * The quantum goes back to the pool after each evaluation, so runs are not starved of workers.
 * Without a mesh nothing is evaluated (a what-if baseline when no draft is open).
 */
export function useGovernance(
  mesh: Mesh | undefined,
  host: (() => Promise<QuantumHost>) | undefined,
  runs?: GovernanceRuns,
  delayMs = GOVERNANCE_DELAY_MS,
): GovernanceState {
  const [state, setState] = useState<GovernanceState>({ evaluating: true });
  const latest = useRef({ mesh, host, runs });
  latest.current = { mesh, host, runs };
  const worker = useRef<{ busy: boolean; again: boolean; alive: boolean }>({ busy: false, again: false, alive: true });

  useEffect(() => {
    const w = worker.current;
    w.alive = true;
    return () => {
      w.alive = false;
    };
  }, []);

  useEffect(() => {
    const w = worker.current;
    if (mesh === undefined) {
      setState({ evaluating: false });
      return;
    }
    setState((s) => (s.evaluating ? s : { ...s, evaluating: true }));
    const evaluate = async (): Promise<void> => {
      if (w.busy) {
        w.again = true;
        return;
      }
      w.busy = true;
      try {
        do {
          w.again = false;
          const { mesh: current, host: getHost, runs: currentRuns } = latest.current;
          if (current === undefined) break;
          const next = await evaluateOnce(current, getHost, currentRuns);
          if (!w.alive) return;
          if (w.again) continue;
          // A failed evaluation keeps the last report on screen, with the reason beside it.
          setState((s) =>
            next.report
              ? { report: next.report, evaluating: false }
              : {
                  ...(s.report ? { report: s.report } : {}),
                  ...(next.error === undefined ? {} : { error: next.error }),
                  evaluating: false,
                },
          );
        } while (w.again && w.alive);
      } finally {
        w.busy = false;
      }
    };
    const timer = setTimeout(() => void evaluate(), delayMs);
    return () => clearTimeout(timer);
  }, [mesh, host, runs?.stamp, delayMs]);

  return state;
}

async function evaluateOnce(
  mesh: Mesh,
  getHost: (() => Promise<QuantumHost>) | undefined,
  runs: GovernanceRuns | undefined,
): Promise<Omit<GovernanceState, 'evaluating'>> {
  const options = runs ? { run: runs.history, outputs: runs.outputs } : {};
  if (resolvePolicies(mesh).policies.length === 0) return { report: await evaluatePolicies(mesh, NO_ENGINE, options) };
  if (!getHost) return { error: 'Policies are evaluated in a quantum, and this window has none.' };
  let engine: QuantumCatalogEngine | undefined;
  try {
    // Loaded with the first evaluation, like the runtime: the start screen does not need Arrow.
    const [{ QuantumCatalogEngine }, host] = await Promise.all([import('../../../workers/catalog/catalogEngine.ts'), getHost()]);
    engine = new QuantumCatalogEngine(host, { timeoutMs: 30_000 });
    return { report: await evaluatePolicies(mesh, engine, options) };
  } catch (error) {
    return { error: `Policies could not be evaluated (${error instanceof Error ? error.message : String(error)}).` };
  } finally {
    engine?.release();
  }
}
