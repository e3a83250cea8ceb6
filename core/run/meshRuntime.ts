import { loadExposedPorts, type PortExposure } from './portExposure.ts';
import { MeshSourceGenerator } from '../generate/meshSources.ts';
import { indexPublishers, LineageGraph, resolveInputPort, type ContractPublisher } from '../lineage/lineageGraph.ts';
import type { Contract, DataProduct, Mesh } from '../model/types.ts';
import { PortHistory, withoutBytes } from './portHistory.ts';
import { sourceInputs } from './sourceInputs.ts';
import { DEFAULT_TIMEOUT_SECONDS, runOnQuantum } from './quantumRun.ts';
import { criticalPathRank, planRun, referencedColumnsOnly, upstreamPublishedSince, type Plan } from './schedule.ts';
import { compilePort, judgeFreshness, judgePorts, publishVerdict, type CompiledPort } from './publishVerdict.ts';
import { contentHash } from '../util/contentHash.ts';
import { locate } from '../yaml/sourceFile.ts';
import { checkFault, tableFaultsOf, type Fault } from './faults.ts';
import type { ColumnInfo, PortRequest, QueryOutcome, RunOutcome, SourceInput } from './quantumProtocol.ts';
import type { CheckResult, Freshness, MeshRunReport, PortVersion, ProductRun, QuantumHost, RunProblem, RuntimeEvent } from './runTypes.ts';
import { formatSeconds, freshnessSla, parseDuration } from './simTime.ts';
import { isNotSingleSelect, SINGLE_SELECT_HINT, singleSelect } from '../sql/singleSelect.ts';
import { withinTimeout } from '../util/withinTimeout.ts';

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
}

/** A product's exported output ports in this pass, by port name, before they are judged. */
type Announced = ReadonlyMap<
  string,
  { readonly ipc: Uint8Array; readonly columns: readonly ColumnInfo[]; readonly version: number; readonly dataAt: string }
>;

/** What a run reads: its input ports' data (also listed in `data`, port order) and where it comes from. */
interface Inputs {
  readonly inputs: readonly SourceInput[];
  readonly data: readonly Uint8Array[];
  /** `product/port` → version read. */
  readonly consumed: ReadonlyMap<string, number>;
  /** Simulated ms of the oldest source data the inputs are built on. */
  readonly dataAt: number;
}

/** A run whose quantum succeeded: its outcome and the checks it measured. */
interface Attempt {
  readonly outcome: Extract<RunOutcome, { ok: true }>;
  readonly compiled: readonly CompiledPort[];
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
  /** Start order among products that are ready at once: longest downstream chain first (see #pass). */
  readonly #rank: Map<string, number>;
  /** Versions per port and what each product last read (portHistory.ts). */
  readonly #ports: PortHistory;
  readonly #latest = new Map<string, ProductRun>();
  /** Per product: simulated ms of its last run that was not skipped. */
  readonly #lastRunAt = new Map<string, number>();
  #faults: Fault[] = [];
  readonly #delayedUntil: Map<string, number>;
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
    this.#delayedUntil = new Map(carried?.delayedUntil);
    for (const [id, run] of carried?.latest ?? []) this.#latest.set(id, run);
    for (const [id, at] of carried?.lastRunAt ?? []) this.#lastRunAt.set(id, at);
    this.#faults = (carried?.faults ?? []).filter((fault) => stillApplies(fault, mesh));
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
    const keep = <T>(entries: Iterable<[string, T]>) => [...entries].filter(([id]) => kept.has(id));
    return new MeshRuntime(
      mesh,
      { ...this.#options, ...options },
      {
        ports: this.#ports.carriedTo(mesh),
        tick: this.#tick,
        latest: keep(this.#latest),
        lastRunAt: keep(this.#lastRunAt),
        delayedUntil: keep(this.#delayedUntil),
        faults: this.#faults,
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

  /** Stops a product's running quantum; the product is marked failed ("cancelled"). */
  cancel(product: string): boolean {
    return this.#options.host.cancel(product);
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────

  get faults(): readonly Fault[] {
    return this.#faults;
  }

  /**
   * Injects a fault (see faults.ts); throws a FaultError naming what is wrong with it. A
   * crash aimed at a product that is running right now stops its quantum at once.
   */
  injectFault(fault: Fault): void {
    checkFault(fault, this.#mesh.products);
    if (fault.kind === 'delaySource') {
      this.#delayedUntil.set(fault.product, this.#tick + fault.ticks);
      return;
    }
    if (fault.kind === 'crash' && this.#options.host.crash(fault.product)) return;
    this.#faults = [...this.#faults, fault];
  }

  /** Clears the faults of one product, or all of them. */
  clearFaults(product?: string): void {
    this.#faults = product === undefined ? [] : this.#faults.filter((f) => f.product !== product);
    if (product === undefined) this.#delayedUntil.clear();
    else this.#delayedUntil.delete(product);
  }

  // ── running ───────────────────────────────────────────────────────────────────────────

  /** Advances simulated time by `ticks`, running what is due on each tick. */
  async advance(ticks = 1): Promise<MeshRunReport[]> {
    const reports: MeshRunReport[] = [];
    for (let i = 0; i < ticks; i++) {
      this.#tick++;
      this.#options.onEvent?.({ type: 'tick', tick: this.#tick, simulatedAt: this.simulatedAt() });
      reports.push(await this.#pass(false));
    }
    return reports;
  }

  /**
   * Runs one product now ("Run one"), on the newest good versions of its inputs; the rest of
   * the mesh does not run. Its consumers react on the next tick as to any publish.
   */
  async runProduct(id: string): Promise<ProductRun> {
    const product = this.#mesh.products.find((p) => p.id === id);
    if (!product) throw new Error(`there is no data product "${id}" in this mesh`);
    this.#options.onEvent?.({ type: 'started', product: id, tick: this.#tick });
    const run = this.#finish(await this.#runProduct(product));
    this.#options.onEvent?.({ type: 'finished', run, done: 1, total: 1 });
    return run;
  }

  /** Runs every product now, at the current tick (delayed products excepted). */
  async runAll(): Promise<MeshRunReport> {
    return this.#pass(true);
  }

  /**
   * Runs read-only SQL over the newest version of every output port, each addressed as
   * `"<product-id>"."<port>"`. Loads the ports into one pooled quantum for the query.
   */
  async query(sql: string, exposure?: PortExposure): Promise<QueryOutcome> {
    const lease = await this.#options.host.acquire('(query)', { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 });
    try {
      // A pooled quantum still holds the catalog of the product it last ran: start empty.
      await lease.quantum.reset();
      const ports = this.#mesh.products.flatMap((p) =>
        p.outputPorts.flatMap((o) => {
          const ipc = this.latestVersion(p.id, o.name)?.ipc;
          return ipc ? [{ product: p.id, port: o.name, ipc }] : [];
        }),
      );
      // With an exposure (a query as a persona) each port arrives as its masked view, or not at all.
      const exposed = await loadExposedPorts(lease.quantum, ports, exposure);
      if (exposed) {
        lease.release();
        return { ok: false, error: exposed };
      }
      // One SELECT, checked by DuckDB's parser (core/sql/singleSelect.ts): a console query reads.
      const outcome = await lease.quantum.query(`SELECT * FROM ${singleSelect(sql)}`);
      lease.release();
      if (!outcome.ok && isNotSingleSelect(outcome.error.message)) {
        return {
          ok: false,
          error: { kind: 'sql', message: `QUANTA_E071 a query must be exactly one SELECT statement; ${SINGLE_SELECT_HINT}` },
        };
      }
      return outcome;
    } catch (error) {
      lease.discard();
      return { ok: false, error: { kind: 'internal', message: messageOf(error) } };
    }
  }

  async #pass(force: boolean): Promise<MeshRunReport> {
    const started = this.#now();
    const byId = new Map(this.#mesh.products.map((p) => [p.id, p]));
    const { order, cycles } = this.#graph.topologicalOrder();
    const settled = new Map<string, ProductRun>();
    for (const cycle of cycles) {
      for (const id of cycle) {
        settled.set(id, this.#finish(this.#failed(id, { message: `in a lineage cycle (${cycle.join(' → ')}); it cannot run` })));
      }
    }
    // Among products ready at the same time, the one with the longest chain of products
    // waiting behind it starts first (lineage order is kept otherwise): a pool slot spent
    // on a leaf while the head of a long chain waits lengthens the whole pass.
    const rank = (id: string): number => this.#rank.get(id) ?? 0;
    const pending = order.filter((id) => !settled.has(id)).sort((a, b) => rank(b) - rank(a));
    const total = this.#mesh.products.length;
    const running = new Map<string, Promise<void>>();
    // Output ports exported in this pass, not yet judged. A product that would run whatever its
    // upstream products publish starts on this data at once (#runEarly): its upstream's
    // checks, profile and hashing then overlap its run instead of preceding it.
    const exported = new Map<string, Announced>();
    let wake = (): void => undefined;
    const announce =
      (id: string) =>
      (ports: Announced): void => {
        exported.set(id, ports);
        wake();
      };
    while (pending.length > 0 || running.size > 0) {
      for (const id of [...pending]) {
        if (running.size >= this.#options.host.size) break;
        const waiting = this.#graph.upstream(id).filter((up) => !settled.has(up));
        const early = waiting.length > 0;
        if (early && !waiting.every((up) => exported.has(up) && running.has(up))) continue;
        // Faults aimed at a product are taken by its run: such a run never starts early.
        if (early && this.#faults.some((f) => f.product === id)) continue;
        const product = byId.get(id);
        if (!product) {
          if (!early) pending.splice(pending.indexOf(id), 1);
          continue;
        }
        // Decided before the upstream products publish, a plan to run stays one whatever they publish.
        const plan = this.#plan(product, force);
        if (early && !plan.run) continue;
        pending.splice(pending.indexOf(id), 1);
        if (!plan.run) {
          const last = this.#latest.get(id) ?? { ...base(id, 0), status: 'idle' as const };
          // Not run, but an upstream is in trouble: it still serves its last version, now stale.
          const troubled = this.#troubledUpstream(id);
          const stale = troubled.length > 0 && last.status !== 'idle' && last.status !== 'failed';
          const skipped: ProductRun = {
            ...last,
            ...(stale ? { status: 'stale' as const, staleBecause: troubled } : {}),
            tick: this.#tick,
            skipped: plan.reason ?? '',
          };
          if (stale) this.#latest.set(id, { ...skipped, tick: last.tick });
          settled.set(id, skipped);
          this.#options.onEvent?.({ type: 'finished', run: skipped, done: settled.size, total });
          continue;
        }
        this.#options.onEvent?.({ type: 'started', product: id, tick: this.#tick });
        const run = early
          ? this.#runEarly(
              product,
              new Map(waiting.map((up) => [up, exported.get(up) as Announced])),
              Promise.all(waiting.map((up) => running.get(up))),
              announce(id),
            )
          : this.#runProduct(product, announce(id));
        const task = run.then((run) => {
          settled.set(id, this.#finish(run));
          running.delete(id);
          this.#options.onEvent?.({ type: 'finished', run, done: settled.size, total });
        });
        running.set(id, task);
      }
      if (running.size > 0) await Promise.race([...running.values(), new Promise<void>((resolve) => (wake = resolve))]);
      else if (pending.length > 0) {
        // Only reachable when an upstream is not in the mesh order (never, short of a bug): fail loudly.
        for (const id of pending.splice(0)) {
          settled.set(id, this.#finish(this.#failed(id, { message: 'its upstream products could not be ordered' })));
        }
      }
    }
    const products = this.#mesh.products.map((p) => settled.get(p.id) ?? this.#failed(p.id, { message: 'did not run' }));
    return { tick: this.#tick, simulatedAt: this.simulatedAt(), products, durationMs: this.#now() - started };
  }

  /** Whether a product runs in this pass, and if not, why. */
  #plan(product: DataProduct, force: boolean): Plan {
    const delayedUntil = this.#delayedUntil.get(product.id);
    if (delayedUntil !== undefined) {
      if (this.#tick < delayedUntil) return { run: false, reason: `its sources are delayed until tick ${delayedUntil} (injected fault)` };
      this.#delayedUntil.delete(product.id);
    }
    return planRun(product, {
      force,
      last: this.#latest.get(product.id),
      upstreamPublished: () => upstreamPublishedSince(product, this.#publishers, this.#ports),
      lastRunAt: this.#lastRunAt.get(product.id),
      nowMs: this.#simulatedMs(),
    });
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
   * With `announce`, its output ports' data is handed out (see #pass) as soon as the
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
    return 'failed' in attempt ? attempt.failed : this.#conclude(product, version, read, attempt, staleBecause);
  }

  /**
   * A speculative run (see #pass): it reads the data some upstream products have exported
   * but not yet published. Once they settle, its outcome counts only if the normal run would
   * have read exactly the same data; otherwise it is thrown away and the product runs again,
   * as it would have without speculation.
   */
  async #runEarly(
    product: DataProduct,
    early: ReadonlyMap<string, Announced>,
    upstreamSettled: Promise<unknown>,
    announce: (ports: Announced) => void,
  ): Promise<ProductRun> {
    const started = this.#now();
    const version = this.#version(product);
    const read = this.#readInputs(product, early);
    if ('missing' in read) {
      await upstreamSettled;
      return this.#runProduct(product, announce);
    }
    const attempt = await this.#attempt(product, read, version, started, announce);
    await upstreamSettled;
    const now = this.#readInputs(product);
    const sameData = !('missing' in now) && now.data.length === read.data.length && now.data.every((ipc, i) => ipc === read.data[i]);
    // A crash or cancel that stopped the early run stands: it was aimed at this run.
    const stopped = 'failed' in attempt && attempt.stopped;
    if (!sameData && !stopped) return this.#runProduct(product, announce);
    this.#lastRunAt.set(product.id, this.#simulatedMs());
    if ('failed' in attempt) return attempt.failed;
    return this.#conclude(product, version, read, attempt, this.#troubledUpstream(product.id));
  }

  /**
   * The input ports' data: the newest good version of each upstream port, or, for the
   * upstream products in `early`, the data they have exported in this pass.
   */
  #readInputs(product: DataProduct, early?: ReadonlyMap<string, Announced>): Inputs | { missing: string } {
    const inputs: SourceInput[] = [];
    const data: Uint8Array[] = [];
    const consumed = new Map<string, number>();
    let dataAt = this.#simulatedMs();
    for (const port of product.inputPorts) {
      const publisher = resolveInputPort(this.#publishers, port);
      const upstream =
        publisher &&
        (early?.get(publisher.product.id)?.get(publisher.port.name) ?? this.latestVersion(publisher.product.id, publisher.port.name));
      if (!publisher || !upstream?.ipc) return { missing: publisher ? `${publisher.product.id}.${publisher.port.name}` : port.contractId };
      consumed.set(`${publisher.product.id}/${publisher.port.name}`, upstream.version);
      dataAt = Math.min(dataAt, Date.parse(upstream.dataAt));
      inputs.push({ kind: 'arrow', name: port.name, ipc: upstream.ipc, ...(upstream.columns ? { columns: upstream.columns } : {}) });
      data.push(upstream.ipc);
    }
    return { inputs, data, consumed, dataAt };
  }

  /** Sources, quantum, contract measurements: everything of a run that does not change the runtime's state. */
  async #attempt(
    product: DataProduct,
    read: Inputs,
    version: number,
    started: number,
    announce?: (ports: Announced) => void,
  ): Promise<Attempt | { failed: ProductRun; stopped: boolean }> {
    const inputs = [...read.inputs];
    const timeoutSeconds = parseDuration(product.settings?.simulation.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
    try {
      // Reading seed files counts against the run's timeout: a file that never ends (a FIFO
      // a file system let through) fails the product instead of hanging the mesh.
      const limit = `reading its seed files took longer than simulation.timeout (${formatSeconds(timeoutSeconds)}) in quanta.yaml`;
      const sources = sourceInputs(product, {
        tick: this.#tick,
        readFile: this.#options.readFile,
        referenceValues: (reference) => this.#sources.referenceValues(product.id, reference),
        locate: (contract, path) => this.#locate(contract, path),
      });
      inputs.push(...(await withinTimeout(sources, timeoutSeconds * 1000, () => new Error(limit))));
    } catch (error) {
      const problem = { message: messageOf(error), ...(product.settings ? { file: product.settings.file } : {}) };
      return { failed: this.#failed(product.id, problem, version), stopped: false };
    }

    const compiled = product.outputPorts.map((port) => ({ port, ...compilePort(port.name, port.contract) }));
    const ports: PortRequest[] = compiled.map(({ port, checks }) => ({
      name: port.name,
      checks: checks.map((c) => ({ id: c.id, sql: c.sql, ...(c.samples === undefined ? {} : { samples: c.samples }) })),
    }));
    const transform = product.transform ? { file: product.transform.path, sql: product.transform.text } : undefined;
    const faults = tableFaultsOf(this.#faults, product.id);
    const request = { productId: product.id, ...(transform ? { transform } : {}), inputs, ports, ...(faults.length > 0 ? { faults } : {}) };
    const dataAt = new Date(read.dataAt).toISOString();
    const ran = await runOnQuantum(this.#options.host, product, request, {
      timeoutSeconds,
      crash: this.#takeCrashFault(product.id),
      onExported: (exported) =>
        announce?.(new Map(exported.map((p) => [p.port, { ipc: p.ipc, columns: p.columns, version: version + 1, dataAt }]))),
    });
    if ('problem' in ran) return { failed: this.#failed(product.id, ran.problem, version, this.#now() - started), stopped: ran.stopped };
    const { outcome } = ran;
    if (!outcome.ok) {
      const { message, file, line } = outcome.error;
      const problem = { message, ...(file ? { file } : {}), ...(line ? { line } : {}) };
      return { failed: this.#failed(product.id, problem, version, outcome.durationMs), stopped: false };
    }
    return { outcome, compiled };
  }

  /** Judges a run's measurements, then publishes a version of every port or refuses. */
  #conclude(product: DataProduct, version: number, read: Inputs, attempt: Attempt, staleBecause: string[]): ProductRun {
    const { outcome, compiled } = attempt;
    const { consumed, dataAt } = read;
    const ageSeconds = (this.#simulatedMs() - dataAt) / 1000;
    const judged = judgePorts(compiled, outcome.ports, ageSeconds, (contract, path) => this.#locate(contract, path));
    const checks = [...judged.checks, ...(this.#options.policyChecks?.(product.id) ?? [])];
    const rows = outcome.ports.reduce((sum, p) => sum + p.rows, 0);
    this.#ports.recordConsumed(product.id, consumed);
    const verdict = publishVerdict(checks);
    if (!verdict.publish) {
      return {
        ...this.#base(product.id, version),
        status: 'refused',
        rows,
        checks,
        durationMs: outcome.durationMs,
        problem: { message: verdict.message },
        ...(staleBecause.length > 0 ? { staleBecause } : {}),
      };
    }
    const next = version + 1;
    for (const run of outcome.ports) {
      this.#ports.publish({
        product: product.id,
        port: run.port,
        version: next,
        tick: this.#tick,
        simulatedAt: this.simulatedAt(),
        dataAt: new Date(dataAt).toISOString(),
        rows: run.rows,
        bytes: run.ipc.byteLength,
        hash: contentHash(run.ipc),
        ipc: run.ipc,
        columns: run.columns,
        checks: checks.filter((c) => c.port === run.port),
        profile: run.profile,
        freshness: judged.freshness.get(run.port) ?? judgeFreshness(ageSeconds, undefined),
        durationMs: outcome.durationMs,
      });
    }
    const status = staleBecause.length > 0 ? 'stale' : 'published';
    return {
      product: product.id,
      status,
      version: next,
      rows,
      checks,
      durationMs: outcome.durationMs,
      tick: this.#tick,
      ...(staleBecause.length > 0 ? { staleBecause } : {}),
    };
  }

  #takeCrashFault(product: string): boolean {
    const index = this.#faults.findIndex((f) => f.kind === 'crash' && f.product === product);
    if (index < 0) return false;
    this.#faults = this.#faults.filter((_, i) => i !== index);
    return true;
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

/** A fault carried into an edited mesh only while checkFault still accepts it there. */
function stillApplies(fault: Fault, mesh: Mesh): boolean {
  try {
    checkFault(fault, mesh.products);
    return true;
  } catch {
    return false;
  }
}

function base(product: string, version: number): Omit<ProductRun, 'status'> {
  return { product, version, rows: 0, checks: [], durationMs: 0, tick: 0 };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
