import type { Mesh } from '../../model/types.ts';
import type { CheckResult, PortVersion } from '../../run/runTypes.ts';
import type { RunHistory } from '../catalog/catalog.ts';
import { evaluatePolicies, type CatalogEngine, type EvaluateOptions, type GovernanceReport, type PortData } from './evaluate.ts';
import { resolvePolicies } from './policies.ts';
import { policyCheckResults } from './policyChecks.ts';
import { contractChanges } from './contractChanges.ts';

/*
 * The one place where "blocking policies refuse publishes" is decided, for the CLI and the
 * app alike: the gate evaluates the mesh's policies over its catalog and hands the runtime
 * the verdict per product (MeshRuntimeOptions.policyChecks). Pure core: the catalog engine
 * (a quantum) is handed in, and when to evaluate (debounced in the app, once before a CLI
 * run) is the caller's concern.
 */

/** A catalog engine for one evaluation, given back after it (its quantum returns to the pool). */
export interface CatalogEngineLease extends CatalogEngine {
  release(): void;
}

/** What the runs so far add to the catalog: run results and versions, and the published port data data policies read. */
export interface RunData {
  readonly history: RunHistory;
  readonly outputs: readonly PortData[];
}

export interface GateInput {
  readonly run?: RunData;
  /** The mesh before the change under review: contract changes and new edges are judged against it. */
  readonly baseline?: Mesh;
}

/** A mesh without policies needs no quantum: its report is made without loading the catalog anywhere. */
const NO_ENGINE: CatalogEngine = {
  load: async () => undefined,
  query: async () => ({ ok: false, message: 'no catalog' }),
};

export class PolicyGate {
  readonly #openEngine: () => CatalogEngineLease | Promise<CatalogEngineLease>;
  #report: GovernanceReport | undefined;
  #checks: (productId: string) => readonly CheckResult[] = () => [];

  /** `openEngine` is called once per evaluation of a mesh that has policies. */
  constructor(openEngine: () => CatalogEngineLease | Promise<CatalogEngineLease>) {
    this.#openEngine = openEngine;
  }

  /** The newest report, undefined before the first evaluation (or after `clear`). */
  get report(): GovernanceReport | undefined {
    return this.#report;
  }

  /**
   * Evaluates every policy in force and makes the report the gate's verdict. When evaluation
   * fails (the quantum could not start), it rejects and the previous verdict stays.
   */
  async evaluate(mesh: Mesh, input: GateInput = {}): Promise<GovernanceReport> {
    const options: EvaluateOptions = {
      ...(input.baseline ? { baseline: input.baseline, contractChanges: contractChanges(input.baseline, mesh) } : {}),
      ...(input.run ? { run: input.run.history, outputs: input.run.outputs } : {}),
    };
    let report: GovernanceReport;
    if (resolvePolicies(mesh).policies.length === 0) report = await evaluatePolicies(mesh, NO_ENGINE, options);
    else {
      const engine = await this.#openEngine();
      try {
        report = await evaluatePolicies(mesh, engine, options);
      } finally {
        engine.release();
      }
    }
    this.#report = report;
    this.#checks = policyCheckResults(report);
    return report;
  }

  /**
   * The verdict for one product as MeshRuntimeOptions.policyChecks takes it: a failing `error`
   * check per blocking violation (the publish is refused), a `warning` per warning. Bound, and
   * reading the newest report, so a runtime made once follows every later evaluation.
   */
  readonly policyChecks = (productId: string): readonly CheckResult[] => this.#checks(productId);

  /** Forgets the verdict (the mesh was closed): nothing is refused until the next evaluation. */
  clear(): void {
    this.#report = undefined;
    this.#checks = () => [];
  }
}

/** The run data of a runtime (MeshRuntime, or anything that answers the same questions) for `evaluate`. */
export function runDataOf(
  mesh: Mesh,
  runs: RunHistory & { latestVersion(product: string, port: string): Pick<PortVersion, 'ipc'> | undefined },
): RunData {
  const outputs = mesh.products.flatMap((p) =>
    p.outputPorts.flatMap((port) => {
      const ipc = runs.latestVersion(p.id, port.name)?.ipc;
      return ipc ? [{ product: p.id, port: port.name, ipc }] : [];
    }),
  );
  return { history: runs, outputs };
}
