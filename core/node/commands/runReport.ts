import { LineageGraph } from '../../lineage/lineageGraph.ts';
import type { Mesh } from '../../model/types.ts';
import type { ProductRun } from '../../run/runTypes.ts';
import { alignColumns } from '../cliText.ts';
import type { RunSession } from './runSession.ts';

/* A run session as `quanta run` prints it: a table for people, or one JSON object for scripts. */

export function formatRunTable(session: RunSession, meshName: string): string {
  const last = session.reports.at(-1);
  if (!last) return '';
  const { runtime } = session;
  const domainOf = new Map(runtime.mesh.products.map((p) => [p.id, p.domain]));
  const header = ['product', 'domain', 'status', 'version', 'rows', 'checks', 'duration', 'last run'];
  const order = runOrder(runtime.mesh);
  const products = [...last.products].sort((a, b) => (order.get(a.product) ?? 0) - (order.get(b.product) ?? 0));
  const rows = products.map((p) => [
    p.product,
    domainOf.get(p.product) ?? '',
    p.status,
    String(p.version),
    p.rows.toLocaleString('en-US'),
    checksSummary(p),
    `${(p.durationMs / 1000).toFixed(2)} s`,
    p.status === 'idle' ? 'never' : `tick ${p.tick}`,
  ]);
  const lines = [
    `${meshName} — tick ${last.tick} (${last.simulatedAt}), ${runtime.mesh.products.length} products, ${session.reports.length} pass${session.reports.length === 1 ? '' : 'es'}`,
    '',
    ...alignColumns([header, ...rows], new Set([3, 4, 6])),
    '',
  ];
  for (const p of products) lines.push(...explain(p));
  const counts = new Map<string, number>();
  for (const p of last.products) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const ok = session.troubled.size === 0;
  lines.push(`${ok ? '✓' : '✗'} ${summary}${ok ? '' : `; refused or failed during the run: ${[...session.troubled].join(', ')}`}`);
  return `${lines.join('\n')}\n`;
}

/** Products in lineage order (upstream first), then by id. */
function runOrder(mesh: Mesh): Map<string, number> {
  const { order } = new LineageGraph(mesh.products).topologicalOrder();
  return new Map(order.map((id, i) => [id, i]));
}

function checksSummary(p: ProductRun): string {
  if (p.checks.length === 0) return '—';
  const passed = p.checks.filter((c) => c.passed).length;
  return `${passed}/${p.checks.length} passed`;
}

function explain(p: ProductRun): string[] {
  const out: string[] = [];
  const where = (file?: string, line?: number): string => (file ? `${file}${line ? `:${line}` : ''}: ` : '');
  if (p.problem && (p.status === 'failed' || p.status === 'refused' || p.status === 'stale')) {
    out.push(`${p.product} ${p.status}: ${where(p.problem.file, p.problem.line)}${p.problem.message}`);
  }
  const failedChecks = p.checks.filter((check) => !check.passed);
  if (out.length === 0 && failedChecks.length > 0) out.push(`${p.product}:`);
  for (const c of failedChecks) {
    out.push(`  ${c.file}:${c.line}:${c.column} ${c.severity}: ${c.message}`);
  }
  // Only a product that has published runs on a last good version; one that never did just waits.
  if (p.staleBecause?.length && p.version > 0)
    out.push(`  ${p.product} is stale: it serves version ${p.version}, built on the last good version of ${p.staleBecause.join(', ')}`);
  if (out.length > 0) out.push('');
  return out;
}

export function runJson(session: RunSession, meshName: string): object {
  const last = session.reports.at(-1);
  const domainOf = new Map(session.runtime.mesh.products.map((p) => [p.id, p.domain]));
  return {
    mesh: meshName,
    tick: last?.tick ?? 0,
    simulatedAt: last?.simulatedAt,
    ok: session.troubled.size === 0,
    troubled: [...session.troubled],
    products: (last?.products ?? []).map((p) => ({
      id: p.product,
      domain: domainOf.get(p.product),
      status: p.status,
      version: p.version,
      rows: p.rows,
      durationMs: Math.round(p.durationMs),
      checks: p.checks.map((c) => ({
        id: c.id,
        port: c.port,
        severity: c.severity,
        passed: c.passed,
        message: c.message,
        file: c.file,
        line: c.line,
        column: c.column,
      })),
      ports: (session.runtime.mesh.products.find((x) => x.id === p.product)?.outputPorts ?? []).map((port) => {
        const v = session.runtime.latestVersion(p.product, port.name);
        return v
          ? {
              port: port.name,
              version: v.version,
              rows: v.rows,
              bytes: v.bytes,
              hash: v.hash,
              simulatedAt: v.simulatedAt,
              freshness: v.freshness,
              durationMs: Math.round(v.durationMs),
              columns: v.profile.map((c) => ({
                name: c.name,
                nullShare: Number(c.nullShare.toFixed(4)),
                distinct: c.distinct,
                // false: `distinct` is an estimate (a port above a million rows)
                distinctExact: c.distinctExact !== false,
              })),
            }
          : { port: port.name, version: 0 };
      }),
      ...(p.problem ? { problem: p.problem } : {}),
      ...(p.staleBecause ? { staleBecause: p.staleBecause } : {}),
      ...(p.skipped ? { skipped: p.skipped } : {}),
    })),
  };
}
