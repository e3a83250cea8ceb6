import { resolveInputPort, type ContractPublisher, type LineageGraph } from '../lineage/lineageGraph.ts';
import type { DataProduct, GeneratorColumn } from '../model/types.ts';
import { portKey, type PortHistory } from './portHistory.ts';
import type { ProductRun } from './runTypes.ts';
import { parseDuration } from './simTime.ts';

/*
 * Scheduling, as pure functions: whether a product is due on a tick, which products start
 * first when several are ready, and which generator columns the orchestrator must resolve.
 * MeshRuntime asks; it keeps the state (last runs, the clock, the port history).
 */

/** Whether a product runs in this pass, and if not, why. */
export interface Plan {
  readonly run: boolean;
  readonly reason?: string;
}

/**
 * A product runs when forced (Run all), when it never ran or failed, when it reacts to its
 * upstreams (`onUpstreamPublish`, the default with inputs and no `every`) and one published
 * since it last read, or when its `schedule.every` has passed since its last run. A product
 * with no inputs and no schedule takes in its sources every tick.
 */
export function planRun(
  product: DataProduct,
  at: {
    readonly force: boolean;
    readonly last: ProductRun | undefined;
    /** Asked only when it matters: whether an upstream published a version it has not read. */
    readonly upstreamPublished: () => boolean;
    /** Simulated ms of its last run that was not skipped. */
    readonly lastRunAt: number | undefined;
    readonly nowMs: number;
  },
): Plan {
  const { last } = at;
  if (at.force || !last || last.status === 'failed' || last.status === 'idle') return { run: true };
  const schedule = product.settings?.schedule;
  const every = parseDuration(schedule?.every);
  const reacts = schedule?.onUpstreamPublish === true || (every === undefined && product.inputPorts.length > 0);
  if (reacts && at.upstreamPublished()) return { run: true };
  if (every !== undefined) {
    if (at.lastRunAt === undefined || at.nowMs - at.lastRunAt >= every * 1000) return { run: true };
    return { run: false, reason: `not due: runs every ${schedule?.every ?? ''}` };
  }
  if (!reacts) return { run: true }; // no inputs, no schedule: takes in its sources every tick
  return { run: false, reason: 'no upstream published since its last run' };
}

/** Whether an upstream port of `product` has a newer version than its last completed run read. */
export function upstreamPublishedSince(
  product: DataProduct,
  publishers: ReadonlyMap<string, ContractPublisher[]>,
  history: PortHistory,
): boolean {
  const consumed = history.consumed(product.id);
  return product.inputPorts.some((port) => {
    const publisher = resolveInputPort(publishers, port);
    if (!publisher) return false;
    const latest = history.latest(publisher.product.id, publisher.port.name)?.version;
    return latest !== undefined && latest !== consumed?.get(portKey(publisher.product.id, publisher.port.name));
  });
}

/**
 * The products with every generator column that no `reference` column draws from replaced
 * by a plain sequence, for resolving references only. A column's values come from its own
 * random stream (seed, column position, tick), so the referenced columns keep exactly their
 * values, and resolving a reference no longer generates its whole source (text, timestamps,
 * choices) on the orchestrator's thread, ahead of the product that needs it.
 */
export function referencedColumnsOnly(products: readonly DataProduct[]): DataProduct[] {
  const referenced = new Set<string>();
  for (const product of products) {
    for (const source of product.settings?.sources ?? []) {
      for (const column of source.generator?.columns ?? []) {
        // The syntax MeshSourceGenerator resolves: <source>.<column> or <product>/<source>.<column>.
        const match = column.type === 'reference' ? /^(?:([^/]+)\/)?([^.]+)\.(.+)$/.exec(column.references ?? '') : null;
        if (match) referenced.add(`${match[1] ?? product.id}/${match[2] ?? ''}.${match[3] ?? ''}`);
      }
    }
  }
  return products.map((product) => {
    const settings = product.settings;
    if (!settings) return product;
    const sources = settings.sources.map((source) => {
      const generator = source.generator;
      if (!generator) return source;
      const columns = generator.columns.map((column): GeneratorColumn =>
        referenced.has(`${product.id}/${source.name}.${column.name}`) ? column : { name: column.name, type: 'sequence' },
      );
      return { ...source, generator: { ...generator, columns } };
    });
    return { ...product, settings: { ...settings, sources } };
  });
}

/**
 * Per product: the length of the longest lineage chain it heads (1 for a leaf), and among
 * equal lengths more direct consumers first. Computed once, in reverse lineage order.
 */
export function criticalPathRank(graph: LineageGraph): Map<string, number> {
  const { order } = graph.topologicalOrder();
  const height = new Map<string, number>();
  const rank = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const downstream = graph.downstream(id);
    const h = 1 + Math.max(0, ...downstream.map((d) => height.get(d) ?? 0));
    height.set(id, h);
    rank.set(id, h * 1_000_000 + Math.min(downstream.length, 999_999));
  }
  return rank;
}
