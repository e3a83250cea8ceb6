import type { ProductRun, ProductStatus } from '../../../core/run/runTypes.ts';
import { plural } from '../samples/meshSummary.ts';
import { firstLine, type MeshRunState } from '../store/meshRuns.ts';

/** The badge of each status: words, not only a colour. */
export const STATUS_LABEL: Readonly<Record<ProductStatus, string>> = {
  idle: 'not run',
  running: 'running…',
  published: 'published',
  refused: 'refused',
  failed: 'failed',
  stale: 'stale',
};

/** One line of a product's problem, and where it is written (file, or file:line) when known. */
export interface ProblemLine {
  readonly text: string;
  readonly where?: string;
}

/** Failed error-severity checks listed under a refusal; the rest are counted. */
const MAX_CHECKS_SHOWN = 3;

/** Why a product did not publish fresh data, in plain words; empty when it did. */
export function problemLines(run: ProductRun): ProblemLine[] {
  const problem = run.problem && { text: firstLine(run.problem.message), ...whereOf(run.problem.file, run.problem.line) };
  switch (run.status) {
    case 'failed':
      return [problem ?? { text: 'the run failed without a reason; please report this' }];
    case 'refused': {
      const failed = run.checks.filter((c) => !c.passed && c.severity === 'error');
      const lines: ProblemLine[] = failed
        .slice(0, MAX_CHECKS_SHOWN)
        .map((c) => ({ text: firstLine(c.message), ...whereOf(c.file, c.line) }));
      if (failed.length > MAX_CHECKS_SHOWN) lines.push({ text: `and ${plural(failed.length - MAX_CHECKS_SHOWN, 'more failed check')}` });
      return [problem ?? { text: 'publish refused by its contract' }, ...lines];
    }
    case 'stale': {
      if (problem) return [problem];
      const upstream = run.staleBecause ?? [];
      return upstream.length > 0 ? [{ text: `built on old data: ${upstream.join(', ')} did not publish fresh data` }] : [];
    }
    default:
      return [];
  }
}

/** The line beside "Run all": what it does, how far it got, or how the last run ended. */
export function runSummary(run: MeshRunState | undefined): string {
  if (!run) return 'Runs every data product here in the browser, each in its own DuckDB worker.';
  if (run.running) return `${run.stop === 'requested' ? 'Stopping… ' : ''}${run.done} of ${plural(run.total, 'product')} done`;
  if (!run.report) return '';
  const { stopped } = run.report;
  if (stopped) return `Stopped by you after ${stopped.done} of ${plural(stopped.total, 'product')}`;
  const counts = new Map<ProductStatus, number>();
  for (const product of run.report.products) counts.set(product.status, (counts.get(product.status) ?? 0) + 1);
  const order: ProductStatus[] = ['published', 'stale', 'refused', 'failed', 'idle'];
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s === 'idle' ? 'not run' : s}`);
  return `Last run: ${parts.join(', ')} in ${(run.report.durationMs / 1000).toFixed(1)} s`;
}

function whereOf(file: string | undefined, line: number | undefined): { where?: string } {
  if (!file) return {};
  return { where: line ? `${file}:${line}` : file };
}

/** `1 row`, `12,500 rows`. */
export function rowCount(rows: number): string {
  return `${rows.toLocaleString('en')} row${rows === 1 ? '' : 's'}`;
}
