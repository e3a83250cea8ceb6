import type { RunFacts } from '../../discovery/rank.ts';
import { runFactsOf } from '../../discovery/runFacts.ts';
import type { PortReads } from '../../edits/usageEdits.ts';
import { LineageGraph } from '../../lineage/lineageGraph.ts';
import type { Mesh } from '../../model/types.ts';
import type { MeshRunReport, ProductRun } from '../../run/runTypes.ts';
import type { RunSession } from './runSession.ts';

/** What a CLI run says of each product for the ranking (core/discovery/runFacts.ts). */
export function runFactsOfSession(mesh: Mesh, session: RunSession): RunFacts[] {
  return runFactsOf(mesh, latestRuns(session.reports), (product, port) => session.runtime.freshness(product, port));
}

/** Each product's last run that really ran (a skipped entry repeats an older one). */
function latestRuns(reports: readonly MeshRunReport[]): Map<string, ProductRun> {
  const latest = new Map<string, ProductRun>();
  for (const report of reports)
    for (const run of report.products) if (run.skipped === undefined || !latest.has(run.product)) latest.set(run.product, run);
  return latest;
}

/**
 * The reads a run made: each time a consumer product ran, one read of the output port behind
 * each of its input ports (lineage). A product that was skipped, stopped or stale read nothing new.
 */
export function readsOfRuns(mesh: Mesh, reports: readonly MeshRunReport[]): PortReads[] {
  const lineage = new LineageGraph(mesh.products);
  const upstreamOf = new Map<string, { product: string; port: string }[]>();
  for (const edge of lineage.edges)
    upstreamOf.set(edge.to, [...(upstreamOf.get(edge.to) ?? []), { product: edge.from, port: edge.outputPort }]);
  const counts = new Map<string, PortReads>();
  for (const report of reports)
    for (const run of report.products) {
      if (run.skipped !== undefined || run.stopped === true || run.status === 'stale' || run.status === 'idle') continue;
      for (const read of upstreamOf.get(run.product) ?? []) {
        const key = `${read.product}/${read.port}`;
        counts.set(key, { ...read, reads: (counts.get(key)?.reads ?? 0) + 1 });
      }
    }
  return [...counts.values()];
}
