import { formatDiagnostic } from '../../diagnostics/diagnostic.ts';
import type { Scenario } from '../../model/types.ts';
import { checkScenario, type ScenarioCheck } from '../../scenarios/checkScenario.ts';
import type { GoalResult } from '../../scenarios/goals.ts';
import { RuntimeScenarioHost } from '../../scenarios/runtimeHost.ts';
import { ScenarioError } from '../../scenarios/scenarioActions.ts';
import { plural } from '../cliText.ts';
import {
  type CliIo,
  type Command,
  defaultPool,
  type Engine,
  ENGINE_OPTION,
  engineOf,
  hostFor,
  parseOptions,
  UsageError,
  wholeNumber,
} from './command.ts';
import { openMesh, openRunnableMesh, type OpenedMesh } from './openMesh.ts';
import { policyGate } from './runSession.ts';

/** `quanta scenario list | check`: the mesh's workshop scenarios, and a scenario played through without people. */
export const scenario: Command = {
  name: 'scenario',
  usage: `  quanta scenario list <mesh-dir> [--json]
      List the mesh's workshop scenarios (docs/scenarios.md).
  quanta scenario check <mesh-dir> <id> [--solution] [--engine wasm|native] [--json]
      Play a scenario: setup, each step's events (with --solution, its reference solution),
      a run of the whole mesh, then every goal ✓ or ✗ with why. Exit code 0 when every
      goal holds, 1 when one does not.
`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, io);
    if (sub === 'check') return check(rest, io);
    throw new UsageError(sub === undefined ? 'say what to do: list or check' : `unknown subcommand "${sub}"; use list or check`);
  },
};

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
  const opened = await openMesh(io, positionals[0]);
  const { scenarios } = opened.loaded.mesh;
  if (values['json'] === true) {
    io.out(`${JSON.stringify({ mesh: opened.name, scenarios: scenarios.map((s) => summaryJson(s, opened)) }, null, 2)}\n`);
  } else {
    io.out(`${opened.name}: ${plural(scenarios.length, 'scenario')}\n`);
    for (const s of scenarios) {
      const facts = [s.principle, s.level, s.minutes === undefined ? undefined : `${s.minutes} min`].filter((f) => f !== undefined);
      const goals = s.steps.reduce((n, step) => n + step.goals.length, 0);
      io.out(`  ${s.id}  ${[...facts, `${plural(s.steps.length, 'step')}, ${plural(goals, 'goal')}`].join(' · ')}\n    ${s.title}\n`);
    }
  }
  for (const d of opened.errors) io.err(`${formatDiagnostic({ ...d, file: opened.shown(d.file) })}\n`);
  return opened.errors.length === 0 ? 0 : 1;
}

function summaryJson(s: Scenario, opened: OpenedMesh): Record<string, unknown> {
  return {
    id: s.id,
    title: s.title,
    file: opened.shown(s.file),
    principle: s.principle ?? null,
    level: s.level ?? null,
    minutes: s.minutes ?? null,
    persona: s.persona ?? null,
    steps: s.steps.map((step) => ({
      title: step.title,
      goals: step.goals.length,
      hints: step.hints.length,
      solution: step.solution.length,
    })),
  };
}

async function check(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    solution: { type: 'boolean' },
    pool: { type: 'string' },
    ...ENGINE_OPTION,
  });
  const [dirArg, id, ...extra] = positionals;
  if (id === undefined) throw new UsageError('give the scenario id, e.g. quanta scenario check sample-meshes/daff schema-drift');
  if (extra.length > 0) throw new UsageError(`expected a mesh folder and a scenario id, got ${positionals.length} arguments`);
  const pool = wholeNumber(values['pool'], '--pool', defaultPool(), 1);
  const engine = engineOf(values['engine']);
  const opened = await openRunnableMesh(io, dirArg);
  if (!opened) return 1;
  const found = opened.loaded.mesh.scenarios.find((s) => s.id === id);
  if (!found) {
    const ids = opened.loaded.mesh.scenarios.map((s) => s.id).join(', ') || 'none';
    throw new UsageError(`${opened.name} has no scenario "${id}" (its scenarios: ${ids})`);
  }
  const json = values['json'] === true;
  const result = await playScenario(opened, found, values['solution'] === true, io, pool, engine);
  if ('error' in result) {
    io.err(`quanta scenario: ${result.error}\n`);
    return 1;
  }
  io.out(json ? `${JSON.stringify(checkJson(result, opened.name), null, 2)}\n` : formatCheck(result));
  return result.holds ? 0 : 1;
}

/** The CLI's own path through a scenario, shared with the tests: the real quantum host, the policy gate, the mesh's files. */
export async function playScenario(
  opened: Pick<OpenedMesh, 'loaded' | 'fs'>,
  found: Scenario,
  solution: boolean,
  io: Pick<CliIo, 'createHost' | 'createNativeHost' | 'createCatalogEngine'>,
  pool = 2,
  engine: Engine = 'wasm',
): Promise<ScenarioCheck | { error: string }> {
  const session = await openScenarioHost(opened, io, pool, engine);
  try {
    return await checkScenario(session.host, found, { solution, now: () => Date.now() });
  } catch (error) {
    if (error instanceof ScenarioError) return { error: error.message };
    throw error;
  } finally {
    await session.dispose();
  }
}

/** The scenario host `quanta scenario check` plays on: the mesh's files in memory, its seeds read from its folder. */
export async function openScenarioHost(
  opened: Pick<OpenedMesh, 'loaded' | 'fs'>,
  io: Pick<CliIo, 'createHost' | 'createNativeHost' | 'createCatalogEngine'>,
  pool: number,
  engine: Engine = 'wasm',
): Promise<{ readonly host: RuntimeScenarioHost; dispose(): Promise<void> }> {
  const quanta = hostFor(io, pool, engine);
  try {
    const host = await RuntimeScenarioHost.create(
      opened.loaded.mesh.files,
      { host: quanta, readFile: (path) => opened.fs.readFile(path), now: () => performance.now() },
      policyGate(io, quanta),
    );
    return { host, dispose: () => quanta.dispose() };
  } catch (error) {
    await quanta.dispose();
    throw error;
  }
}

function formatCheck(result: ScenarioCheck): string {
  const { scenario: s } = result;
  const facts = [s.principle, s.level, s.minutes === undefined ? undefined : `${s.minutes} min`].filter((f) => f !== undefined);
  const lines = [`Scenario ${s.id}: ${s.title}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`];
  for (const step of result.steps) {
    lines.push(`Step ${step.step + 1}/${s.steps.length}: ${step.title}`);
    if (result.solution) {
      lines.push('  when the step starts:');
      lines.push(...goalLines(step.atStart, '    '));
      lines.push('  after the solution and a run:');
      lines.push(...goalLines(step.after, '    '));
    } else lines.push(...goalLines(step.after, '  '));
  }
  lines.push(verdict(result));
  return `${lines.join('\n')}\n`;
}

function goalLines(goals: readonly GoalResult[], indent: string): string[] {
  return goals.map((g) => `${indent}${g.holds ? '✓' : '✗'} ${g.title} — ${g.why}`);
}

function verdict(result: ScenarioCheck): string {
  const total = result.scenario.steps.length;
  const last = result.steps[result.steps.length - 1];
  const goals = last?.after ?? [];
  const failing = goals.filter((g) => !g.holds).length;
  if (result.vacuous.length > 0) {
    const which = result.vacuous.map((i) => i + 1).join(', ');
    return `✗ the goals of step ${which} already held when the step started: they prove nothing, and the app would skip the step`;
  }
  if (result.holds)
    return result.solution
      ? `✓ the solution meets every goal of ${total === 1 ? 'its one step' : `all ${total} steps`}`
      : `✓ every goal holds`;
  const where = `step ${(last?.step ?? 0) + 1} of ${total}`;
  return `✗ ${plural(failing, 'goal')} of ${where} ${failing === 1 ? 'does' : 'do'} not hold${result.solution ? ' after the solution' : ''}`;
}

function checkJson(result: ScenarioCheck, mesh: string): Record<string, unknown> {
  const goal = (g: GoalResult): Record<string, unknown> => ({ kind: g.goal.kind, title: g.title, holds: g.holds, why: g.why });
  return {
    mesh,
    scenario: result.scenario.id,
    solution: result.solution,
    holds: result.holds,
    vacuous: result.vacuous.map((i) => i + 1),
    steps: result.steps.map((s) => ({
      step: s.step + 1,
      title: s.title,
      atStart: s.atStart.map(goal),
      after: s.after.map(goal),
    })),
  };
}
