import { checkSchemaConformance, compileContractChecks, evaluateCheck, quoteIdent } from '../contracts/contractChecks.ts';
import { MeshSourceGenerator } from '../generate/meshSources.ts';
import { indexPublishers, LineageGraph, resolveInputPort } from '../lineage/lineageGraph.ts';
import type { Contract, DataProduct, Mesh } from '../model/types.ts';
import { contentHash } from '../util/contentHash.ts';
import { locate } from '../yaml/sourceFile.ts';
import type { PortRequest, SourceInput } from './quantumProtocol.ts';
import type { CheckResult, MeshRunReport, PortVersion, ProductRun, QuantumHost, RunProblem, RuntimeEvent } from './runTypes.ts';

export interface MeshRuntimeOptions {
  readonly host: QuantumHost;
  /** Reads a mesh-relative file (seed data). */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Simulated time of tick 0, ISO. */
  readonly start?: string;
  /** Simulated length of one tick, in seconds. */
  readonly tickSeconds?: number;
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** Wall clock for durations, in ms (injectable: the pure core has no `performance`). */
  readonly now?: () => number;
}

/**
 * Runs a mesh: products in lineage order, independent ones in parallel up to the host's
 * pool size. Each product's quantum gets its inputs as Arrow IPC (the last *good* version
 * of each upstream port), runs its transform and measures its contract; a failing rule of
 * severity error refuses the publish, and the port keeps its last good version. Every
 * publish is a version in the port's history.
 */
export class MeshRuntime {
  readonly #mesh: Mesh;
  readonly #options: MeshRuntimeOptions;
  readonly #graph: LineageGraph;
  readonly #sources: MeshSourceGenerator;
  readonly #history = new Map<string, PortVersion[]>();
  readonly #latest = new Map<string, ProductRun>();
  #tick = 0;

  constructor(mesh: Mesh, options: MeshRuntimeOptions) {
    this.#mesh = mesh;
    this.#options = options;
    this.#graph = new LineageGraph(mesh.products);
    this.#sources = new MeshSourceGenerator(mesh.products);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  get tick(): number {
    return this.#tick;
  }

  simulatedAt(tick = this.#tick): string {
    const start = Date.parse(this.#options.start ?? '2026-11-01T00:00:00Z');
    return new Date(start + tick * (this.#options.tickSeconds ?? 3600) * 1000).toISOString();
  }

  /** All published versions of a port, oldest first. */
  history(product: string, port: string): readonly PortVersion[] {
    return this.#history.get(`${product}/${port}`) ?? [];
  }

  latestVersion(product: string, port: string): PortVersion | undefined {
    return this.history(product, port).at(-1);
  }

  lastRun(product: string): ProductRun | undefined {
    return this.#latest.get(product);
  }

  /** Advances simulated time by `ticks` and runs the mesh once per tick. */
  async advance(ticks = 1): Promise<MeshRunReport[]> {
    const reports: MeshRunReport[] = [];
    for (let i = 0; i < ticks; i++) {
      this.#tick++;
      reports.push(await this.runAll());
    }
    return reports;
  }

  async runAll(): Promise<MeshRunReport> {
    const started = this.#now();
    const byId = new Map(this.#mesh.products.map((p) => [p.id, p]));
    const { order, cycles } = this.#graph.topologicalOrder();
    const results = new Map<string, ProductRun>();
    for (const cycle of cycles) {
      for (const id of cycle)
        results.set(id, this.#finish(failed(id, { message: `in a lineage cycle (${cycle.join(' → ')}); it cannot run` })));
    }
    const pending = order.filter((id) => !results.has(id));
    const total = this.#mesh.products.length;
    const running = new Map<string, Promise<void>>();
    while (pending.length > 0 || running.size > 0) {
      for (const id of [...pending]) {
        if (running.size >= this.#options.host.size) break;
        if (!this.#graph.upstream(id).every((up) => results.has(up))) continue;
        pending.splice(pending.indexOf(id), 1);
        const product = byId.get(id);
        if (!product) continue;
        this.#options.onEvent?.({ type: 'started', product: id });
        const task = this.#runProduct(product, results).then((run) => {
          results.set(id, this.#finish(run));
          running.delete(id);
          this.#options.onEvent?.({ type: 'finished', run, done: results.size, total });
        });
        running.set(id, task);
      }
      if (running.size > 0) await Promise.race(running.values());
      else if (pending.length > 0) {
        // Only reachable when an upstream is not in the mesh order (never, short of a bug): fail loudly.
        for (const id of pending.splice(0))
          results.set(id, this.#finish(failed(id, { message: 'its upstream products could not be ordered' })));
      }
    }
    const products = this.#mesh.products.map((p) => results.get(p.id) ?? failed(p.id, { message: 'did not run' }));
    return { tick: this.#tick, simulatedAt: this.simulatedAt(), products, durationMs: this.#now() - started };
  }

  #finish(run: ProductRun): ProductRun {
    this.#latest.set(run.product, run);
    return run;
  }

  async #runProduct(product: DataProduct, results: ReadonlyMap<string, ProductRun>): Promise<ProductRun> {
    const started = this.#now();
    const inputs: SourceInput[] = [];
    const staleBecause = this.#graph.upstream(product.id).filter((up) => results.get(up)?.status !== 'published');
    const publishers = indexPublishers(this.#mesh.products);
    for (const port of product.inputPorts) {
      const publisher = resolveInputPort(publishers, port);
      const version = publisher && this.latestVersion(publisher.product.id, publisher.port.name);
      if (!publisher || !version) {
        const from = publisher ? `${publisher.product.id}.${publisher.port.name}` : port.contractId;
        return {
          ...base(product.id, this.#version(product)),
          status: 'stale',
          staleBecause,
          problem: { message: `cannot run: upstream ${from} has no published version yet` },
        };
      }
      inputs.push({ kind: 'arrow', name: port.name, ipc: version.ipc });
    }
    try {
      inputs.push(...(await this.#sourceInputs(product)));
    } catch (error) {
      return failed(product.id, { message: messageOf(error) }, this.#version(product));
    }

    const compiled = product.outputPorts.map((port) => ({ port, ...compilePort(port.name, port.contract) }));
    const ports: PortRequest[] = compiled.map(({ port, checks }) => ({
      name: port.name,
      checks: checks.map((c) => ({ id: c.id, sql: c.sql })),
    }));
    const lease = await this.#options.host.acquire(product.id);
    let outcome;
    try {
      if (product.settings?.simulation.memoryLimit) await lease.quantum.configure({ memoryLimit: product.settings.simulation.memoryLimit });
      const transform = product.transform ? { file: product.transform.path, sql: product.transform.text } : undefined;
      outcome = await lease.quantum.run({ productId: product.id, ...(transform ? { transform } : {}), inputs, ports });
      lease.release();
    } catch (error) {
      lease.discard();
      return failed(product.id, { message: `its quantum stopped: ${messageOf(error)}` }, this.#version(product));
    }
    if (!outcome.ok) {
      const { message, file, line } = outcome.error;
      return failed(
        product.id,
        { message, ...(file ? { file } : {}), ...(line ? { line } : {}) },
        this.#version(product),
        outcome.durationMs,
      );
    }

    const checks: CheckResult[] = [];
    for (const { port, checks: portChecks, table } of compiled) {
      const run = outcome.ports.find((p) => p.port === port.name);
      const contract = port.contract;
      if (!run || !contract) continue;
      for (const problem of checkSchemaConformance(contract, table, run.columns)) {
        checks.push(this.#result(contract, port.name, `${table}.${problem.column}.schema`, problem.message, 'error', false, problem.path));
      }
      for (const check of portChecks) {
        const measured = run.measurements.find((m) => m.id === check.id);
        if (!measured || measured.error !== undefined) {
          checks.push(
            this.#result(
              contract,
              port.name,
              check.id,
              `${check.description || check.id}: the check's SQL failed: ${measured?.error ?? 'not measured'}`,
              check.severity,
              false,
              check.path,
            ),
          );
          continue;
        }
        const verdict = evaluateCheck(check, measured.value, measured.total);
        checks.push(this.#result(contract, port.name, check.id, verdict.message, check.severity, verdict.passed, check.path));
      }
    }
    const rows = outcome.ports.reduce((sum, p) => sum + p.rows, 0);
    if (checks.some((c) => !c.passed && c.severity === 'error')) {
      return { ...base(product.id, this.#version(product)), status: 'refused', rows, checks, durationMs: outcome.durationMs };
    }
    const version = this.#version(product) + 1;
    for (const run of outcome.ports) {
      const key = `${product.id}/${run.port}`;
      const entry: PortVersion = {
        product: product.id,
        port: run.port,
        version,
        tick: this.#tick,
        simulatedAt: this.simulatedAt(),
        rows: run.rows,
        bytes: run.ipc.byteLength,
        hash: contentHash(run.ipc),
        ipc: run.ipc,
        checks: checks.filter((c) => c.port === run.port),
        profile: run.profile,
        durationMs: this.#now() - started,
      };
      this.#history.set(key, [...(this.#history.get(key) ?? []), entry]);
    }
    const status = staleBecause.length > 0 ? 'stale' : 'published';
    return {
      product: product.id,
      status,
      version,
      rows,
      checks,
      durationMs: outcome.durationMs,
      ...(staleBecause.length > 0 ? { staleBecause } : {}),
    };
  }

  #version(product: DataProduct): number {
    const first = product.outputPorts[0];
    return first ? (this.latestVersion(product.id, first.name)?.version ?? 0) : 0;
  }

  async #sourceInputs(product: DataProduct): Promise<SourceInput[]> {
    const inputs: SourceInput[] = [];
    for (const source of product.settings?.sources ?? []) {
      if (source.generator) {
        // A source holds everything emitted so far: the initial load plus each tick's rows.
        const batches = Array.from({ length: this.#tick + 1 }, (_, t) => this.#sources.batch(product.id, source.name, t));
        const first = batches[0];
        if (!first) continue;
        inputs.push({
          kind: 'columns',
          name: source.name,
          columns: first.columns,
          values: first.columns.map((_, c) => batches.flatMap((b) => b.values[c] ?? [])),
        });
      } else if (source.resolvedFile) {
        if (source.format === 'parquet')
          throw new Error(`${source.resolvedFile}: Parquet seed files are not supported yet; convert it to CSV or JSON lines`);
        const bytes = await this.#options.readFile(source.resolvedFile);
        inputs.push({ kind: source.format === 'jsonl' ? 'jsonl' : 'csv', name: source.name, file: source.resolvedFile, bytes });
      }
    }
    return inputs;
  }

  #result(
    contract: Contract,
    port: string,
    id: string,
    message: string,
    severity: 'error' | 'warning',
    passed: boolean,
    path: readonly (string | number)[],
  ): CheckResult {
    const file = this.#mesh.files.get(contract.file);
    const at = file && 'doc' in file ? locate(file, path) : { line: 1, column: 1 };
    return { id, port, description: message, severity, passed, message, file: contract.file, line: at.line, column: at.column };
  }
}

/** A port's checks, with the contract's table read from the port's table in the quantum. */
function compilePort(
  portName: string,
  contract: Contract | undefined,
): { checks: ReturnType<typeof compileContractChecks>['checks']; table: string } {
  if (!contract) return { checks: [], table: portName };
  // By convention the contract's (first) table is the port; name it so in the SQL either way.
  const table = contract.tables.find((t) => t.name === portName)?.name ?? contract.tables[0]?.name ?? portName;
  const { checks } = compileContractChecks(contract, (name) => (name === table ? quoteIdent(portName) : quoteIdent(name)));
  return { checks, table };
}

function base(product: string, version: number): Omit<ProductRun, 'status'> {
  return { product, version, rows: 0, checks: [], durationMs: 0 };
}

function failed(product: string, problem: RunProblem, version = 0, durationMs = 0): ProductRun {
  return { ...base(product, version), status: 'failed', problem, durationMs };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
