import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import type { PortExposure } from './portExposure.ts';
import { MeshSourceGenerator } from '../generate/meshSources.ts';
import { indexPublishers, LineageGraph, type ContractPublisher } from '../lineage/lineageGraph.ts';
import type { Contract, DataProduct, Mesh } from '../model/types.ts';
import { PortHistory, withoutBytes } from './portHistory.ts';
import { queryPorts } from './portQuery.ts';
import { failingRows, rowPredicate } from './failingRows.ts';
import { attemptRun, type Attempt } from './runAttempt.ts';
import { readInputs, sameData, type Announced, type Inputs } from './runInputs.ts';
import { runPass } from './runPass.ts';
import { criticalPathRank, planRun, referencedColumnsOnly, upstreamPublishedSince, type Plan } from './schedule.ts';
import { concludeRun, judgeFreshness, judgePorts } from './publishVerdict.ts';
import { locate } from '../yaml/sourceFile.ts';
import { quoteIdent } from '../contracts/contractChecks.ts';
import type { Fault } from './faults.ts';
import { InjectedFaults } from './injectedFaults.ts';
import type { QueryOutcome } from './quantumProtocol.ts';
import type {
  CheckResult,
  FailingRows,
  Freshness,
  MeshRunReport,
  PortVersion,
  ProductRun,
  QuantumHost,
  RefusedCandidate,
  RunOptions,
  RunProblem,
  RuntimeEvent,
} from './runTypes.ts';
import { freshnessSla } from './simTime.ts';

// Kept importable from here: the bench and the tests use them as before the split.
export { compilePort } from './publishVerdict.ts';
export { referencedColumnsOnly } from './schedule.ts';
export { DEFAULT_TIMEOUT_SECONDS } from './quantumRun.ts';

export interface MeshRuntimeOptions {
  readonly host: QuantumHost;
  /** Reads a mesh-relative file (seed data). */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Simulated time of tick 0, ISO. */
  readonly start?: string;
  /** Simulated length of one tick, in seconds (default one hour). */
  readonly tickSeconds?: number;
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** Wall clock for durations, in ms (injectable: the pure core has no `performance`). */
  readonly now?: () => number;
  /**
   * Policy results for a product about to publish, as checks: a failing `error` one (a
   * blocking policy violation) refuses the publish exactly like a failed contract check.
   * The caller evaluates the policies (core/governance) — the runtime does not import them.
   */
  readonly policyChecks?: (productId: string) => readonly CheckResult[];
  /**
   * Settles when `policyChecks` has its verdict: awaited before each publish decision (never
   * before a product's transform), so the CLI's policy evaluation runs while the first
   * products do. A rejection is the caller's to report; products then conclude without it.
   */
  readonly policyVerdict?: Promise<unknown>;
}

/** What a runtime hands on to the runtime of its edited mesh (see MeshRuntime.withMesh). */
export interface CarriedState {
  readonly ports: PortHistory;
  readonly tick: number;
  readonly latest: readonly (readonly [string, ProductRun])[];
  readonly lastRunAt: readonly (readonly [string, number])[];
  readonly delayedUntil: readonly (readonly [string, number])[];
  readonly faults: readonly Fault[];
}

/**
 * Runs a mesh on a simulated clock. Products run in lineage order, independent ones in
 * parallel up to the host's pool size. Each product's quantum gets its inputs as Arrow IPC
 * (the last *good* version of each upstream port), runs its transform and measures its
 * contract; a failing rule of severity error refuses the publish, and the port keeps its
 * last good version. Every publish is a version in the port's history.
 *
 * `runAll()` runs every product now; `advance(n)` moves the clock n ticks and, per tick,
 * runs the products that are due: on their `schedule.every`, or when an upstream published
 * (`onUpstreamPublish`, the default for products with inputs; products without inputs run
 * every tick by default, taking in what their generators emitted).
 */
export class MeshRuntime {
  readonly #mesh: Mesh;
  readonly #options: MeshRuntimeOptions;
  readonly #graph: LineageGraph;
  readonly #publishers: Map<string, ContractPublisher[]>;
  /** Resolves generator `reference` columns; the quanta generate the sources themselves. */
  readonly #sources: MeshSourceGenerator;
  /** Start order among products that are ready at once: longest downstream chain first (see runPass.ts). */
  readonly #rank: Map<string, number>;
  /** Versions per port and what each product last read (portHistory.ts). */
  readonly #ports: PortHistory;
  readonly #latest = new Map<string, ProductRun>();
  /** Per product: simulated ms of its last run that was not skipped. */
  readonly #lastRunAt = new Map<string, number>();
  /** Faults waiting for their product's run, delayed sources (injectedFaults.ts). */
  readonly #faults: InjectedFaults;
  #tick: number;

  constructor(mesh: Mesh, options: MeshRuntimeOptions, carried?: CarriedState) {
    this.#mesh = mesh;
    this.#options = options;
    this.#graph = new LineageGraph(mesh.products);
    this.#publishers = indexPublishers(mesh.products);
    this.#sources = new MeshSourceGenerator(referencedColumnsOnly(mesh.products));
    this.#rank = criticalPathRank(this.#graph);
    this.#ports = carried?.ports ?? new PortHistory();
    this.#tick = carried?.tick ?? 0;
    for (const [id, run] of carried?.latest ?? []) this.#latest.set(id, run);
    for (const [id, at] of carried?.lastRunAt ?? []) this.#lastRunAt.set(id, at);
    this.#faults = new InjectedFaults(mesh.products, carried?.faults, carried?.delayedUntil);
  }

  /**
   * A runtime for an edited version of this mesh that goes on where this one stands: the
   * clock, the versions of every port that still exists (so "Run one" after an edit runs on
   * the upstreams' published versions), each remaining product's last run and schedule, and
   * the faults that still fit. Options default to this runtime's (seed files usually change
   * with the edit: pass the new `readFile`).
   */
  withMesh(mesh: Mesh, options: Partial<MeshRuntimeOptions> = {}): MeshRuntime {
    const kept = new Set(mesh.products.map((p) => p.id));
    const keep = <T>(entries: Iterable<readonly [string, T]>) => [...entries].filter(([id]) => kept.has(id));
    return new MeshRuntime(
      mesh,
      { ...this.#options, ...options },
      {
        ports: this.#ports.carriedTo(mesh),
        tick: this.#tick,
        latest: keep(this.#latest),
        lastRunAt: keep(this.#lastRunAt),
        delayedUntil: keep(this.#faults.delays),
        faults: this.#faults.list,
      },
    );
  }

  get mesh(): Mesh {
    return this.#mesh;
  }

  get tick(): number {
    return this.#tick;
  }

  get tickSeconds(): number {
    return this.#options.tickSeconds ?? 3600;
  }

  simulatedAt(tick = this.#tick): string {
    return new Date(this.#simulatedMs(tick)).toISOString();
  }

  /** All published versions of a port, oldest first. */
  history(product: string, port: string): readonly PortVersion[] {
    return this.#ports.versions(product, port);
  }

  latestVersion(product: string, port: string): PortVersion | undefined {
    return this.#ports.latest(product, port);
  }

  lastRun(product: string): ProductRun | undefined {
    return this.#latest.get(product);
  }

  /** How old a port's newest version is *now*, in simulated time, against its SLA. */
  freshness(product: string, port: string): Freshness | undefined {
    const latest = this.latestVersion(product, port);
    if (!latest) return undefined;
    const contract = this.#mesh.products.find((p) => p.id === product)?.outputPorts.find((p) => p.name === port)?.contract;
    return judgeFreshness((this.#simulatedMs() - Date.parse(latest.dataAt)) / 1000, freshnessSla(contract)?.latencySeconds);
  }

  /**
   * The observability port of an output port: per published version its rows, bytes,
   * per-column null share and distinct estimate, check results, freshness and run time.
   */
  observability(product: string, port: string): readonly Omit<PortVersion, 'ipc'>[] {
    return this.history(product, port).map((v) => withoutBytes(v));
  }

  /**
   * The output of the port's newest refused run, unless the port has published since: what
   * the product would have published, with the checks that refused it. Never an input of
   * another product (they read `latestVersion`); one per port (PortHistory.refuse).
   */
  candidate(product: string, port: string): RefusedCandidate | undefined {
    return this.#ports.candidate(product, port);
  }

  /** The rows of the port's refused candidate that break its failed row-level check `checkId` (failingRows.ts). */
  async failingRows(product: string, port: string, checkId: string, limit?: number): Promise<FailingRows | undefined> {
    const candidate = this.candidate(product, port);
    return candidate ? failingRows(this.#options.host, candidate, checkId, limit) : undefined;
  }

  /** Stops a product's running quantum; the product is marked failed ("cancelled"). */
  cancel(product: string): boolean {
    return this.#options.host.cancel(product);
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────

  get faults(): readonly Fault[] {
    return this.#faults.list;
  }

  /**
   * Injects a fault (see faults.ts); throws a FaultError naming what is wrong with it. A
   * crash aimed at a product that is running right now stops its quantum at once.
   */
  injectFault(fault: Fault): void {
    this.#faults.inject(fault, this.#mesh.products, this.#tick, (product) => this.#options.host.crash(product));
  }

  /** Clears the faults of one product, or all of them. */
  clearFaults(product?: string): void {
    this.#faults.clear(product);
  }

  // ── running ───────────────────────────────────────────────────────────────────────────

  /**
   * Advances simulated time by `ticks`, running what is due on each tick. Stopped (`signal`),
   * the tick under way ends as a stopped pass and the clock goes no further.
   */
  async advance(ticks = 1, options: RunOptions = {}): Promise<MeshRunReport[]> {
    const reports: MeshRunReport[] = [];
    for (let i = 0; i < ticks && !options.signal?.aborted; i++) {
      this.#tick++;
      this.#options.onEvent?.({ type: 'tick', tick: this.#tick, simulatedAt: this.simulatedAt() });
      reports.push(await this.#pass(false, options.signal));
    }
    return reports;
  }

  /**
   * Runs one product now ("Run one"), on the newest good versions of its inputs; the rest of
   * the mesh does not run. Its consumers react on the next tick as to any publish. Aborting
   * `signal` cancels its quantum: the run counts as not run (`stopped`), its last run stands.
   */
  async runProduct(id: string, options: RunOptions = {}): Promise<ProductRun> {
    const product = this.#mesh.products.find((p) => p.id === id);
    if (!product) throw new Error(`there is no data product "${id}" in this mesh`);
    const { signal } = options;
    if (signal?.aborted) return this.#stoppedRun(id);
    const cancel = (): void => {
      this.#options.host.cancel(id);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    this.#options.onEvent?.({ type: 'started', product: id, tick: this.#tick });
    try {
      const ran = await this.#runProduct(product);
      const run = signal?.aborted && ran.status === 'failed' ? this.#stoppedRun(id) : this.#finish(ran);
      this.#options.onEvent?.({ type: 'finished', run, done: 1, total: 1 });
      return run;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /**
   * Runs every product now, at the current tick (delayed products excepted). Aborting
   * `signal` stops the pass: running quanta are cancelled, nothing more starts, and the
   * products it stopped keep their last run (the report says `stopped`).
   */
  async runAll(options: RunOptions = {}): Promise<MeshRunReport> {
    return this.#pass(true, options.signal);
  }

  /**
   * Runs read-only SQL over the newest version of every output port, each addressed as
   * `"<product-id>"."<port>"`. Loads the ports into one pooled quantum for the query.
   */
  async query(sql: string, exposure?: PortExposure): Promise<QueryOutcome> {
    const ports = this.#mesh.products.flatMap((p) =>
      p.outputPorts.flatMap((o) => {
        const ipc = this.latestVersion(p.id, o.name)?.ipc;
        return ipc ? [{ product: p.id, port: o.name, ipc }] : [];
      }),
    );
    return queryPorts(this.#options.host, ports, sql, exposure);
  }

  /** One pass (runPass.ts decides who starts when): Run all with `force`, else a tick's due products. */
  async #pass(force: boolean, signal?: AbortSignal): Promise<MeshRunReport> {
    const started = this.#now();
    const byId = new Map(this.#mesh.products.map((p) => [p.id, p]));
    // A run the stop caught fails (its quantum was cancelled): it counts as not run, its last run stands.
    const unlessStopped = (id: string, run: ProductRun): ProductRun =>
      signal?.aborted && run.status === 'failed' ? this.#stoppedRun(id) : run;
    const settled = await runPass({
      lineage: this.#graph.topologicalOrder(),
      poolSize: this.#options.host.size,
      rank: this.#rank,
      tick: this.#tick,
      total: this.#mesh.products.length,
      upstream: (id) => this.#graph.upstream(id),
      product: (id) => byId.get(id),
      // Faults aimed at a product are taken by its run: such a run never starts early.
      mayStartEarly: (id) => !this.#faults.aimsAt(id),
      plan: (product) => this.#plan(product, force),
      skip: (id, reason) => this.#skip(id, reason),
      run: async (product, announce) => unlessStopped(product.id, await this.#runProduct(product, announce)),
      runEarly: async (product, early, upstreamSettled, announce) =>
        unlessStopped(product.id, await this.#runEarly(product, early, upstreamSettled, announce, signal)),
      settle: (run) => (run.stopped ? run : this.#finish(run)),
      fail: (id, message) => this.#finish(this.#failed(id, { message })),
      onEvent: (event) => this.#options.onEvent?.(event),
      signal,
      cancel: (id) => this.#options.host.cancel(id),
      stopped: (id) => this.#stoppedRun(id),
    });
    const products = this.#mesh.products.map((p) => settled.get(p.id) ?? this.#failed(p.id, { message: 'did not run' }));
    const report = { tick: this.#tick, simulatedAt: this.simulatedAt(), products, durationMs: this.#now() - started };
    if (!signal?.aborted) return report;
    return { ...report, stopped: { done: products.filter((p) => !p.stopped).length, total: products.length } };
  }

  /** A product a stopped pass did not run to the end: its last run, unchanged, marked stopped. */
  #stoppedRun(id: string): ProductRun {
    return { ...(this.#latest.get(id) ?? { ...base(id, 0), status: 'idle' as const }), stopped: true };
  }

  /** Whether a product runs in this pass, and if not, why. */
  #plan(product: DataProduct, force: boolean): Plan {
    const delayed = this.#faults.delayed(product.id, this.#tick);
    if (delayed) return { run: false, reason: delayed };
    return planRun(product, {
      force,
      last: this.#latest.get(product.id),
      upstreamPublished: () => upstreamPublishedSince(product, this.#publishers, this.#ports),
      lastRunAt: this.#lastRunAt.get(product.id),
      nowMs: this.#simulatedMs(),
    });
  }

  /** A product not run in this pass: its last run; stale when an upstream is in trouble. */
  #skip(id: string, reason: string): ProductRun {
    const last = this.#latest.get(id) ?? { ...base(id, 0), status: 'idle' as const };
    // Not run, but an upstream is in trouble: it still serves its last version, now stale.
    const troubled = this.#troubledUpstream(id);
    const stale = troubled.length > 0 && last.status !== 'idle' && last.status !== 'failed';
    const skipped: ProductRun = {
      ...last,
      ...(stale ? { status: 'stale' as const, staleBecause: troubled } : {}),
      tick: this.#tick,
      skipped: reason,
    };
    if (stale) this.#latest.set(id, { ...skipped, tick: last.tick });
    return skipped;
  }

  /** Upstream products whose newest run did not publish fresh data (refused, failed or stale). */
  #troubledUpstream(id: string): string[] {
    return this.#graph.upstream(id).filter((up) => {
      const status = this.#latest.get(up)?.status;
      return status === 'refused' || status === 'failed' || status === 'stale';
    });
  }

  #finish(run: ProductRun): ProductRun {
    this.#latest.set(run.product, run);
    return run;
  }

  /**
   * Runs one product on the newest good version of each input and judges its contract.
   * With `announce`, its output ports' data is handed out (see runPass.ts) as soon as the
   * quantum has exported it, while the quantum goes on to measure it.
   */
  async #runProduct(product: DataProduct, announce?: (ports: Announced) => void): Promise<ProductRun> {
    const started = this.#now();
    const version = this.#version(product);
    this.#lastRunAt.set(product.id, this.#simulatedMs());
    const staleBecause = this.#troubledUpstream(product.id);
    const read = this.#readInputs(product);
    if ('missing' in read) {
      return {
        ...this.#base(product.id, version),
        status: 'stale',
        staleBecause,
        problem: {
          message: `cannot run: upstream ${read.missing} has no published version yet${staleBecause.length > 0 ? ` (${staleBecause.join(', ')} did not publish)` : ''}, so there is no good version to run on`,
          file: product.file,
        },
      };
    }
    const attempt = await this.#attempt(product, read, version, started, announce);
    if ('failed' in attempt) return attempt.failed;
    await this.#policyVerdict();
    return this.#conclude(product, version, read, attempt, staleBecause);
  }

  /**
   * A speculative run (see runPass.ts): it reads the data some upstream products have exported
   * but not yet published. Once they settle, its outcome counts only if the normal run would
   * have read exactly the same data; otherwise it is thrown away and the product runs again,
   * as it would have without speculation.
   */
  async #runEarly(
    product: DataProduct,
    early: ReadonlyMap<string, Announced>,
    upstreamSettled: Promise<unknown>,
    announce: (ports: Announced) => void,
    signal?: AbortSignal,
  ): Promise<ProductRun> {
    const started = this.#now();
    const version = this.#version(product);
    const read = this.#readInputs(product, early);
    if ('missing' in read) {
      await upstreamSettled;
      return signal?.aborted ? this.#stoppedRun(product.id) : this.#runProduct(product, announce);
    }
    const attempt = await this.#attempt(product, read, version, started, announce);
    await upstreamSettled;
    // A crash or cancel that stopped the early run stands: it was aimed at this run.
    const stopped = 'failed' in attempt && attempt.stopped;
    if (!sameData(read, this.#readInputs(product)) && !stopped) {
      // Stopped meanwhile: no second run.
      return signal?.aborted ? this.#stoppedRun(product.id) : this.#runProduct(product, announce);
    }
    this.#lastRunAt.set(product.id, this.#simulatedMs());
    if ('failed' in attempt) return attempt.failed;
    await this.#policyVerdict();
    return this.#conclude(product, version, read, attempt, this.#troubledUpstream(product.id));
  }

  /** The input ports' data (runInputs.ts): newest good versions, or what `early` upstream products exported. */
  #readInputs(product: DataProduct, early?: ReadonlyMap<string, Announced>): Inputs | { missing: string } {
    return readInputs(product, {
      publishers: this.#publishers,
      latest: (id, port) => this.latestVersion(id, port),
      nowMs: this.#simulatedMs(),
      early,
    });
  }

  /** Sources, quantum, contract measurements (runAttempt.ts); a failure comes back as the product's failed run. */
  async #attempt(
    product: DataProduct,
    read: Inputs,
    version: number,
    started: number,
    announce?: (ports: Announced) => void,
  ): Promise<Attempt | { failed: ProductRun; stopped: boolean }> {
    const attempt = await attemptRun(product, read, {
      host: this.#options.host,
      tick: this.#tick,
      version,
      started,
      now: () => this.#now(),
      readFile: this.#options.readFile,
      referenceValues: (reference) => this.#sources.referenceValues(product.id, reference),
      locate: (contract, path) => this.#locate(contract, path),
      tableFaults: () => this.#faults.tableFaults(product.id),
      takeCrash: () => this.#faults.takeCrash(product.id),
      announce,
    });
    if (!('problem' in attempt)) return attempt;
    return { failed: this.#failed(product.id, attempt.problem, version, attempt.durationMs), stopped: attempt.stopped };
  }

  /** The policy verdict the publish decisions wait for (MeshRuntimeOptions.policyVerdict); its failure is the caller's to report. */
  async #policyVerdict(): Promise<void> {
    await this.#options.policyVerdict?.catch(() => undefined);
  }

  /** Judges a run's measurements (with the policy results), then publishes a version of every port or refuses. */
  #conclude(product: DataProduct, version: number, read: Inputs, attempt: Attempt, staleBecause: string[]): ProductRun {
    const { outcome, compiled } = attempt;
    const predicates = new Map(
      compiled.flatMap(({ port, checks }) => checks.map((c) => [`${port.name}/${c.id}`, rowPredicate(c, quoteIdent(port.name))] as const)),
    );
    const ageSeconds = (this.#simulatedMs() - read.dataAt) / 1000;
    const judged = judgePorts(compiled, outcome.ports, ageSeconds, (contract, path) => this.#locate(contract, path));
    const checks = [...judged.checks, ...(this.#options.policyChecks?.(product.id) ?? [])];
    this.#ports.recordConsumed(product.id, read.consumed);
    const concluded = concludeRun(checks, outcome.ports, {
      product: product.id,
      version,
      tick: this.#tick,
      simulatedAt: this.simulatedAt(),
      dataAt: new Date(read.dataAt).toISOString(),
      freshness: (port) => judged.freshness.get(port) ?? judgeFreshness(ageSeconds, undefined),
      durationMs: outcome.durationMs,
      staleBecause,
      rowPredicate: (port, id) => predicates.get(`${port}/${id}`),
    });
    for (const published of concluded.publish) this.#ports.publish(this.#withContract(product, published));
    for (const candidate of concluded.refuse) this.#ports.refuse(candidate);
    return concluded.run;
  }

  /** A version with the contract it published under (when the port has one, read from a YAML file). */
  #withContract(product: DataProduct, published: PortVersion): PortVersion {
    const contract = product.outputPorts.find((p) => p.name === published.port)?.contract;
    const file = contract ? this.#mesh.files.get(contract.file) : undefined;
    return contract && file && 'doc' in file
      ? { ...published, contract: { version: contract.version, file: file as YamlSourceFile } }
      : published;
  }

  #version(product: DataProduct): number {
    const first = product.outputPorts[0];
    return first ? (this.latestVersion(product.id, first.name)?.version ?? 0) : 0;
  }

  #locate(contract: Contract, path: readonly (string | number)[]): { line: number; column: number } {
    const file = this.#mesh.files.get(contract.file);
    return file && 'doc' in file ? locate(file, path) : { line: 1, column: 1 };
  }

  #failed(product: string, problem: RunProblem, version = 0, durationMs = 0): ProductRun {
    return { ...base(product, version), status: 'failed', problem, durationMs, tick: this.#tick };
  }

  #base(product: string, version: number): Omit<ProductRun, 'status'> {
    return { ...base(product, version), tick: this.#tick };
  }

  #simulatedMs(tick = this.#tick): number {
    return Date.parse(this.#options.start ?? '2026-11-01T00:00:00Z') + tick * this.tickSeconds * 1000;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function base(product: string, version: number): Omit<ProductRun, 'status'> {
  return { product, version, rows: 0, checks: [], durationMs: 0, tick: 0 };
}
