import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { QueryTarget } from '../governance/access/queryAs.ts';
import type { GovernanceReport } from '../governance/policy/evaluate.ts';
import type { ScorecardRuns } from '../governance/scorecard.ts';
import type { Mesh, MeshFiles } from '../model/types.ts';
import type { Fault } from '../run/faults.ts';

/*
 * What the scenario engine needs of the world, as small interfaces: the files and the
 * runtime stay where their owner keeps them (the app's store, the CLI's session), and the
 * engine only asks. core/scenarios/runtimeHost.ts is one over a MeshRuntime and a policy gate.
 */

/** What scenario events do to a running mesh; MeshRuntime satisfies it. */
export interface ScenarioRuntime {
  readonly tick: number;
  runAll(): Promise<unknown>;
  runProduct(id: string): Promise<unknown>;
  advance(ticks: number): Promise<unknown>;
  injectFault(fault: Fault): void;
  clearFaults(product?: string): void;
}

/** What goals read of a running mesh; MeshRuntime satisfies it. */
export type GoalRuns = ScorecardRuns & QueryTarget;

/** Everything goals are judged on, as it is now. */
export interface GoalContext {
  readonly mesh: Mesh;
  /** Validation problems of `mesh` (buildMesh/loadMesh diagnostics). */
  readonly diagnostics: readonly Diagnostic[];
  readonly runs: GoalRuns;
  /**
   * The policy evaluation of `mesh` with its run data (PolicyGate.evaluate with `run`).
   * Absent while none is done: policy and score goals then do not hold, and say why.
   */
  readonly governance?: GovernanceReport;
}

export interface ScenarioHost {
  /** The mesh files as they are now. */
  files(): MeshFiles;
  /** Replaces the mesh files (an edit event); the runtime follows the new mesh keeping its state (MeshRuntime.withMesh). */
  setFiles(files: MeshFiles): void | Promise<void>;
  /** The runtime of the current files. */
  runtime(): ScenarioRuntime;
  /** Throws every run away: a fresh runtime at tick 0 over the current files, no versions, no faults. */
  clearRuns(): void | Promise<void>;
  /** Goals' view of the mesh now; called after events were played, so it must not be cached across them. */
  observe(): Promise<GoalContext>;
}
