import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MemoryFileSystem } from '../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../core/load/loadMesh.ts';
import type { Mesh } from '../core/model/types.ts';
import { MeshRuntime } from '../core/run/meshRuntime.ts';
import type { QuantumHost } from '../core/run/runTypes.ts';
import { InProcessHost } from '../workers/node/inProcessHost.ts';
import { feltJson, formatFelt, measureFelt, type Felt, type FeltJson } from './felt.ts';
import { generateSources, runNative, type NativeRun } from './native.ts';
import {
  MachineLoad,
  measureColumnsConversion,
  measureEdge,
  measureEdgeSteps,
  measureQuantaReady,
  profileCpu,
  quantumDuckDBVersion,
  round1,
  RssSampler,
  startPool,
  type ColumnsConversion,
  type CpuBreakdown,
  type EdgeBreakdown,
  type EdgeThroughput,
  type HostFactory,
} from './probes.ts';
import { tpchMesh, type SourceMode } from './tpchMesh.ts';
import { formatNumber, table } from './textTable.ts';

const CORES = availableParallelism();
const USAGE = `npm run bench [-- options]

Runs a TPC-H-like mesh on DuckDB-WASM quanta and the same SQL on one native DuckDB
(threads=1), and measures quantum start-up, one lineage edge and peak memory. Progress goes
to stderr; the result to stdout.

  --json               print exactly one JSON object on stdout, nothing else
  --scale <n>          TPC-H scale factor (1 = 6,000,000 line items); default 0.02
  --sources <mode>     generator | sql | both (default both; the headline ratio is the first)
                         generator: quanta.yaml generator sources: the runtime generates rows in JS
                         sql:       the source products' transform.sql generates the rows in DuckDB
  --host <host>        worker | inprocess (default: worker if workers/node/workerHost.ts loads)
  --size <n>           quanta in the mesh's pool (default ${CORES}, the cores)
  --quanta <n>         quanta started for quantaReadyMs (default: --size; that pool then runs the mesh)
  --repeat <n>         runs per side, the best counts (default 10: V8 is still tiering DuckDB's
                       wasm up through the first 6 – 8 runs; a simulation runs many ticks on a
                       warm pool)
  --edge-rows <n>      rows of the lineage-edge table (default 500000, about 30 MB of Arrow)
  --no-canvas          skip the canvas figure (frames per second while panning a 500-product
                       mesh in Chromium; builds the web app first)
  --profile            also: CPU profile of one in-process mesh run, the columns→Arrow conversion
                       and the steps of one edge (adds about 20 s)
  --only <phases>      only these phases, comma-separated: warm (the TPC-H mesh vs native, quanta
                       ready, edge), cold, first, app, canvas, scaling; e.g. --only cold
                         cold:    fresh \`quanta run\` of hello-mesh and daff and \`quanta check daff\`
                                  processes vs the same work on native DuckDB (about 25 s a round)
                         first:   time to the first published product and wasm memory per quantum,
                                  fresh runs of hello-mesh and daff (about 20 s a round)
                         app:     the web app's first and warm Run all of daff in Chromium vs native
                         scaling: 14/100/500-product meshes and TPC-H at 0.02/0.2/1.0 (opt-in:
                                  about 3.5 minutes)
  --cold-runs <n>      rounds of cold processes (cold, first), the median counts (default 3)
  --no-cold            skip the cold figures
  --no-first           skip time to first published and memory per quantum
  --no-app             skip the app's Run all in Chromium
  --app-runs <n>       warm Run alls after the first, the best counts (default 6: the page's
                       quanta are still tiering up through the first 4 – 5)
  --scaling            also run the scaling phase
  --scaling-repeat <n> runs per side of each scaling figure, the best counts (default 2; scale 1: one)
  --scaling-timeout <s>  a scaling process still running after this is killed and reported as a hang (default 300)
  --scaling-scales <list>  TPC-H scales of the scaling phase (default 0.02,0.2,1); the edge is judged at the largest
  --help
`;

class UsageError extends Error {}

interface Options {
  readonly json: boolean;
  readonly scale: number;
  readonly sources: readonly SourceMode[];
  readonly host: 'worker' | 'inprocess' | 'auto';
  readonly size: number;
  readonly quanta: number;
  readonly repeat: number;
  readonly edgeRows: number;
  readonly profile: boolean;
  readonly phases: ReadonlySet<Phase>;
  readonly coldRuns: number;
  readonly appRuns: number;
  readonly scalingRepeat: number;
  readonly scalingTimeoutMs: number;
  readonly scalingScales: readonly number[];
}

const PHASES = ['warm', 'cold', 'first', 'app', 'canvas', 'scaling'] as const;
type Phase = (typeof PHASES)[number];
const isPhase = (name: string): name is Phase => (PHASES as readonly string[]).includes(name);

function parseOptions(argv: readonly string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        scale: { type: 'string', default: '0.02' },
        sources: { type: 'string', default: 'both' },
        host: { type: 'string', default: 'auto' },
        size: { type: 'string', default: String(CORES) },
        quanta: { type: 'string' },
        repeat: { type: 'string', default: '10' },
        'edge-rows': { type: 'string', default: '500000' },
        profile: { type: 'boolean', default: false },
        'no-canvas': { type: 'boolean', default: false },
        only: { type: 'string' },
        'cold-runs': { type: 'string', default: '3' },
        'no-cold': { type: 'boolean', default: false },
        'no-first': { type: 'boolean', default: false },
        'no-app': { type: 'boolean', default: false },
        'app-runs': { type: 'string', default: '6' },
        scaling: { type: 'boolean', default: false },
        'scaling-repeat': { type: 'string', default: '2' },
        'scaling-timeout': { type: 'string', default: '300' },
        'scaling-scales': { type: 'string', default: '0.02,0.2,1' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const number = (name: string, raw: string, integer: boolean, min: number, max: number): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const sources = v.sources;
  if (sources !== 'generator' && sources !== 'sql' && sources !== 'both')
    throw new UsageError(`--sources must be generator, sql or both, not "${sources}"`);
  const host = v.host;
  if (host !== 'worker' && host !== 'inprocess' && host !== 'auto')
    throw new UsageError(`--host must be worker or inprocess, not "${host}"`);
  const size = number('size', v.size, true, 1, 64);
  const phases = new Set<Phase>(['warm', 'cold', 'first', 'app', 'canvas']);
  if (v.scaling) phases.add('scaling');
  if (v.only !== undefined) {
    const named = v.only.split(',').map((p) => p.trim());
    const unknown = named.filter((p) => !isPhase(p));
    if (unknown.length > 0 || named.length === 0)
      throw new UsageError(`--only takes phases from ${PHASES.join(', ')}, not "${unknown.join(', ') || v.only}"`);
    phases.clear();
    for (const p of named) if (isPhase(p)) phases.add(p);
  }
  for (const [flag, phase] of [
    ['no-cold', 'cold'],
    ['no-first', 'first'],
    ['no-app', 'app'],
    ['no-canvas', 'canvas'],
  ] as const) {
    if (v[flag] !== true) continue;
    if (v.only !== undefined && phases.has(phase)) throw new UsageError(`--only ${phase} and --${flag} exclude each other`);
    phases.delete(phase);
  }
  return {
    json: v.json,
    scale: number('scale', v.scale, false, 0.0001, 10),
    sources: sources === 'both' ? ['generator', 'sql'] : [sources],
    host,
    size,
    quanta: v.quanta === undefined ? size : number('quanta', v.quanta, true, 1, 64),
    repeat: number('repeat', v.repeat, true, 1, 20),
    edgeRows: number('edge-rows', v['edge-rows'], true, 1000, 50_000_000),
    profile: v.profile,
    phases,
    coldRuns: number('cold-runs', v['cold-runs'], true, 1, 20),
    appRuns: number('app-runs', v['app-runs'], true, 1, 20),
    scalingRepeat: number('scaling-repeat', v['scaling-repeat'], true, 1, 10),
    scalingTimeoutMs: number('scaling-timeout', v['scaling-timeout'], true, 10, 3600) * 1000,
    scalingScales: v['scaling-scales'].split(',').map((raw) => number('scaling-scales', raw, false, 0.001, 10)),
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** WorkerHost is imported by path at run time, so the bench still runs (in-process) where it is missing or broken. */
async function loadWorkerHost(): Promise<{ factory: HostFactory } | { problem: string }> {
  const url = new URL('../workers/node/workerHost.ts', import.meta.url);
  if (!existsSync(url)) return { problem: 'workers/node/workerHost.ts does not exist' };
  try {
    const module: unknown = await import(url.href);
    const WorkerHost = (module as { WorkerHost?: unknown }).WorkerHost;
    if (typeof WorkerHost !== 'function') return { problem: 'workers/node/workerHost.ts does not export a WorkerHost class' };
    const Host = WorkerHost as new (size?: number) => QuantumHost;
    return { factory: (size) => new Host(size) };
  } catch (error) {
    return { problem: `workers/node/workerHost.ts did not load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function buildMesh(scale: number, sources: SourceMode): Promise<{ mesh: Mesh; fs: MemoryFileSystem }> {
  const { files } = tpchMesh(scale, sources);
  const fs = new MemoryFileSystem(files);
  const { mesh, diagnostics } = await loadMesh(fs);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((d) => `  ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
    throw new Error(`bench: the generated TPC-H mesh does not validate (${errors.length} errors):\n${lines.join('\n')}`);
  }
  return { mesh, fs };
}

interface ProductFigures {
  readonly product: string;
  readonly rows: number;
  /** Time inside the product's quantum (its run call), in the best mesh run. */
  readonly meshQuantumMs: number;
  readonly nativeLoadMs: number;
  readonly nativeTransformMs: number;
  readonly nativeChecksMs: number;
}

interface VariantResult {
  readonly sources: SourceMode;
  /** Mesh wall / native wall, the native side running the transforms and the contract checks (the target figure). */
  readonly meshVsNativeRatio: number;
  /** Mesh wall / native wall without the checks (the earlier baseline: transforms only). */
  readonly meshVsNativeTransformsOnlyRatio: number;
  readonly meshMs: number;
  readonly nativeMs: number;
  /** Best native run without its checks' time: wall minus checksMs of that run. */
  readonly nativeTransformsOnlyMs: number;
  readonly meshRunsMs: readonly number[];
  readonly nativeRunsMs: readonly number[];
  /** Generating the source rows in JS (the runtime's generator), outside the native wall time. */
  readonly nativeGenerateMs: number;
  readonly nativeLoadMs: number;
  readonly nativeTransformMs: number;
  /** Schema conformance and contract checks, summed over products (inside nativeMs). */
  readonly nativeChecksMs: number;
  /** The native engine as it reported itself: `SELECT version()` and current_setting('threads'). */
  readonly nativeVersion: string;
  readonly nativeThreads: number;
  readonly rowsMatch: boolean;
  /** Every product's passed and failed checks are the same in the mesh and natively. */
  readonly checksMatch: boolean;
  /** Checks judged natively, over all products. */
  readonly nativeChecks: number;
  readonly products: readonly ProductFigures[];
}

async function runVariant(sources: SourceMode, options: Options, host: QuantumHost, rss: RssSampler): Promise<VariantResult> {
  const { mesh, fs } = await buildMesh(options.scale, sources);
  rss.start(`mesh (${sources})`);
  const meshRuns: { ms: number; byProduct: Map<string, { ms: number; rows: number; passed: number; failed: number }> }[] = [];
  for (let r = 0; r < options.repeat; r++) {
    const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path), now: () => performance.now() });
    const started = performance.now();
    const report = await runtime.runAll();
    const ms = performance.now() - started;
    const bad = report.products.filter((p) => p.status !== 'published');
    if (bad.length > 0) {
      const lines = bad.map((p) => {
        const failed = p.checks.filter((c) => !c.passed).map((c) => c.message);
        return `  ${p.product}: ${p.status}${p.problem ? ` — ${p.problem.message}` : ''}${failed.length ? ` — ${failed.join('; ')}` : ''}`;
      });
      throw new Error(`bench: the mesh run (${sources} sources) did not publish every product:\n${lines.join('\n')}`);
    }
    const figures = report.products.map((p) => {
      const passed = p.checks.filter((c) => c.passed).length;
      return [p.product, { ms: p.durationMs, rows: p.rows, passed, failed: p.checks.length - passed }] as const;
    });
    meshRuns.push({ ms, byProduct: new Map(figures) });
    log(`  mesh run ${r + 1}/${options.repeat}: ${Math.round(ms)} ms`);
  }

  rss.start(`native (${sources})`);
  const { batches, ms: generateMs } = generateSources(mesh);
  const nativeRuns: NativeRun[] = [];
  for (let r = 0; r < options.repeat; r++) {
    const run = await runNative(mesh, batches, generateMs);
    nativeRuns.push(run);
    log(`  native run ${r + 1}/${options.repeat}: ${Math.round(run.wallMs)} ms`);
  }
  rss.stop();

  const bestMesh = meshRuns.reduce((a, b) => (b.ms < a.ms ? b : a));
  const bestNative = nativeRuns.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const transformsOnlyMs = Math.min(...nativeRuns.map((r) => r.wallMs - r.checksMs));
  let rowsMatch = true;
  let checksMatch = true;
  const products = bestNative.products.map((n): ProductFigures => {
    const m = bestMesh.byProduct.get(n.product);
    if (m?.rows !== n.rows) {
      rowsMatch = false;
      log(`  WARNING: ${n.product} has ${m?.rows ?? 'no'} rows in the mesh but ${n.rows} natively`);
    }
    if (m?.passed !== n.passedChecks || m.failed !== n.failedChecks) {
      checksMatch = false;
      log(
        `  WARNING: ${n.product} passed ${m?.passed ?? 'no'} and failed ${m?.failed ?? 'no'} checks in the mesh, ` +
          `${n.passedChecks} and ${n.failedChecks} natively`,
      );
    }
    return {
      product: n.product,
      rows: n.rows,
      meshQuantumMs: round1(m?.ms ?? 0),
      nativeLoadMs: round1(n.loadMs),
      nativeTransformMs: round1(n.transformMs),
      nativeChecksMs: round1(n.checksMs),
    };
  });
  return {
    sources,
    meshVsNativeRatio: ratio(bestMesh.ms, bestNative.wallMs),
    meshVsNativeTransformsOnlyRatio: ratio(bestMesh.ms, transformsOnlyMs),
    meshMs: round1(bestMesh.ms),
    nativeMs: round1(bestNative.wallMs),
    nativeTransformsOnlyMs: round1(transformsOnlyMs),
    meshRunsMs: meshRuns.map((r) => round1(r.ms)),
    nativeRunsMs: nativeRuns.map((r) => round1(r.wallMs)),
    nativeGenerateMs: round1(generateMs),
    nativeLoadMs: round1(bestNative.loadMs),
    nativeTransformMs: round1(bestNative.transformMs),
    nativeChecksMs: round1(bestNative.checksMs),
    nativeVersion: bestNative.version,
    nativeThreads: bestNative.threads,
    rowsMatch,
    checksMatch,
    nativeChecks: bestNative.products.reduce((s, p) => s + p.passedChecks + p.failedChecks, 0),
    products,
  };
}

interface ProfileResult extends CpuBreakdown {
  readonly host: 'inprocess';
  readonly sources: SourceMode;
  readonly wallMs: number;
  readonly columnsConversion: ColumnsConversion;
  readonly edgeSteps: EdgeBreakdown;
}

/** Diagnostics behind the figures: where a mesh run's CPU goes, and the two conversions it pays for. */
async function profile(options: Options, sources: SourceMode): Promise<ProfileResult> {
  const { mesh, fs } = await buildMesh(options.scale, sources);
  // In this thread one quantum runs at a time anyway: one quantum, started before the profile.
  const host = new InProcessHost(1);
  let wallMs = 0;
  let cpu: CpuBreakdown;
  try {
    await startPool(host);
    await new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }).runAll(); // warms the JIT
    cpu = await profileCpu(async () => {
      const started = performance.now();
      await new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }).runAll();
      wallMs = performance.now() - started;
    });
  } finally {
    await host.dispose();
  }
  const { mesh: generated } = await buildMesh(options.scale, 'generator');
  const { batches } = generateSources(generated);
  const [largest, batch] = [...batches].reduce((a, b) => (b[1].rowCount > a[1].rowCount ? b : a));
  measureColumnsConversion(largest, batch); // warm-up
  const columnsConversion = measureColumnsConversion(largest, batch);
  const edgeSteps = await measureEdgeSteps(options.edgeRows, 3);
  return { ...cpu, host: 'inprocess', sources, wallMs: round1(wallMs), columnsConversion, edgeSteps };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const benchStarted = performance.now();
  const machine = new MachineLoad();
  const loadAtStart = round1(loadavg()[0] ?? 0);
  const feltOptions = { ...options, log };
  if (!options.phases.has('warm')) {
    const felt = await measureFelt(feltOptions);
    const othersPercent = machine.othersPercent();
    const result: PartialResult = {
      ...feltJson(felt),
      node: process.version,
      cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
      loadAverage: { atStart: loadAtStart, atEnd: round1(loadavg()[0] ?? 0) },
      ...(othersPercent === undefined ? {} : { otherProcessesCpuPercent: othersPercent }),
      totalBenchMs: round1(performance.now() - benchStarted),
    };
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatFelt(felt, true) + formatMachine(result));
    return 0;
  }

  let hostName: 'worker' | 'inprocess' = 'inprocess';
  let hostNote: string | undefined;
  let makeHost: HostFactory = (size) => new InProcessHost(size);
  if (options.host !== 'inprocess') {
    const worker = await loadWorkerHost();
    if ('factory' in worker) {
      hostName = 'worker';
      makeHost = worker.factory;
    } else if (options.host === 'worker') {
      process.stderr.write(`bench: --host worker: ${worker.problem}\n`);
      return 1;
    } else {
      hostNote = `${worker.problem}; fell back to the in-process host`;
    }
  }
  log(`bench: ${hostName} host${hostNote ? ` (${hostNote})` : ''}, pool of ${options.size}, scale ${options.scale}`);

  const rss = new RssSampler();
  rss.start('quantaReady');
  log(`quanta ready: ${options.quanta} quanta cold, then ${options.quanta} more from the compiled module…`);
  const measured = await measureQuantaReady(makeHost, options.quanta);
  const ready = measured.ready;
  rss.stop();

  // The mesh runs on a started pool: starting one is what quantaReadyMs measures. That is
  // the readiness host when it has the pool's size, else a new host started off the clock.
  let host = measured.host;
  const variants: VariantResult[] = [];
  let edge: EdgeThroughput;
  let quantumVersion: string;
  try {
    if (options.quanta !== options.size) {
      await host.dispose();
      host = makeHost(options.size);
      log(`starting a pool of ${options.size} quanta for the mesh…`);
      await startPool(host);
    }
    quantumVersion = await quantumDuckDBVersion(host);
    for (const sources of options.sources) {
      log(`mesh vs native, ${sources} sources:`);
      variants.push(await runVariant(sources, options, host, rss));
    }
    rss.start('edge');
    log(`lineage edge: ${options.edgeRows} rows…`);
    if (host.size < 2) {
      await host.dispose();
      host = makeHost(2);
    }
    edge = await measureEdge(host, options.edgeRows, 3);
    rss.stop();
  } finally {
    await host.dispose();
  }
  const headline = variants[0];
  if (!headline) throw new Error('bench: no mesh variant ran');

  let profiled: ProfileResult | undefined;
  if (options.profile) {
    rss.start('profile');
    log(`profile: one in-process mesh run (${headline.sources} sources), the columns→Arrow conversion, one edge's steps…`);
    profiled = await profile(options, headline.sources);
    rss.stop();
  }

  // Fresh processes, one at a time, after the warm pool is gone; the browser last.
  const felt = await measureFelt(feltOptions);

  const othersPercent = machine.othersPercent();
  if (othersPercent !== undefined && othersPercent > 10)
    log(`bench: WARNING: other processes used ${othersPercent}% of the machine's CPU during the bench; the timings are skewed`);
  const info = tpchMesh(options.scale, headline.sources);
  const result: BenchResult = {
    meshVsNativeRatio: headline.meshVsNativeRatio,
    meshVsNativeTransformsOnlyRatio: headline.meshVsNativeTransformsOnlyRatio,
    sources: headline.sources,
    meshMs: headline.meshMs,
    nativeMs: headline.nativeMs,
    quantaReadyMs: { quanta: ready.quanta, cold: round1(ready.coldMs), compile: round1(ready.compileMs), shared: round1(ready.sharedMs) },
    edgeMBps: round1(edge.mbPerSecond),
    peakRssMB: RssSampler.highWaterMB(),
    ...feltJson(felt),
    scale: options.scale,
    rows: info.rows,
    sourceRows: info.sourceRows,
    products: info.products,
    domains: info.domains,
    host: hostName,
    ...(hostNote ? { hostNote } : {}),
    poolSize: options.size,
    repeat: options.repeat,
    engines: {
      quantum: `DuckDB-WASM ${quantumVersion}`,
      native: `DuckDB ${headline.nativeVersion} (@duckdb/node-api), threads=${headline.nativeThreads}`,
    },
    edge: {
      rows: edge.rows,
      bytes: edge.bytes,
      exportMs: round1(edge.exportMs),
      importMs: round1(edge.importMs),
      hashMBps: round1(edge.hashMBps),
    },
    rssByPhaseMB: rss.phases(),
    variants: Object.fromEntries(variants.map((v) => [v.sources, v])),
    ...(profiled ? { profile: roundProfile(profiled) } : {}),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    loadAverage: { atStart: loadAtStart, atEnd: round1(loadavg()[0] ?? 0) },
    ...(othersPercent === undefined ? {} : { otherProcessesCpuPercent: othersPercent }),
    totalBenchMs: round1(performance.now() - benchStarted),
  };
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatText(result, variants, profiled, felt));
  return 0;
}

function roundProfile(p: ProfileResult): ProfileResult {
  const c = p.columnsConversion;
  const e = p.edgeSteps;
  return {
    ...p,
    columnsConversion: { ...c, rowObjectsMs: round1(c.rowObjectsMs), columnWiseMs: round1(c.columnWiseMs) },
    edgeSteps: {
      bytes: e.bytes,
      wasmQueryMs: round1(e.wasmQueryMs),
      reframeMs: round1(e.reframeMs),
      countDecodeMs: round1(e.countDecodeMs),
      insertMs: round1(e.insertMs),
    },
  };
}

/** `--only` without warm: the selected phases' fields and the machine's. */
interface PartialResult extends FeltJson {
  readonly node: string;
  readonly cpu: string;
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  readonly otherProcessesCpuPercent?: number;
  readonly totalBenchMs: number;
}

/** The JSON document (`--json`); README.md describes each field. */
interface BenchResult extends FeltJson {
  readonly meshVsNativeRatio: number;
  readonly meshVsNativeTransformsOnlyRatio: number;
  readonly sources: SourceMode;
  readonly meshMs: number;
  readonly nativeMs: number;
  readonly quantaReadyMs: { readonly quanta: number; readonly cold: number; readonly compile: number; readonly shared: number };
  readonly edgeMBps: number;
  readonly peakRssMB: number;
  readonly scale: number;
  readonly rows: Record<string, number>;
  readonly sourceRows: number;
  readonly products: number;
  readonly domains: number;
  readonly host: 'worker' | 'inprocess';
  readonly hostNote?: string;
  readonly poolSize: number;
  readonly repeat: number;
  readonly engines: { readonly quantum: string; readonly native: string };
  readonly edge: {
    readonly rows: number;
    readonly bytes: number;
    readonly exportMs: number;
    readonly importMs: number;
    readonly hashMBps: number;
  };
  readonly rssByPhaseMB: Record<string, number>;
  readonly variants: Record<string, VariantResult>;
  readonly profile?: ProfileResult;
  readonly node: string;
  readonly cpu: string;
  /** 1-minute load average of the machine: other work running skews every timing. */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  /** Share of the machine's CPU other processes used during the bench (Linux only). */
  readonly otherProcessesCpuPercent?: number;
  readonly totalBenchMs: number;
}

// ---- text output ----

function formatText(r: BenchResult, variants: readonly VariantResult[], profiled: ProfileResult | undefined, felt: Felt): string {
  const out: string[] = [];
  const rows = Object.entries(r.rows)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(', ');
  out.push(`Quanta bench — TPC-H-like mesh at scale ${r.scale}: ${r.products} products in ${r.domains} domains`);
  out.push(`source rows: ${rows} (${formatNumber(r.sourceRows)} in all)`);
  out.push(`mesh: ${r.host} host${r.hostNote ? ` (${r.hostNote})` : ''}, pool of ${r.poolSize} quanta, ${r.engines.quantum}`);
  out.push(`native: ${r.engines.native}, one connection; best of ${r.repeat} runs per side\n`);

  out.push(
    table(
      ['figure', 'value', 'what'],
      [
        [
          'meshVsNativeRatio',
          r.meshVsNativeRatio,
          `mesh wall / native wall (transforms + contract checks), ${r.sources} sources (target ≤ 1.3)`,
        ],
        ...variants.flatMap((v): (readonly (string | number)[])[] => [
          [
            `  ${v.sources} sources`,
            v.meshVsNativeRatio,
            `mesh ${formatNumber(v.meshMs)} ms / native ${formatNumber(v.nativeMs)} ms (checks ${formatNumber(v.nativeChecksMs)} ms of it)`,
          ],
          [
            `    transforms only`,
            v.meshVsNativeTransformsOnlyRatio,
            `mesh ${formatNumber(v.meshMs)} ms / native without its checks ${formatNumber(v.nativeTransformsOnlyMs)} ms (the earlier baseline)`,
          ],
        ]),
        [
          'quantaReadyMs.cold',
          r.quantaReadyMs.cold,
          `${r.quantaReadyMs.quanta} quanta answer a query, from nothing (compiling the wasm: ${formatNumber(r.quantaReadyMs.compile)} ms)`,
        ],
        ['quantaReadyMs.shared', r.quantaReadyMs.shared, `${r.quantaReadyMs.quanta} more quanta, from the compiled module`],
        [
          'edgeMBps',
          r.edgeMBps,
          `${formatNumber(round1(r.edge.bytes / 1e6))} MB of Arrow IPC (${formatNumber(r.edge.rows)} rows): ` +
            `query→IPC ${formatNumber(r.edge.exportMs)} ms + loadTable ${formatNumber(r.edge.importMs)} ms`,
        ],
        ['  contentHash MB/s', r.edge.hashMBps, 'the runtime also hashes every published version, in JS'],
        ...(r.canvas
          ? [
              'fps' in r.canvas
                ? (['canvasFps', r.canvas.fps, `panning a ${r.canvas.products}-product mesh in Chromium (target ≥ 30)`] as const)
                : (['canvasFps', 'skipped', r.canvas.skipped] as const),
            ]
          : []),
        [
          'peakRssMB',
          r.peakRssMB,
          `process high-water mark; sampled by phase: ${Object.entries(r.rssByPhaseMB)
            .map(([k, v]) => `${k} ${formatNumber(v)}`)
            .join(', ')}`,
        ],
      ],
    ),
  );

  for (const v of variants) {
    out.push(`Per product, ${v.sources} sources — mesh: time inside the quantum's run; native: loading sources, transform, checks`);
    out.push(
      table(
        ['product', 'rows', 'mesh quantum ms', 'native load ms', 'native transform ms', 'native checks ms'],
        v.products.map((p) => [p.product, p.rows, p.meshQuantumMs, p.nativeLoadMs, p.nativeTransformMs, p.nativeChecksMs]),
      ),
    );
    const inQuanta = round1(v.products.reduce((s, p) => s + p.meshQuantumMs, 0));
    out.push(
      `sum inside quanta ${formatNumber(inQuanta)} ms (up to ${r.poolSize} at once); mesh runs ${v.meshRunsMs.map(formatNumber).join(' / ')} ms; ` +
        `native runs ${v.nativeRunsMs.map(formatNumber).join(' / ')} ms` +
        (v.sources === 'generator' ? `; generating the rows in JS: ${formatNumber(v.nativeGenerateMs)} ms` : '') +
        (v.rowsMatch ? '; row counts match' : '; ROW COUNTS DIFFER (see stderr)') +
        (v.checksMatch ? `; check verdicts match (${formatNumber(v.nativeChecks)} checks)` : '; CHECK VERDICTS DIFFER (see stderr)') +
        '\n',
    );
  }

  if (profiled) {
    const share = (ms: number): number => round1((ms / Math.max(1, profiled.totalMs)) * 100);
    const top = (rec: Record<string, number>, n: number): (readonly (string | number)[])[] =>
      Object.entries(rec)
        .slice(0, n)
        .map(([k, ms]) => [k, ms, share(ms)]);
    out.push(
      `Where a mesh run's time goes: CPU profile of one in-process run, ${profiled.sources} sources (${formatNumber(profiled.wallMs)} ms wall)`,
    );
    out.push(table(['innermost frame', 'ms', '%'], top(profiled.byLeaf, 12)));
    out.push(
      table(
        ['innermost function of this repo on the stack (incl. library and wasm callees)', 'ms', '%'],
        top(profiled.byProjectFunction, 15),
      ),
    );
    const c = profiled.columnsConversion;
    out.push(
      `columns→Arrow for "${c.source}" (${formatNumber(c.rows)} rows × ${c.columns} columns): ${formatNumber(c.rowObjectsMs)} ms through row objects and tableFromJSON (the old way), ` +
        `${formatNumber(c.columnWiseMs)} ms column-wise as quantum.ts loads them now (columnsToArrow.ts)`,
    );
    const e = profiled.edgeSteps;
    out.push(
      `one edge, ${formatNumber(round1(e.bytes / 1e6))} MB, raw bindings in this thread: wasm query→IPC file ${formatNumber(e.wasmQueryMs)} ms, ` +
        `re-frame file→stream ${formatNumber(e.reframeMs)} ms, decode to count rows ${formatNumber(e.countDecodeMs)} ms, insert ${formatNumber(e.insertMs)} ms\n`,
    );
  }
  const feltText = formatFelt(felt, false);
  if (feltText) out.push(feltText);
  out.push(formatMachine(r));
  return out.join('\n');
}

function formatMachine(r: Pick<BenchResult, 'otherProcessesCpuPercent' | 'totalBenchMs' | 'loadAverage'>): string {
  const others = r.otherProcessesCpuPercent;
  const busy = (others ?? 0) > 10 ? ' — other work skewed these timings' : '';
  return (
    `bench took ${formatNumber(round1(r.totalBenchMs / 1000))} s; other processes used ${others === undefined ? '?' : `${others}%`} of the ` +
    `machine's CPU meanwhile (load average ${r.loadAverage.atStart} at start, ${r.loadAverage.atEnd} at end, ${CORES} cores)${busy}\n`
  );
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
