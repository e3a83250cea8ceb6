import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { runDataOf, type PolicyGate } from '../governance/policy/policyGate.ts';
import { buildMesh } from '../load/buildMesh.ts';
import type { Mesh, MeshFiles } from '../model/types.ts';
import { MeshRuntime, type MeshRuntimeOptions } from '../run/meshRuntime.ts';
import type { GoalContext, ScenarioHost } from './scenarioHost.ts';

/*
 * A scenario host over a MeshRuntime and the policy gate, as `quanta scenario check` (and
 * its tests) play scenarios: files in memory, the runtime following every edit
 * (withMesh), blocking policies refusing publishes as in `quanta run`. Pure core: the
 * quantum host, the seed reader and the gate's catalog engine are handed in.
 */
export class RuntimeScenarioHost implements ScenarioHost {
  readonly #options: Omit<MeshRuntimeOptions, 'policyChecks'>;
  readonly #gate: PolicyGate;
  #files: MeshFiles;
  #mesh: Mesh;
  #diagnostics: readonly Diagnostic[];
  #runtime: MeshRuntime;

  private constructor(files: MeshFiles, options: Omit<MeshRuntimeOptions, 'policyChecks'>, gate: PolicyGate) {
    this.#options = options;
    this.#gate = gate;
    this.#files = files;
    const built = buildMesh(files);
    this.#mesh = built.mesh;
    this.#diagnostics = built.diagnostics;
    this.#runtime = this.#freshRuntime();
  }

  /** A host at tick 0 over `files`, its policies evaluated once so the first run is gated. */
  static async create(files: MeshFiles, options: Omit<MeshRuntimeOptions, 'policyChecks'>, gate: PolicyGate): Promise<RuntimeScenarioHost> {
    const host = new RuntimeScenarioHost(files, options, gate);
    await gate.evaluate(host.#mesh);
    return host;
  }

  files(): MeshFiles {
    return this.#files;
  }

  get mesh(): Mesh {
    return this.#mesh;
  }

  async setFiles(files: MeshFiles): Promise<void> {
    this.#files = files;
    const built = buildMesh(files);
    this.#mesh = built.mesh;
    this.#diagnostics = built.diagnostics;
    // Policies over the model, as before a `quanta run`: an edit that breaks a blocking one refuses the next publish.
    await this.#gate.evaluate(this.#mesh);
    this.#runtime = this.#runtime.withMesh(this.#mesh);
  }

  runtime(): MeshRuntime {
    return this.#runtime;
  }

  clearRuns(): void {
    this.#runtime = this.#freshRuntime();
  }

  async observe(): Promise<GoalContext> {
    const governance = await this.#gate.evaluate(this.#mesh, { run: runDataOf(this.#mesh, this.#runtime) });
    return { mesh: this.#mesh, diagnostics: this.#diagnostics, runs: this.#runtime, governance };
  }

  #freshRuntime(): MeshRuntime {
    return new MeshRuntime(this.#mesh, { ...this.#options, policyChecks: this.#gate.policyChecks });
  }
}
