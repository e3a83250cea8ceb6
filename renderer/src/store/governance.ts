import type { StoreApi } from 'zustand/vanilla';
import type { GovernanceReport, PortData } from '../../../core/governance/policy/evaluate.ts';
import { PolicyGate, type CatalogEngineLease, type RunData } from '../../../core/governance/policy/policyGate.ts';
import type { Mesh } from '../../../core/model/types.ts';
import type { PortVersion, QuantumHost } from '../../../core/run/runTypes.ts';
import type { MeshRunState } from './meshRuns.ts';

/*
 * The governance slice: the open mesh's policies, evaluated by core's one policy gate
 * (core/governance/policy/policyGate.ts, which the CLI uses too) whenever the document or its
 * runs change — debounced, one evaluation at a time, the newest change winning — and the
 * gate's verdict fed to the runtime (blocking violations refuse publishes). A what-if draft is
 * evaluated by a second gate, for the before/after view. Components only read the state.
 */
export interface GovernanceState {
  /** The latest report; kept while the next one is being evaluated and when one fails. */
  readonly report?: GovernanceReport;
  readonly evaluating: boolean;
  /** Why the last evaluation could not run at all (DuckDB could not start), in plain words. */
  readonly error?: string;
}

export interface GovernanceSlice {
  /** The document's mesh: the one that runs, so its verdict is the runtime's. */
  readonly governance: GovernanceState;
  /** The what-if draft's mesh while one is open. */
  readonly draftGovernance: GovernanceState | undefined;
}

/** Pause after the last model change before policies are evaluated again. */
export const GOVERNANCE_DELAY_MS = 500;

/** What the slice reads of the app state (AppState has all of it). */
export interface GovernedState extends GovernanceSlice {
  readonly document: { readonly status: string; readonly doc?: { readonly mesh: Mesh } };
  readonly draft: { readonly mesh: Mesh } | undefined;
  readonly runs: Readonly<Record<string, MeshRunState>>;
  readonly portHistory: (productId: string, port: string) => readonly PortVersion[];
}

/** The runs of a mesh as the gate takes them: run results and versions for the catalog, port data for data policies. */
export function runDataFor(
  mesh: Mesh,
  run: MeshRunState | undefined,
  portHistory: (product: string, port: string) => readonly PortVersion[],
): RunData | undefined {
  if (!run?.report) return undefined;
  const outputs: PortData[] = [];
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const ipc = portHistory(product.id, port.name).at(-1)?.ipc;
      if (ipc) outputs.push({ product: product.id, port: port.name, ipc });
    }
  }
  return {
    history: {
      lastRun: (product) => run.products[product]?.last,
      observability: (product, port) => portHistory(product, port).map(({ ipc: _ipc, ...rest }) => rest),
    },
    outputs,
  };
}

/**
 * Keeps `governance` and `draftGovernance` of the store current and returns the document's
 * gate, whose `policyChecks` the runtime reads at each publish. `runKey` names the document's
 * entry in `runs`. The catalog quantum is leased from `host` per evaluation and given back.
 */
export function followGovernance<S extends GovernedState>(
  store: StoreApi<S>,
  runKey: (state: S) => string | undefined,
  host: () => Promise<QuantumHost>,
  delayMs = GOVERNANCE_DELAY_MS,
): PolicyGate {
  const openEngine = async (): Promise<CatalogEngineLease> => {
    // Loaded with the first evaluation, like the runtime: the start screen does not need Arrow.
    const [{ QuantumCatalogEngine }, quantumHost] = await Promise.all([import('../../../workers/catalog/catalogEngine.ts'), host()]);
    return new QuantumCatalogEngine(quantumHost, { timeoutMs: 30_000 });
  };
  const documentGate = new PolicyGate(openEngine);
  const draftGate = new PolicyGate(openEngine);
  const write = (slot: keyof GovernanceSlice, state: GovernanceState | undefined): void => store.setState({ [slot]: state } as Partial<S>);
  const documentFollower = follower(documentGate, delayMs, (s) => write('governance', s));
  const draftFollower = follower(draftGate, delayMs, (s) => write('draftGovernance', s));

  const inputs = (state: S): { mesh?: Mesh; draft?: Mesh; run?: MeshRunState } => {
    const key = runKey(state);
    return {
      ...(state.document.status === 'open' && state.document.doc ? { mesh: state.document.doc.mesh } : {}),
      ...(state.draft ? { draft: state.draft.mesh } : {}),
      ...(key !== undefined && state.runs[key] ? { run: state.runs[key] } : {}),
    };
  };
  let last = inputs(store.getState());
  const follow = (state: S): void => {
    const now = inputs(state);
    const previous = last;
    // Set first: the followers write to the store, which calls this again at once.
    last = now;
    const runChanged = now.run?.report !== previous.run?.report;
    if (now.mesh !== previous.mesh || runChanged) {
      if (now.mesh === undefined) documentGate.clear();
      documentFollower.schedule(
        now.mesh && (() => ({ mesh: now.mesh as Mesh, run: runDataFor(now.mesh as Mesh, now.run, state.portHistory) })),
      );
    }
    if (now.draft !== previous.draft || (now.draft && runChanged)) {
      draftFollower.schedule(
        now.draft && (() => ({ mesh: now.draft as Mesh, run: runDataFor(now.draft as Mesh, now.run, state.portHistory) })),
      );
    }
  };
  store.subscribe(follow);
  follow(store.getState());
  return documentGate;
}

interface Follower {
  /** Evaluates what `next` says `delayMs` from now (after the evaluation under way); undefined: nothing to evaluate. */
  schedule(next: (() => { mesh: Mesh; run: RunData | undefined }) | undefined): void;
}

function follower(gate: PolicyGate, delayMs: number, publish: (state: GovernanceState | undefined) => void): Follower {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: (() => { mesh: Mesh; run: RunData | undefined }) | undefined;
  let busy = false;
  let again = false;
  let shown: GovernanceState | undefined;
  const show = (state: GovernanceState | undefined): void => {
    shown = state;
    publish(state);
  };
  const evaluate = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const input = latest?.();
        if (!input) break;
        let next: GovernanceState;
        try {
          const report = await gate.evaluate(input.mesh, input.run ? { run: input.run } : {});
          next = { report, evaluating: false };
        } catch (error) {
          // A failed evaluation keeps the last report on screen, with the reason beside it.
          const reason = `Policies could not be evaluated (${error instanceof Error ? error.message : String(error)}).`;
          next = { ...(shown?.report ? { report: shown.report } : {}), error: reason, evaluating: false };
        }
        if (!again) show(next);
      } while (again);
    } finally {
      busy = false;
    }
  };
  return {
    schedule(next) {
      clearTimeout(timer);
      latest = next;
      if (!next) {
        if (shown !== undefined) show(undefined);
        return;
      }
      if (!shown?.evaluating) show({ ...(shown?.report ? { report: shown.report } : {}), evaluating: true });
      timer = setTimeout(() => void evaluate(), delayMs);
    },
  };
}
