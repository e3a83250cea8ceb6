import { buildMesh } from '../load/buildMesh.ts';
import type { Mesh, MeshFiles, Scenario, ScenarioStep } from '../model/types.ts';
import { evaluateGoal, type GoalResult } from './goals.ts';
import { playAction } from './scenarioActions.ts';
import type { GoalContext, ScenarioHost } from './scenarioHost.ts';

/*
 * The scenario engine: a scenario's progress as immutable data (ScenarioState) and the few
 * calls that move it on. The mesh files and the runtime are not in the state — the host
 * holds them (scenarioHost.ts) — so the app's store keeps the state beside its mesh and
 * calls `evaluateScenario` after every edit and every run; each call returns a new state.
 * The clock is a number the caller passes (`now`, ms), so tests need no timers.
 */

export interface ScenarioState {
  readonly scenario: Scenario;
  /** The mesh files before the start: what `resetScenario` puts back, byte for byte. */
  readonly snapshot: MeshFiles;
  /** The files after setup: the contracts nonBreaking goals compare with. */
  readonly baseline: MeshFiles;
  /** Wall clock of the start, ms. */
  readonly startedAt: number;
  /** Index of the current step; `scenario.steps.length` once every step is done. */
  readonly step: number;
  /** The runtime's tick when the current step started: `afterTicks` counts from it. */
  readonly stepStartTick: number;
  /** Indexes of the current step's events already played. */
  readonly played: readonly number[];
  /** How many of the current step's hints are shown. */
  readonly hintsShown: number;
  /** The current step's goals at the last evaluation (empty before the first). */
  readonly goals: readonly GoalResult[];
  /** Steps done so far, with the wall clock when their goals first all held. */
  readonly done: readonly { readonly step: number; readonly at: number }[];
  /** Wall clock when the last step was done. */
  readonly finishedAt?: number;
}

/**
 * Starts a scenario on the host's mesh: keeps the files as the snapshot, plays the setup,
 * starts the first step (its events without `afterTicks`). Throws a ScenarioError naming
 * the event when one cannot be played; the host may then be half set up — reset it with
 * `resetScenario` on the state it was given (`host.setFiles(snapshot)`, `clearRuns`).
 */
export async function startScenario(host: ScenarioHost, scenario: Scenario, now: number): Promise<ScenarioState> {
  const snapshot = host.files();
  for (const [i, action] of scenario.setup.entries()) await playAction(host, action, `setup event ${i + 1} of ${scenario.id}`);
  const state: ScenarioState = {
    scenario,
    snapshot,
    baseline: host.files(),
    startedAt: now,
    step: 0,
    stepStartTick: host.runtime().tick,
    played: [],
    hintsShown: 0,
    goals: [],
    done: [],
  };
  return playDueEvents(host, state);
}

/**
 * Judges the current step's goals on the host's mesh as it is now — call it after every
 * edit and every run. When they all hold the step is done and the next one starts (its
 * events are played, its goals judged in turn). Events whose `afterTicks` the runtime's
 * clock has reached are played first.
 */
export async function evaluateScenario(host: ScenarioHost, state: ScenarioState, now: number): Promise<ScenarioState> {
  let current = await playDueEvents(host, state);
  // Each pass either stops or moves one step on: bounded by the number of steps.
  while (current.step < current.scenario.steps.length) {
    const goals = await evaluateGoals(current, await host.observe());
    if (!goals.every((g) => g.holds)) return { ...current, goals };
    current = await advanceStep(host, { ...current, goals }, now);
  }
  return current;
}

/** The current step's goals judged on `context`, without moving the scenario on. */
export async function evaluateGoals(state: ScenarioState, context: GoalContext): Promise<GoalResult[]> {
  const step = currentStep(state);
  if (!step) return [];
  const baseline = baselineMesh(state.baseline);
  const setting = { baseline, ...(state.scenario.persona === undefined ? {} : { persona: state.scenario.persona }) };
  const results: GoalResult[] = [];
  // One at a time: query goals lease a quantum each, and the pool may be one.
  for (const goal of step.goals) results.push(await evaluateGoal(goal, context, setting));
  return results;
}

// The baseline's model, built once per scenario rather than once per evaluation: file maps are immutable.
const baselines = new WeakMap<MeshFiles, Mesh>();

function baselineMesh(files: MeshFiles): Mesh {
  let mesh = baselines.get(files);
  if (!mesh) baselines.set(files, (mesh = buildMesh(files).mesh));
  return mesh;
}

/** The step being played, undefined once the scenario is done. */
export function currentStep(state: ScenarioState): ScenarioStep | undefined {
  return state.scenario.steps[state.step];
}

export function isFinished(state: ScenarioState): boolean {
  return state.step >= state.scenario.steps.length;
}

/** Shows one more hint of the current step (no change when all are shown). */
export function revealHint(state: ScenarioState): ScenarioState {
  const hints = currentStep(state)?.hints.length ?? 0;
  return state.hintsShown >= hints ? state : { ...state, hintsShown: state.hintsShown + 1 };
}

/** The current step's hints shown so far, in order. */
export function shownHints(state: ScenarioState): readonly string[] {
  return currentStep(state)?.hints.slice(0, state.hintsShown) ?? [];
}

/** Wall-clock time played, ms: up to `now`, or up to the end once finished. */
export function elapsedMs(state: ScenarioState, now: number): number {
  return Math.max(0, (state.finishedAt ?? now) - state.startedAt);
}

/**
 * Puts the mesh back as it was before the start — the snapshot's files, byte-identical —
 * and clears the run state (no versions, no faults, tick 0). The scenario is over; start it
 * again for the next group.
 */
export async function resetScenario(host: ScenarioHost, state: Pick<ScenarioState, 'snapshot'>): Promise<void> {
  await host.setFiles(state.snapshot);
  await host.clearRuns();
}

/** Marks the current step done and starts the next one (its events without `afterTicks` are played). */
export async function advanceStep(host: ScenarioHost, state: ScenarioState, now: number): Promise<ScenarioState> {
  return playDueEvents(host, nextStep(state, host.runtime().tick, now));
}

function nextStep(state: ScenarioState, tick: number, now: number): ScenarioState {
  const step = state.step + 1;
  const finished = step >= state.scenario.steps.length;
  return {
    ...state,
    step,
    stepStartTick: tick,
    played: [],
    hintsShown: 0,
    goals: [],
    done: [...state.done, { step: state.step, at: now }],
    ...(finished ? { finishedAt: now } : {}),
  };
}

/**
 * Plays the current step's events that are due and not yet played, in their order
 * (`evaluateScenario` calls it; the app may call it after a tick to play a twist at once).
 */
export async function playDueEvents(host: ScenarioHost, state: ScenarioState): Promise<ScenarioState> {
  const step = currentStep(state);
  if (!step) return state;
  const played = [...state.played];
  for (const [i, event] of step.events.entries()) {
    if (played.includes(i)) continue;
    const due = event.afterTicks === undefined || host.runtime().tick - state.stepStartTick >= event.afterTicks;
    if (!due) continue;
    played.push(i);
    await playAction(host, event.action, `event ${i + 1} of step ${state.step + 1} of ${state.scenario.id}`);
  }
  return played.length === state.played.length ? state : { ...state, played };
}
