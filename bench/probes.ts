import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import type { GeneratedBatch } from '../core/generate/generator.ts';
import type { QuantumHost, QuantumLease } from '../core/run/runTypes.ts';
import type { RunRequest } from '../core/run/quantumProtocol.ts';
import { columnsToIpc } from '../workers/quantum/columnsToArrow.ts';
import { contentHash } from '../core/util/contentHash.ts';
import { compiledDuckDBModule, createNodeDuckDB } from '../workers/duckdb/nodeDuckDB.ts';

export type HostFactory = (size: number) => QuantumHost;

const MB = 1024 * 1024;
const readyRequest = (k: number): RunRequest => ({
  productId: `ready-${k}`,
  transform: { file: 'ready.sql', sql: 'SELECT 1 AS ok' },
  inputs: [],
  ports: [{ name: 'ready', checks: [] }],
});

async function acquireAll(host: QuantumHost, n: number, label: string): Promise<QuantumLease[]> {
  return Promise.all(Array.from({ length: n }, (_, k) => host.acquire(`${label}-${k}`)));
}

function expectOk(outcome: { ok: boolean; error?: { message: string } }, what: string): void {
  if (!outcome.ok) throw new Error(`bench: ${what} failed: ${outcome.error?.message ?? 'unknown error'}`);
}

export interface QuantaReady {
  readonly quanta: number;
  /** Compile the wasm (first use in this process), start N quanta and run one query on each. */
  readonly coldMs: number;
  /** The compile step alone, inside coldMs. */
  readonly compileMs: number;
  /** N more quanta from the already compiled module, in a new host. */
  readonly sharedMs: number;
}

/** Starts every quantum of a host's pool: N leases at once, one query each, all given back. */
export async function startPool(host: QuantumHost, n = host.size): Promise<number> {
  const started = performance.now();
  const leases = await acquireAll(host, n, 'ready');
  try {
    const outcomes = await Promise.all(leases.map((lease, k) => lease.quantum.run(readyRequest(k))));
    const ms = performance.now() - started;
    outcomes.forEach((o) => expectOk(o, 'a readiness query'));
    return ms;
  } finally {
    for (const lease of leases) lease.release();
  }
}

/** The DuckDB version inside the host's quanta. */
export async function quantumDuckDBVersion(host: QuantumHost): Promise<string> {
  const lease = await host.acquire('version');
  try {
    const outcome = await lease.quantum.run({
      productId: 'version',
      transform: { file: 'version.sql', sql: 'SELECT version() AS v' },
      inputs: [],
      ports: [{ name: 'version', checks: [] }],
    });
    if (!outcome.ok) throw new Error(`bench: asking a quantum for its DuckDB version failed: ${outcome.error.message}`);
    const ipc = outcome.ports[0]?.ipc;
    return ipc ? String(tableFromIPC(ipc).get(0)?.toJSON()['v'] ?? '?') : '?';
  } finally {
    lease.release();
  }
}

/**
 * Time until N quanta answer a query, through the same host the mesh run uses. Must run
 * before anything else in the process compiles the DuckDB wasm, or "cold" is not cold.
 * Returns the second ("shared") host with its N quanta started, for the caller to reuse.
 */
export async function measureQuantaReady(makeHost: HostFactory, n: number): Promise<{ ready: QuantaReady; host: QuantumHost }> {
  const started = performance.now();
  await compiledDuckDBModule();
  const compileMs = performance.now() - started;
  const cold = makeHost(n);
  let coldMs: number;
  try {
    coldMs = compileMs + (await startPool(cold));
  } finally {
    await cold.dispose();
  }
  const host = makeHost(n);
  try {
    const sharedMs = await startPool(host);
    return { ready: { quanta: n, coldMs, compileMs, sharedMs }, host };
  } catch (error) {
    await host.dispose();
    throw error;
  }
}

export interface EdgeThroughput {
  readonly rows: number;
  readonly bytes: number;
  /** Upstream quantum: SELECT * → Arrow IPC stream bytes in this thread. */
  readonly exportMs: number;
  /** Downstream quantum: the bytes → a table. */
  readonly importMs: number;
  /** bytes / (exportMs + importMs), MB = 10^6 bytes; best of `repeat`. */
  readonly mbPerSecond: number;
  /** The runtime also hashes every published version (contentHash, in JS on the main thread). */
  readonly hashMBps: number;
}

/** The edge table: six columns of the usual kinds (about 55 bytes of Arrow per row). */
function edgeTableSql(rows: number): string {
  return `SELECT i AS id, (i % 1000)::INTEGER AS k, i * 0.25 AS amount, ((i * 7919) % 10007) / 100.0 AS price,
  'customer-' || lpad(i::VARCHAR, 10, '0') AS name, DATE '1992-01-01' + (i % 2500)::INTEGER AS day
FROM range(${rows}) AS r(i)`;
}

/** One lineage edge: a port's table leaves its quantum as Arrow IPC and loads into another. */
export async function measureEdge(host: QuantumHost, rows: number, repeat: number): Promise<EdgeThroughput> {
  if (host.size < 2) throw new Error('bench: the lineage edge needs a host with two quanta');
  const [up, down] = await acquireAll(host, 2, 'edge');
  if (!up || !down) throw new Error('bench: the host did not lend two quanta');
  try {
    const made = await up.quantum.run({
      productId: 'edge-up',
      transform: {
        file: 'edge.sql',
        sql: edgeTableSql(rows),
      },
      inputs: [],
      ports: [{ name: 'edge', checks: [] }],
    });
    expectOk(made, 'creating the edge table');
    let best: EdgeThroughput | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      const out = await up.quantum.query('SELECT * FROM edge');
      const t1 = performance.now();
      if (!out.ok) throw new Error(`bench: exporting the edge table failed: ${out.error.message}`);
      await down.quantum.loadTable('edge_in', out.ipc);
      const t2 = performance.now();
      const check = await down.quantum.query('SELECT count(*) AS n FROM edge_in');
      expectOk(check, 'reading the loaded edge table');
      const h0 = performance.now();
      contentHash(out.ipc);
      const hashMs = performance.now() - h0;
      const mbPerSecond = out.ipc.byteLength / 1e6 / ((t2 - t0) / 1000);
      if (!best || mbPerSecond > best.mbPerSecond) {
        best = {
          rows,
          bytes: out.ipc.byteLength,
          exportMs: t1 - t0,
          importMs: t2 - t1,
          mbPerSecond,
          hashMBps: out.ipc.byteLength / 1e6 / (hashMs / 1000),
        };
      }
    }
    if (!best) throw new Error('bench: the edge needs at least one repeat');
    return best;
  } finally {
    up.release();
    down.release();
  }
}

/**
 * Process RSS: sampled on an interval (per phase) plus the kernel's high-water mark
 * (resourceUsage().maxRSS), which is exact even while a synchronous query blocks the
 * thread and no sample can be taken.
 */
export class RssSampler {
  readonly #phases = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #phase = '';
  #peak = 0;

  start(phase: string): void {
    this.stop();
    this.#phase = phase;
    this.#peak = process.memoryUsage.rss();
    this.#timer = setInterval(() => {
      this.#peak = Math.max(this.#peak, process.memoryUsage.rss());
    }, 20);
    this.#timer.unref(); // never keeps the process alive, e.g. after an error
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#peak = Math.max(this.#peak, process.memoryUsage.rss());
    this.#phases.set(this.#phase, Math.max(this.#phases.get(this.#phase) ?? 0, this.#peak / MB));
  }

  /** Peak sampled RSS per phase, MB. */
  phases(): Record<string, number> {
    return Object.fromEntries([...this.#phases].map(([k, v]) => [k, round1(v)]));
  }

  /** The process's peak RSS so far, MB (maxRSS is in KB). */
  static highWaterMB(): number {
    return round1(process.resourceUsage().maxRSS / 1024);
  }
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;

// ---- CPU profile of a run in this thread ----

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface CpuBreakdown {
  readonly totalMs: number;
  /** Where the CPU was, by the innermost frame: DuckDB-WASM code, apache-arrow, project JS, GC… */
  readonly byLeaf: Record<string, number>;
  /** Inclusive time under the innermost function of this repository on the stack (`file function`). */
  readonly byProjectFunction: Record<string, number>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function leafKind(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return 'idle / V8 internals';
  if (url.startsWith('wasm://')) return 'DuckDB-WASM engine (wasm)';
  if (url.includes('apache-arrow')) return 'apache-arrow (JS)';
  if (url.includes('@duckdb/duckdb-wasm')) return 'duckdb-wasm JS glue';
  if (url.includes('/core/generate/')) return 'row generator (core/generate, JS)';
  if (url.includes('/core/')) return 'core runtime (JS)';
  if (url.includes('/workers/')) return 'workers/ glue (JS)';
  if (url === '') return 'V8 builtins (no URL)';
  if (url.includes('node_modules')) return 'other npm packages (JS)';
  return 'other JS';
}

function projectFrame(frame: ProfileNode['callFrame']): string | undefined {
  const { url, functionName } = frame;
  if (!url.startsWith('file://')) return undefined;
  const path = fileURLToPath(url);
  if (!path.startsWith(REPO_ROOT) || path.includes('node_modules') || path.includes('/bench/')) return undefined;
  return `${path.slice(REPO_ROOT.length)} ${functionName || '(anonymous)'}`;
}

/** Runs `work` under the V8 sampling profiler and sums time by leaf kind and by project function. */
export async function profileCpu(work: () => Promise<void>): Promise<CpuBreakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    let profile: Profile | undefined;
    try {
      await work();
    } finally {
      profile = ((await session.post('Profiler.stop')) as { profile: Profile }).profile;
      await session.post('Profiler.disable');
    }
    return summarize(profile);
  } finally {
    session.disconnect();
  }
}

function summarize(profile: Profile): CpuBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = owner.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id);
    const here = node ? projectFrame(node.callFrame) : undefined;
    const up = parent.get(id);
    const result = here ?? (up === undefined ? '(outside project code)' : ownerOf(up));
    owner.set(id, result);
    return result;
  };
  const byLeaf = new Map<string, number>();
  const byProject = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    const ms = (deltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    const leaf = leafKind(node.callFrame);
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + ms);
    if (leaf !== 'idle / V8 internals' && leaf !== 'garbage collection') {
      const key = ownerOf(id);
      byProject.set(key, (byProject.get(key) ?? 0) + ms);
    } else {
      byProject.set(leaf, (byProject.get(leaf) ?? 0) + ms);
    }
  }
  const sorted = (m: Map<string, number>): Record<string, number> =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
  return { totalMs: Math.round(total), byLeaf: sorted(byLeaf), byProjectFunction: sorted(byProject) };
}

// ---- micro-benchmarks behind the profile: the two conversions a mesh run pays for ----

export interface ColumnsConversion {
  readonly source: string;
  readonly rows: number;
  readonly columns: number;
  /** The way quantum.ts loaded a `columns` input before: row objects → tableFromJSON → IPC stream. */
  readonly rowObjectsMs: number;
  /** Column-wise, as the quantum loads them now (workers/quantum/columnsToArrow.ts). */
  readonly columnWiseMs: number;
  readonly bytes: number;
}

/** Times the `columns` → Arrow conversion of one generated batch: row objects (before) and column-wise (now). */
export function measureColumnsConversion(source: string, batch: GeneratedBatch): ColumnsConversion {
  const rowsStarted = performance.now();
  const rows = Array.from({ length: batch.rowCount }, (_, r) =>
    Object.fromEntries(batch.columns.map((c, i) => [c, batch.values[i]?.[r] ?? null])),
  );
  const ipc = tableToIPC(tableFromJSON(rows), 'stream');
  const rowObjectsMs = performance.now() - rowsStarted;

  const columnsStarted = performance.now();
  columnsToIpc(batch.columns, batch.values);
  const columnWiseMs = performance.now() - columnsStarted;
  return { source, rows: batch.rowCount, columns: batch.columns.length, rowObjectsMs, columnWiseMs, bytes: ipc.byteLength };
}

export interface EdgeBreakdown {
  readonly bytes: number;
  /** DuckDB-WASM runs SELECT * and copies the result out as Arrow IPC *file* bytes. */
  readonly wasmQueryMs: number;
  /** quantum.ts re-frames the file as a stream: tableFromIPC + tableToIPC('stream'). */
  readonly reframeMs: number;
  /** Quantum.query decodes the bytes once more to count rows. */
  readonly countDecodeMs: number;
  /** The downstream quantum's insertArrowFromIPCStream. */
  readonly insertMs: number;
}

/** The steps of one edge on raw DuckDB-WASM bindings in this thread (best of `repeat`), to see which one costs. */
export async function measureEdgeSteps(rows: number, repeat: number): Promise<EdgeBreakdown> {
  const up = await createNodeDuckDB();
  const down = await createNodeDuckDB();
  const upConnection = up.connect();
  const downConnection = down.connect();
  try {
    upConnection.query(`CREATE TABLE edge AS ${edgeTableSql(rows)}`);
    let best: EdgeBreakdown | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      const file = upConnection.useUnsafe((bindings, id) => bindings.runQuery(id, 'SELECT * FROM edge'));
      const t1 = performance.now();
      const stream = tableToIPC(tableFromIPC(file), 'stream');
      const t2 = performance.now();
      void tableFromIPC(stream).numRows;
      const t3 = performance.now();
      downConnection.query('DROP TABLE IF EXISTS edge_in');
      const t4 = performance.now();
      downConnection.insertArrowFromIPCStream(stream, { name: 'edge_in', create: true });
      const t5 = performance.now();
      const steps = { bytes: stream.byteLength, wasmQueryMs: t1 - t0, reframeMs: t2 - t1, countDecodeMs: t3 - t2, insertMs: t5 - t4 };
      const total = (e: EdgeBreakdown): number => e.wasmQueryMs + e.reframeMs + e.countDecodeMs + e.insertMs;
      if (!best || total(steps) < total(best)) best = steps;
    }
    if (!best) throw new Error('bench: the edge needs at least one repeat');
    return best;
  } finally {
    upConnection.close();
    downConnection.close();
    await up.reset();
    await down.reset();
  }
}

// ---- other processes on the machine ----

/** Busy and total CPU seconds of the whole machine since boot (Linux /proc/stat; undefined elsewhere). */
function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / 100, total: (busy + idle + iowait) / 100 };
  } catch {
    return undefined;
  }
}

/** CPU seconds of this process's waited-for children (/proc/self/stat cutime + cstime, 100 ticks a second): the cold figures' processes. */
export function childrenCpuSeconds(stat = readProcSelfStat()): number {
  // After the command name (in parentheses, may hold spaces) come fields 3…; cutime and cstime are fields 16 and 17 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13] ?? 0);
  const cstime = Number(fields[14] ?? 0);
  return Number.isFinite(cutime + cstime) ? (cutime + cstime) / 100 : 0;
}

function readProcSelfStat(): string {
  try {
    return readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return '';
  }
}

/**
 * How much of the machine other processes used while the bench ran: machine busy CPU time
 * minus this process's own (all its threads) and its children's (the cold figures' fresh
 * processes), as a share of the machine's capacity. Another test run on a 2-core machine
 * skews every figure; this says so.
 */
export class MachineLoad {
  readonly #machine = machineCpuSeconds();
  readonly #own = process.cpuUsage();
  readonly #children = childrenCpuSeconds();

  /** Percent of the machine's CPU capacity used by other processes since construction; undefined off Linux. */
  othersPercent(): number | undefined {
    const now = machineCpuSeconds();
    if (!now || !this.#machine) return undefined;
    const own = process.cpuUsage(this.#own);
    const ownSeconds = (own.user + own.system) / 1e6 + childrenCpuSeconds() - this.#children;
    const total = now.total - this.#machine.total;
    if (total <= 0) return undefined;
    return round1(Math.max(0, ((now.busy - this.#machine.busy - ownSeconds) / total) * 100));
  }
}
