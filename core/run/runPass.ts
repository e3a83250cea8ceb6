import type { DataProduct } from '../model/types.ts';
import type { Announced } from './runInputs.ts';
import type { Plan } from './schedule.ts';
import type { ProductRun, RuntimeEvent } from './runTypes.ts';

/*
 * One pass over a mesh (Run all, or a tick): which product starts when. Products start in
 * lineage order, at most `poolSize` at once, and a product whose upstream products have
 * exported their data but are still measuring it starts early on that data. What a run is
 * (inputs, quantum, verdict) and what the runtime records are the steps it is handed.
 */

/** What a pass asks of the runtime. */
export interface PassSteps {
  /** Product ids in lineage order, and the lineage cycles (whose products cannot run). */
  readonly lineage: { readonly order: readonly string[]; readonly cycles: readonly (readonly string[])[] };
  /** How many products may run at once (the host's pool size). */
  readonly poolSize: number;
  /** Start order among products ready at once, highest first (schedule.ts criticalPathRank). */
  readonly rank: ReadonlyMap<string, number>;
  /** The pass's tick and how many products the mesh has, for the events. */
  readonly tick: number;
  readonly total: number;
  readonly upstream: (id: string) => readonly string[];
  readonly product: (id: string) => DataProduct | undefined;
  /** Whether a product may start before its upstream products have settled. */
  readonly mayStartEarly: (id: string) => boolean;
  readonly plan: (product: DataProduct) => Plan;
  /** A product that does not run in this pass, as the runtime records it (`reason` from its plan). */
  readonly skip: (id: string, reason: string) => ProductRun;
  /** Runs a product on the published versions of its inputs; `announce` hands its export on. */
  readonly run: (product: DataProduct, announce: (ports: Announced) => void) => Promise<ProductRun>;
  /**
   * Runs a product on the data its unsettled upstream products exported (`early`), judged
   * only once `upstreamSettled` has settled (MeshRuntime's #runEarly).
   */
  readonly runEarly: (
    product: DataProduct,
    early: ReadonlyMap<string, Announced>,
    upstreamSettled: Promise<unknown>,
    announce: (ports: Announced) => void,
  ) => Promise<ProductRun>;
  /** Records a product's run as its newest. */
  readonly settle: (run: ProductRun) => ProductRun;
  /** Records a product that cannot run at all, for `message`. */
  readonly fail: (id: string, message: string) => ProductRun;
  readonly onEvent: (event: RuntimeEvent) => void;
  /** Aborted: the running products are cancelled (`cancel`) and the pending ones do not start (`stopped`). */
  readonly signal?: AbortSignal | undefined;
  /** Stops the quantum running `id` because the pass was stopped. */
  readonly cancel?: (id: string) => void;
  /** A product the stopped pass did not start, as the runtime reports it (its last run, unchanged). */
  readonly stopped?: (id: string) => ProductRun;
}

/** Runs one pass; every product of the lineage order and its cycles settles, by id. */
export async function runPass(steps: PassSteps): Promise<ReadonlyMap<string, ProductRun>> {
  const { order, cycles } = steps.lineage;
  const settled = new Map<string, ProductRun>();
  for (const cycle of cycles) {
    for (const id of cycle) settled.set(id, steps.fail(id, `in a lineage cycle (${cycle.join(' → ')}); it cannot run`));
  }
  // Among products ready at the same time, the one with the longest chain of products
  // waiting behind it starts first (lineage order is kept otherwise): a pool slot spent
  // on a leaf while the head of a long chain waits lengthens the whole pass.
  const rank = (id: string): number => steps.rank.get(id) ?? 0;
  const pending = order.filter((id) => !settled.has(id)).sort((a, b) => rank(b) - rank(a));
  const running = new Map<string, Promise<void>>();
  // Output ports exported in this pass, not yet judged. A product that would run whatever its
  // upstream products publish starts on this data at once (runEarly): its upstream's
  // checks, profile and hashing then overlap its run instead of preceding it.
  const exported = new Map<string, Announced>();
  let wake = (): void => undefined;
  // A stop wakes the loop at once: it cancels what runs and settles what has not started.
  const signal = steps.signal;
  const onAbort = (): void => wake();
  signal?.addEventListener('abort', onAbort);
  let cancelled = false;
  const announce =
    (id: string) =>
    (ports: Announced): void => {
      exported.set(id, ports);
      wake();
    };
  while (pending.length > 0 || running.size > 0) {
    if (signal?.aborted) {
      if (!cancelled) for (const id of running.keys()) steps.cancel?.(id);
      cancelled = true;
      for (const id of pending.splice(0)) {
        const run = steps.stopped?.(id) ?? steps.fail(id, 'the run was stopped before it started');
        settled.set(id, run);
      }
    }
    for (const id of [...pending]) {
      if (running.size >= steps.poolSize) break;
      const waiting = steps.upstream(id).filter((up) => !settled.has(up));
      const early = waiting.length > 0;
      if (early && !waiting.every((up) => exported.has(up) && running.has(up))) continue;
      if (early && !steps.mayStartEarly(id)) continue;
      const product = steps.product(id);
      if (!product) {
        if (!early) pending.splice(pending.indexOf(id), 1);
        continue;
      }
      // Decided before the upstream products publish, a plan to run stays one whatever they publish.
      const plan = steps.plan(product);
      if (early && !plan.run) continue;
      pending.splice(pending.indexOf(id), 1);
      if (!plan.run) {
        const skipped = steps.skip(id, plan.reason ?? '');
        settled.set(id, skipped);
        steps.onEvent({ type: 'finished', run: skipped, done: settled.size, total: steps.total });
        continue;
      }
      steps.onEvent({ type: 'started', product: id, tick: steps.tick });
      const run = early
        ? steps.runEarly(
            product,
            new Map(waiting.map((up) => [up, exported.get(up) as Announced])),
            Promise.all(waiting.map((up) => running.get(up))),
            announce(id),
          )
        : steps.run(product, announce(id));
      const task = run.then((run) => {
        settled.set(id, steps.settle(run));
        running.delete(id);
        steps.onEvent({ type: 'finished', run, done: settled.size, total: steps.total });
      });
      running.set(id, task);
    }
    if (running.size > 0) {
      await Promise.race([
        ...running.values(),
        new Promise<void>((resolve) => {
          wake = resolve;
          if (signal?.aborted && !cancelled) resolve();
        }),
      ]);
    } else if (pending.length > 0) {
      // Only reachable when an upstream is not in the mesh order (never, short of a bug): fail loudly.
      for (const id of pending.splice(0)) settled.set(id, steps.fail(id, 'its upstream products could not be ordered'));
    }
  }
  signal?.removeEventListener('abort', onAbort);
  return settled;
}
