import type { Scenario } from '../model/types.ts';
import type { GoalResult } from './goals.ts';
import { playAction } from './scenarioActions.ts';
import { advanceStep, currentStep, evaluateGoals, isFinished, playDueEvents, startScenario, type ScenarioState } from './scenarioEngine.ts';
import type { ScenarioHost } from './scenarioHost.ts';

/*
 * A scenario played the way a room plays it, without the room — `quanta scenario check` and
 * the tests that prove every shipped scenario. Start (setup), then per step: its events (the
 * clock ticked on until the `afterTicks` ones have fired) and the goals as the room finds
 * them; with `solution`, the step's reference solution; then one run of the whole mesh (the
 * participant pressing Run) and the goals again.
 *
 * With `solution` a step must be unsolved when it starts and solved after: goals that already
 * hold when the step starts prove nothing — and the app, which judges the goals as soon as a
 * step starts, would skip that step unplayed.
 */

export interface StepCheck {
  readonly step: number;
  readonly title: string;
  /** The goals when the step starts (after its events), before anyone acts. */
  readonly atStart: readonly GoalResult[];
  /** The goals after a run of the whole mesh; with `solution`, after the step's solution and then the run. */
  readonly after: readonly GoalResult[];
}

export interface ScenarioCheck {
  readonly scenario: Scenario;
  readonly solution: boolean;
  /** The steps reached, in order: all of them when every step is solved. */
  readonly steps: readonly StepCheck[];
  /** Every goal of every step held after its run (with `solution`: its solution and a run), and none was vacuous. */
  readonly holds: boolean;
  /** With `solution`: steps whose goals all held when the step started (vacuous goals). */
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
    const atStart = await evaluateGoals(state, await host.observe());
    if (options.solution) {
      if (atStart.every((g) => g.holds)) vacuous.push(state.step);
      for (const [i, action] of step.solution.entries()) {
        await playAction(host, action, `solution event ${i + 1} of step ${state.step + 1} of ${scenario.id}`);
      }
    }
    await host.runtime().runAll();
    const after = await evaluateGoals(state, await host.observe());
    steps.push({ step: state.step, title: step.title, atStart, after });
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
