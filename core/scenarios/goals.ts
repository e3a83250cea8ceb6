import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { queryAs } from '../governance/access/queryAs.ts';
import { scoreProduct } from '../governance/scorecard.ts';
import { draftImpact } from '../governance/whatIf.ts';
import type { Mesh, ScenarioGoal } from '../model/types.ts';
import { formatSeconds } from '../run/simTime.ts';
import type { GoalContext } from './scenarioHost.ts';

/*
 * Goals, judged: each says whether it holds and why, in one sentence a participant can act on.
 * A goal never throws — what it cannot judge (nothing has run yet, the policies are not
 * evaluated, the product is gone) does not hold, and says so.
 */

export interface GoalResult {
  readonly goal: ScenarioGoal;
  /** The goal's title, or Quanta's wording of it. */
  readonly title: string;
  readonly holds: boolean;
  readonly why: string;
}

/** What a goal judges against besides the mesh now: the scenario's own defaults and start. */
export interface GoalSetting {
  /** The scenario's persona: query goals without one run as it. */
  readonly persona?: string;
  /** The mesh when the scenario started (after setup): nonBreaking goals compare with it. */
  readonly baseline: Mesh;
}

export async function evaluateGoal(goal: ScenarioGoal, context: GoalContext, setting: GoalSetting): Promise<GoalResult> {
  const title = goal.title ?? describeGoal(goal, setting);
  try {
    const [holds, why] = await judge(goal, context, setting);
    return { goal, title, holds, why };
  } catch (error) {
    return { goal, title, holds: false, why: `could not be judged: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Quanta's words for a goal without a title. */
export function describeGoal(goal: ScenarioGoal, setting: Pick<GoalSetting, 'persona'> = {}): string {
  switch (goal.kind) {
    case 'status':
      return `${goal.product} is ${goal.is}`;
    case 'violations': {
      const of = goal.product === undefined ? '' : ` for ${goal.product}`;
      return goal.atMost !== undefined
        ? `policy ${goal.policy} has at most ${goal.atMost} violation(s)${of}`
        : `policy ${goal.policy} has ${goal.equals ?? 0} violation(s)${of}`;
    }
    case 'valid':
      return 'the mesh has no validation errors';
    case 'nonBreaking':
      return `the contract of ${goal.product}.${goal.port} breaks none of its consumers`;
    case 'query': {
      const persona = goal.persona ?? setting.persona ?? '(no persona)';
      if (goal.expect === 'denied') return `${persona} is denied the query`;
      if (goal.expect === 'masked') return `${persona} reads ${goal.column ?? 'personal columns'} masked`;
      return `${persona}'s query returns at least ${goal.minRows ?? 1} row(s)`;
    }
    case 'governanceScore':
      return `the governance score is at least ${goal.atLeast}`;
    case 'scorecard':
      return `${goal.product}'s scorecard is at least ${goal.atLeast}`;
    case 'fresh':
      return goal.port === undefined ? `${goal.product} is fresh` : `${goal.product}.${goal.port} is fresh`;
  }
}

type Verdict = readonly [holds: boolean, why: string];

async function judge(goal: ScenarioGoal, context: GoalContext, setting: GoalSetting): Promise<Verdict> {
  const { mesh, runs, governance } = context;
  const missing = (product: string): Verdict => [false, `there is no product "${product}" in the mesh`];
  switch (goal.kind) {
    case 'status': {
      if (!mesh.products.some((p) => p.id === goal.product)) return missing(goal.product);
      const run = runs.lastRun(goal.product);
      if (!run || run.status === 'idle') return [false, `${goal.product} has not run yet`];
      const because = run.staleBecause && run.staleBecause.length > 0 ? ` (upstream: ${run.staleBecause.join(', ')})` : '';
      const problem = run.problem ? `: ${firstLine(run.problem.message)}` : '';
      return [run.status === goal.is, `${goal.product} is ${run.status}${because}${problem}`];
    }
    case 'violations': {
      if (!governance) return [false, 'the policies have not been evaluated yet'];
      const result = governance.policies.find((p) => p.id === goal.policy);
      if (!result) return [false, `policy ${goal.policy} is not in force in this mesh`];
      if (result.error) return [false, `policy ${goal.policy} could not be evaluated: ${result.error.message}`];
      if (result.skipped !== undefined) return [false, `policy ${goal.policy} was not evaluated: ${result.skipped}`];
      const hits = result.violations.filter((v) => goal.product === undefined || v.product === goal.product);
      const n = hits.length;
      const holds = goal.atMost !== undefined ? n <= goal.atMost : n === (goal.equals ?? 0);
      const first = hits[0] ? `; first: ${hits[0].message}` : '';
      return [holds, `${n}${result.truncated === true ? '+' : ''} violation(s) of ${goal.policy}${first}`];
    }
    case 'valid': {
      const errors = context.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      return first ? [false, `${errors.length} error(s); first: ${formatDiagnostic(first)}`] : [true, 'no validation errors'];
    }
    case 'nonBreaking':
      return nonBreaking(goal.product, goal.port, mesh, setting.baseline);
    case 'query': {
      const persona = goal.persona ?? setting.persona;
      if (persona === undefined) return [false, 'the goal names no persona, and the scenario has none'];
      const outcome = await queryAs(runs, persona, goal.sql);
      if (goal.expect === 'denied') {
        if (!outcome.ok && outcome.error.kind === 'denied') return [true, firstLine(outcome.error.message)];
        return [
          false,
          outcome.ok
            ? `${persona} may read it (${outcome.rows} row(s))`
            : `it failed, but not as denied: ${firstLine(outcome.error.message)}`,
        ];
      }
      if (!outcome.ok) return [false, firstLine(outcome.error.message)];
      const minRows = goal.minRows ?? 1;
      if (outcome.rows < minRows) return [false, `${outcome.rows} row(s), fewer than ${minRows}`];
      if (goal.expect === 'rows') return [true, `${outcome.rows} row(s)`];
      const masked = outcome.decisions.flatMap((d) => d.maskedColumns.map((c) => c.column));
      const hit = goal.column === undefined ? masked.length > 0 : masked.includes(goal.column);
      const shown = masked.length > 0 ? masked.join(', ') : 'none';
      return [hit, `${outcome.rows} row(s); masked: ${shown}`];
    }
    case 'governanceScore': {
      if (!governance) return [false, 'the policies have not been evaluated yet'];
      const score = governance.score.score;
      return [score >= goal.atLeast, `the governance score is ${score}`];
    }
    case 'scorecard': {
      const card = scoreProduct(mesh, goal.product, { runs });
      if (!card) return missing(goal.product);
      const weakest = [...card.characteristics].sort((a, b) => a.score - b.score)[0];
      const low = weakest && weakest.score < 100 ? `; weakest: ${weakest.title} (${weakest.score})` : '';
      return [card.score >= goal.atLeast, `${goal.product}'s scorecard is ${card.score}${low}`];
    }
    case 'fresh': {
      const product = mesh.products.find((p) => p.id === goal.product);
      if (!product) return missing(goal.product);
      const ports = goal.port === undefined ? product.outputPorts.map((p) => p.name) : [goal.port];
      if (ports.length === 0) return [false, `${goal.product} has no output ports`];
      for (const port of ports) {
        const freshness = runs.freshness(goal.product, port);
        if (!freshness) return [false, `${goal.product}.${port} has not published yet`];
        if (freshness.late) {
          const sla = freshness.latencySeconds === undefined ? '' : `, its SLA is ${formatSeconds(freshness.latencySeconds)}`;
          return [false, `${goal.product}.${port} is ${formatSeconds(freshness.ageSeconds)} old${sla}`];
        }
      }
      return [true, `${ports.map((p) => `${goal.product}.${p}`).join(', ')} within the freshness SLA`];
    }
  }
}

function nonBreaking(productId: string, portName: string, mesh: Mesh, baseline: Mesh): Verdict {
  const before = baseline.products.find((p) => p.id === productId)?.outputPorts.find((p) => p.name === portName);
  if (!before?.contract) return [false, `${productId}.${portName} had no contract when the scenario started`];
  const now = mesh.products.find((p) => p.id === productId)?.outputPorts.find((p) => p.name === portName);
  if (!now?.contract) return [false, `${productId}.${portName} no longer has a contract`];
  const impact = draftImpact(baseline, mesh).contracts.find((c) => c.productId === productId && c.port === portName);
  if (!impact) return [true, `the contract of ${productId}.${portName} is unchanged`];
  const broken = impact.consumers.filter((c) => c.broken);
  const first = broken[0]?.breaking[0];
  if (first) return [false, `breaks ${broken.map((c) => c.productId).join(', ')}: ${first.message}`];
  const readers = impact.consumers.length;
  return [true, `${impact.diff.changes.length} change(s), none breaks its ${readers} consumer(s)`];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
