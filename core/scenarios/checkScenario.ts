import type { Scenario } from '../model/types.ts';
import type { GoalResult } from './goals.ts';
import { playAction } from './scenarioActions.ts';
import { advanceStep, currentStep, evaluateGoals, isFinished, playDueEvents, startScenario, type ScenarioState } from './scenarioEngine.ts';
import type { ScenarioHost } from './scenarioHost.ts';

/*
 * A scenario played the way a room plays it, without the room — `quanta scenario check` and
 * the tests that prove every shipped scenario: start (setup), then per step its events (the
 * clock ticked on until the `afterTicks` ones have fired), one run of the whole mesh (the
 * participant pressing Run), the goals. With `solution`, the step's reference solution is then
 * played, the mesh run again and the goals judged once more: the step must be unsolved before
 * and solved after, or the check fails.
 */

export interface StepCheck {
  readonly step: number;
  readonly title: string;
  /** The goals after the step's events and a run, before any solution. */
  readonly before: readonly GoalResult[];
  /** With `solution`: the goals after the solution and a run. */
  readonly after?: readonly GoalResult[];
}

export interface ScenarioCheck {
  readonly scenario: Scenario;
  readonly solution: boolean;
  /** The steps reached, in order: all of them when every step is solved. */
  readonly steps: readonly StepCheck[];
  /** Without `solution`: every goal of every step held (the scenario is already solved). With it: every step solved by its solution. */
  readonly holds: boolean;
  /** With `solution`: steps whose goals already held before their solution (vacuous goals). */
  readonly vacuous: readonly number[];
  /** The state at the end, for `resetScenario`. */
  readonly state: ScenarioState;
}

export interface CheckOptions {
  readonly solution: boolean;
  /** Wall clock, ms. */
  readonly now?: () => number;
}

export async function checkScenario(host: ScenarioHost, scenario: Scenario, options: CheckOptions): Promise<ScenarioCheck> {
  const now = options.now ?? (() => 0);
  let state = await startScenario(host, scenario, now());
  const steps: StepCheck[] = [];
  const vacuous: number[] = [];
  while (!isFinished(state)) {
    const step = currentStep(state);
    if (!step) break;
    state = await reachTimedEvents(host, state);
    await host.runtime().runAll();
    const before = await evaluateGoals(state, await host.observe());
    const solvedBefore = before.every((g) => g.holds);
    if (!options.solution) {
      steps.push({ step: state.step, title: step.title, before });
      if (!solvedBefore) break;
      state = await advanceStep(host, { ...state, goals: before }, now());
      continue;
    }
    if (solvedBefore) vacuous.push(state.step);
    for (const [i, action] of step.solution.entries()) {
      await playAction(host, action, `solution event ${i + 1} of step ${state.step + 1} of ${scenario.id}`);
    }
    await host.runtime().runAll();
    const after = await evaluateGoals(state, await host.observe());
    steps.push({ step: state.step, title: step.title, before, after });
    if (!after.every((g) => g.holds)) break;
    state = await advanceStep(host, { ...state, goals: after }, now());
  }
  const holds = isFinished(state) && vacuous.length === 0;
  return { scenario, solution: options.solution, steps, holds, vacuous, state };
}

/** Ticks the clock until every `afterTicks` event of the current step has been played. */
async function reachTimedEvents(host: ScenarioHost, state: ScenarioState): Promise<ScenarioState> {
  const step = currentStep(state);
  const last = Math.max(0, ...(step?.events.map((e) => e.afterTicks ?? 0) ?? []));
  let current = await playDueEvents(host, state);
  while (host.runtime().tick - current.stepStartTick < last) {
    await host.runtime().advance(1);
    current = await playDueEvents(host, current);
  }
  return current;
}
