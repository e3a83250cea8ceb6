import type { MeshRunReport, ProductRun, ProductStatus, RuntimeEvent } from '../../../core/run/runTypes.ts';
import { plural } from '../samples/meshSummary.ts';

/** One product in the overview: its status now, and its last finished run when it has one. */
export interface ProductRunState {
  readonly status: ProductStatus;
  /** Kept while the product runs again, so its last result is not lost. */
  readonly last?: ProductRun;
  /**
   * An edit since its last run touched this product or something upstream of it: what it
   * published was made from files that are no longer there. Cleared when it runs again.
   */
  readonly changedSinceRun?: true;
}

/** "Run all" of one mesh: progress while it runs, then the outcome per product. */
export interface MeshRunState {
  readonly running: boolean;
  /** Products settled in the current pass, of `total`. */
  readonly done: number;
  readonly total: number;
  /** By product id; a product that never ran is absent (idle). */
  readonly products: Readonly<Record<string, ProductRunState>>;
  /** The last pass that completed. */
  readonly report?: MeshRunReport;
  /** Why the last pass stopped before it completed (e.g. DuckDB could not be loaded), in plain words. */
  readonly error?: string;
  /** What happened, oldest first, at most LOG_LIMIT entries: the run log panel. */
  readonly log: readonly RunLogEntry[];
  /** The pass under way can be stopped (Run all, Tick ×N), and whether Stop was pressed. */
  readonly stop?: 'available' | 'requested';
}

/** One line of the run log. `product` is absent for lines about the whole mesh (a tick). */
export interface RunLogEntry {
  readonly seq: number;
  readonly tick: number;
  readonly product?: string;
  readonly status?: ProductStatus;
  readonly run?: ProductRun;
  readonly text: string;
  /** Lines under the entry: each failed warning check of a run that published (port, check, measured value). */
  readonly warnings?: readonly string[];
}

export const LOG_LIMIT = 500;

export const IDLE: ProductRunState = { status: 'idle' };

/** A mesh that has not run yet (its log may already say what was done to it). */
export const NO_RUNS: MeshRunState = { running: false, done: 0, total: 0, products: {}, log: [] };

/** A new pass over `total` products; the products keep their last results until they run. `stoppable`: Stop may end it. */
export function startRun(previous: MeshRunState | undefined, total: number, stoppable = false): MeshRunState {
  return {
    running: true,
    done: 0,
    total,
    products: previous?.products ?? {},
    log: previous?.log ?? [],
    ...(stoppable ? { stop: 'available' as const } : {}),
  };
}

/** Stop was pressed: the pass ends as soon as its running quanta are cancelled. */
export function requestStop(state: MeshRunState): MeshRunState {
  return state.running && state.stop === 'available' ? { ...state, stop: 'requested' } : state;
}

/** Progress from the runtime: a product started, or settled. */
export function applyEvent(state: MeshRunState, event: RuntimeEvent): MeshRunState {
  switch (event.type) {
    case 'started': {
      // Still marked while it runs: the mark goes when a run that read the edited files settles.
      const { last, changedSinceRun } = state.products[event.product] ?? IDLE;
      return withProduct(state, event.product, {
        status: 'running',
        ...(last ? { last } : {}),
        ...(changedSinceRun ? { changedSinceRun } : {}),
      });
    }
    case 'finished': {
      const { run } = event;
      const warnings = run.skipped === undefined && !run.stopped ? failedWarnings(run) : [];
      return {
        ...withProduct(state, run.product, settled(state.products[run.product], run)),
        done: event.done,
        total: event.total,
        // A product that was not due is reported too; only a change is worth a line.
        log:
          run.skipped !== undefined && run.status !== 'stale'
            ? state.log
            : appendLog(state.log, {
                tick: run.tick,
                product: run.product,
                // A stopped product keeps its last result: the line is not about a new status.
                ...(run.stopped ? {} : { status: run.status, run }),
                text: run.stopped ? `${run.product} was stopped by you; it keeps its last result` : finishedText(run),
                ...(warnings.length > 0 ? { warnings } : {}),
              }),
      };
    }
    case 'tick':
      return {
        ...state,
        log: appendLog(state.log, { tick: event.tick, text: `Clock advanced to tick ${event.tick} (${event.simulatedAt})` }),
      };
  }
}

/** The pass completed: the report is the truth (it also holds products that settled without an event). */
export function finishRun(state: MeshRunState, report: MeshRunReport): MeshRunState {
  // Merged: a tick's pass reports only the products that were due; the others keep their state.
  const products = {
    ...state.products,
    ...Object.fromEntries(report.products.map((run) => [run.product, settled(state.products[run.product], run)])),
  };
  const log = report.stopped
    ? appendLog(state.log, {
        tick: report.tick,
        text: `Stopped by you after ${report.stopped.done} of ${plural(report.stopped.total, 'product')}`,
      })
    : state.log;
  return { running: false, done: report.products.length, total: report.products.length, products, report, log };
}

/** The failed warning-severity checks of a run, each as `port: check — measured value` (the check's message says both). */
export function failedWarnings(run: ProductRun): string[] {
  return run.checks
    .filter((c) => !c.passed && c.severity === 'warning')
    .map((c) => `${c.port ? `${c.port}: ` : ''}${firstLine(c.message)}`);
}

/** The pass stopped early (the runtime threw): products caught running show their last result again. */
export function failRun(state: MeshRunState, error: unknown): MeshRunState {
  const products = Object.fromEntries(
    Object.entries(state.products).map(([id, product]) => [
      id,
      product.status === 'running' ? { ...product, status: product.last?.status ?? 'idle' } : product,
    ]),
  );
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const reason = `The run stopped: ${message}`;
  const { done, total, report } = state;
  const log = appendLog(state.log, { tick: -1, text: reason });
  return { running: false, done, total, products, ...(report ? { report } : {}), error: reason, log };
}

/**
 * An edit changed these products (the edited ones and their downstream, see
 * core/run/changedSinceRun.ts): those that have run are marked "changed since last run".
 * Their versions stay: the runtime of the edited mesh carries them (MeshRuntime.withMesh).
 */
export function markChanged(state: MeshRunState, productIds: readonly string[]): MeshRunState {
  const marked = productIds.filter((id) => state.products[id]?.last !== undefined && !state.products[id]?.changedSinceRun);
  if (marked.length === 0) return state;
  const products = { ...state.products };
  for (const id of marked) products[id] = { ...(products[id] ?? IDLE), changedSinceRun: true };
  return { ...state, products };
}

/** A line in the run log about something done to the mesh (a fault injected or removed); `product` absent: the whole mesh. */
export function noteInLog(state: MeshRunState, tick: number, product: string | undefined, text: string): MeshRunState {
  return { ...state, log: appendLog(state.log, { tick, ...(product === undefined ? {} : { product }), text }) };
}

/** Only the first line: the rest of a message can be a stack trace or a caret diagram. */
export function firstLine(message: string): string {
  return message.split('\n').find((line) => line.trim().length > 0) ?? message;
}

/** A settled run: one that did not run (skipped) keeps the mark of an edit since the last one that did. */
function settled(previous: ProductRunState | undefined, run: ProductRun): ProductRunState {
  // Stopped before or while it ran: as it was before the pass.
  if (run.stopped) return previous ? { ...previous, status: previous.last?.status ?? 'idle' } : IDLE;
  const keep = run.skipped !== undefined && previous?.changedSinceRun === true;
  return { status: run.status, last: run, ...(keep ? { changedSinceRun: true } : {}) };
}

function withProduct(state: MeshRunState, id: string, product: ProductRunState): MeshRunState {
  return { ...state, products: { ...state.products, [id]: product } };
}

function appendLog(log: readonly RunLogEntry[], entry: Omit<RunLogEntry, 'seq'>): readonly RunLogEntry[] {
  const seq = (log.at(-1)?.seq ?? 0) + 1;
  const next = [...log, { ...entry, seq }];
  return next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
}

function finishedText(run: ProductRun): string {
  switch (run.status) {
    case 'published':
      return `${run.product} published version ${run.version} (${run.rows.toLocaleString('en')} row${run.rows === 1 ? '' : 's'}) in ${Math.round(run.durationMs)} ms`;
    case 'refused':
      return `${run.product} refused to publish: its contract checks failed`;
    case 'failed':
      return `${run.product} failed: ${firstLine(run.problem?.message ?? 'no reason given')}`;
    case 'stale':
      if (run.version === 0)
        return `${run.product} cannot run yet: ${firstLine(run.problem?.message ?? 'an upstream product has not published').replace(/^cannot run: /, '')}`;
      return `${run.product} is stale: ${run.staleBecause?.length ? `${run.staleBecause.join(', ')} did not publish fresh data` : 'built on old data'}`;
    default:
      return `${run.product}: ${run.status}`;
  }
}
