import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * Cold figures (issue 15): what a person waits for. Every measurement is a fresh Node process,
 * as a user or a CI job starts it: `node bin/quanta.mjs run|check <mesh>` against the same work
 * on native DuckDB in a fresh process (coldNative.ts, bundled to plain JavaScript with esbuild
 * first, so the baseline loads no tsx and no TypeScript). The sides alternate within each round,
 * so drifting machine load hits both alike; the median of the rounds counts. Wall time is taken
 * here, from spawn to exit; peak RSS is the process's high-water mark, worker threads included,
 * from `/usr/bin/time -v` when present, else by polling /proc/<pid>/status (VmHWM).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';

export const COLD_MESHES = ['hello-mesh', 'daff'] as const;
export type ColdMesh = (typeof COLD_MESHES)[number];

/** The issue's targets: cold run ≤ 3× native (hello-mesh), ≤ 2× (daff); cold check ≤ 2×; whole `quanta run daff` ≤ 400 MB. */
export const COLD_TARGETS = {
  runHelloMesh: 3,
  runDaff: 2,
  checkDaff: 2,
  runDaffPeakRssMB: 400,
} as const;

export type RssSource = 'time -v' | 'VmHWM poll';

export interface ProcessSample {
  /** Epoch ms (performance.timeOrigin + performance.now()) just before the spawn. */
  readonly spawnedAt: number;
  readonly wallMs: number;
  readonly peakRssMB: number | undefined;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed (with its process group) after `timeoutMs`. */
  readonly timedOut: boolean;
}

export interface ProcessOptions {
  /** Kill the process and its process group past this; the sample says `timedOut`. */
  readonly timeoutMs?: number;
  /** Resolve whatever the exit code (by default, an exit code above 1 rejects). */
  readonly anyExit?: boolean;
}

// ---- pure helpers (test/unit/benchCold.test.ts) ----

/** The peak resident set size in kB from /proc/<pid>/status text (`VmHWM:   12345 kB`). */
export function parseVmHWM(status: string): number | undefined {
  const match = /^VmHWM:\s*(\d+)\s*kB\s*$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** The peak RSS in kB from GNU time's `-v` report (`Maximum resident set size (kbytes): 12345`). */
export function parseTimeVerbose(report: string): number | undefined {
  const match = /^\s*Maximum resident set size \(kbytes\):\s*(\d+)\s*$/m.exec(report);
  return match ? Number(match[1]) : undefined;
}

/** GNU time's `-v` report sits at the end of stderr; the child's own stderr comes before it. */
export function stripTimeVerbose(stderr: string): string {
  const at = stderr.search(/^\s*Command (being timed|exited with non-zero status)/m);
  return at < 0 ? stderr : stderr.slice(0, at);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const ratio2 = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

export interface TargetVerdict {
  /** `≤ 3×`, `≤ 400 MB`. */
  readonly target: string;
  readonly met: boolean;
}

export function targetVerdict(value: number, limit: number, unit: '×' | ' MB'): TargetVerdict {
  return { target: `≤ ${limit}${unit}`, met: Number.isFinite(value) && value <= limit };
}

/** "met" / "NOT met (2.4× over)": how far a figure is from its target, for the table. */
export function formatVerdict(value: number, limit: number, verdict: TargetVerdict): string {
  if (verdict.met) return 'met';
  if (!Number.isFinite(value)) return 'NOT met (no figure)';
  return `NOT met (${Math.round((value / limit) * 10) / 10}× the target)`;
}

// ---- processes ----

function readStatus(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Runs one fresh process from the repository root and waits for it. With /usr/bin/time, its
 * `-v` report gives the peak RSS; without, /proc/<pid>/status is polled every 10 ms (the last
 * reading before exit: a short final peak can be missed, which `rssSource` says).
 */
export function measureProcess(
  command: string,
  args: readonly string[],
  rss: RssSource,
  options: ProcessOptions = {},
): Promise<ProcessSample> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.timeOrigin + performance.now();
    const started = performance.now();
    const [file, argv] = rss === 'time -v' ? [TIME, ['-v', command, ...args]] : [command, [...args]];
    // Its own process group, so a timeout ends the command under /usr/bin/time and its children too.
    const child = spawn(file, argv, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
      detached: options.timeoutMs !== undefined,
    });
    let stdout = '';
    let stderr = '';
    let polledKB: number | undefined;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const poll =
      rss === 'VmHWM poll' && child.pid !== undefined
        ? setInterval(() => {
            const kB = parseVmHWM(readStatus(child.pid ?? -1) ?? '');
            if (kB !== undefined) polledKB = Math.max(polledKB ?? 0, kB);
          }, 10)
        : undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      const kB = rss === 'time -v' ? parseTimeVerbose(stderr) : polledKB;
      const own = rss === 'time -v' ? stripTimeVerbose(stderr) : stderr;
      const exitCode = code ?? 1;
      if (exitCode > 1 && options.anyExit !== true && !timedOut) {
        reject(new Error(`bench: ${command} ${args.join(' ')} exited with ${exitCode}:\n${own.slice(-2000)}`));
        return;
      }
      resolve({
        spawnedAt,
        wallMs,
        peakRssMB: kB === undefined ? undefined : Math.round(kB / 1024),
        exitCode,
        stdout,
        stderr: own,
        timedOut,
      });
    });
  });
}

/** coldNative.ts as one plain JavaScript file (esbuild, tsx's own dependency), under node_modules so @duckdb/node-api resolves. */
export async function bundleNative(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = `${ROOT}node_modules/.cache/quanta-bench`;
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}/coldNative.mjs`;
  await build({
    entryPoints: [`${ROOT}bench/coldNative.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

// ---- the figures ----

export interface ColdSide {
  /** Median wall time of the runs, ms. */
  readonly ms: number;
  readonly runsMs: readonly number[];
  /** Largest peak RSS over the runs, in MiB (the kernel's kB / 1024; the issue's "MB"). */
  readonly peakRssMB: number | undefined;
  readonly exitCode: number;
}

export interface ColdPair {
  readonly what: string;
  readonly quanta: ColdSide;
  readonly native: ColdSide;
  /** quanta median / native median. */
  readonly ratio: number;
  readonly target: number;
  readonly met: boolean;
  /** Output rows and failed checks (run), or the exit code (check), are the same on both sides. */
  readonly agree: boolean;
  readonly note?: string;
}

export interface ColdStartup {
  /** `node -e ''`. */
  readonly nodeMs: number;
  /** `node --import tsx -e "await import('./core/node/cli.ts')"`: Node plus tsx compiling the CLI's TypeScript. */
  readonly tsxCliMs: number;
  /** `node bin/quanta.mjs help`: the whole CLI loaded as `quanta` loads it (tsx, the CLI, the worker host and catalog modules), no mesh. */
  readonly cliHelpMs: number;
  /** The bundled native baseline loaded with no mesh (its usage line). */
  readonly nativeLoadMs: number;
}

export interface ColdResult {
  readonly runs: number;
  readonly pick: 'median';
  readonly rssSource: RssSource;
  readonly run: Record<ColdMesh, ColdPair>;
  readonly checkDaff: ColdPair;
  readonly runDaffPeakRssMB: number | undefined;
  readonly runDaffPeakRssMet: boolean;
  readonly startup: ColdStartup;
}

interface RunReport {
  readonly products?: readonly { readonly rows?: number; readonly checks?: readonly { readonly passed?: boolean }[] }[];
}

/** Output rows and failed checks over all products, from `quanta run --json`. */
export function quantaRunTotals(stdout: string): { rows: number; failed: number } | undefined {
  try {
    const products = (JSON.parse(stdout) as RunReport).products ?? [];
    return {
      rows: products.reduce((s, p) => s + (p.rows ?? 0), 0),
      failed: products.reduce((s, p) => s + (p.checks ?? []).filter((c) => c.passed !== true).length, 0),
    };
  } catch {
    return undefined;
  }
}

/** The baseline's JSON line; `{}` when it printed none (it failed: its stderr says why, in the pair's note). */
function nativeLine(stdout: string): { ms?: number; rows?: number; failed?: number; exitCode?: number } {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { ms?: number; rows?: number; failed?: number; exitCode?: number };
  } catch {
    return {};
  }
}

/** What a failed side of a pair said last on stderr, for the note. */
function failures(samples: readonly ProcessSample[]): string {
  const failed = samples.filter((s) => s.exitCode !== 0 && s.stderr.trim() !== '');
  return failed.length === 0
    ? ''
    : `; a run failed (exit ${failed[0]?.exitCode ?? '?'}): ${failed[0]?.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300) ?? ''}`;
}

function side(samples: readonly ProcessSample[]): ColdSide {
  const rss = samples.flatMap((s) => (s.peakRssMB === undefined ? [] : [s.peakRssMB]));
  return {
    ms: Math.round(median(samples.map((s) => s.wallMs)) * 10) / 10,
    runsMs: samples.map((s) => Math.round(s.wallMs)),
    peakRssMB: rss.length > 0 ? Math.max(...rss) : undefined,
    exitCode: samples.at(-1)?.exitCode ?? 1,
  };
}

export async function measureCold(options: { readonly runs: number; readonly log: (line: string) => void }): Promise<ColdResult> {
  const { runs, log } = options;
  const rss: RssSource = existsSync(TIME) ? 'time -v' : 'VmHWM poll';
  log(`cold: bundling the native baseline (bench/coldNative.ts) to plain JavaScript…`);
  const native = await bundleNative();
  const node = process.execPath;
  const once = (args: readonly string[]): Promise<ProcessSample> => measureProcess(node, args, rss);

  const samples = {
    node: [] as ProcessSample[],
    tsxCli: [] as ProcessSample[],
    cliHelp: [] as ProcessSample[],
    nativeLoad: [] as ProcessSample[],
    quantaRun: { 'hello-mesh': [] as ProcessSample[], daff: [] as ProcessSample[] },
    nativeRun: { 'hello-mesh': [] as ProcessSample[], daff: [] as ProcessSample[] },
    quantaCheck: [] as ProcessSample[],
    nativeCheck: [] as ProcessSample[],
  };
  for (let round = 1; round <= runs; round++) {
    log(`cold: round ${round} of ${runs} — node start, CLI load, quanta run/check vs native, each a fresh process…`);
    samples.node.push(await once(['-e', '']));
    samples.tsxCli.push(await once(['--import', 'tsx', '-e', "await import('./core/node/cli.ts')"]));
    samples.cliHelp.push(await once(['bin/quanta.mjs', 'help']));
    samples.nativeLoad.push(await once([native, 'load']));
    for (const mesh of COLD_MESHES) {
      samples.quantaRun[mesh].push(await once(['bin/quanta.mjs', 'run', `sample-meshes/${mesh}`, '--json']));
      samples.nativeRun[mesh].push(await once([native, 'run', `sample-meshes/${mesh}`]));
    }
    samples.quantaCheck.push(await once(['bin/quanta.mjs', 'check', 'sample-meshes/daff']));
    samples.nativeCheck.push(await once([native, 'check', 'sample-meshes/daff']));
  }

  const pair = (
    what: string,
    q: readonly ProcessSample[],
    n: readonly ProcessSample[],
    target: number,
    agree: boolean,
    note?: string,
  ): ColdPair => {
    const quanta = side(q);
    const nat = side(n);
    const r = ratio2(quanta.ms, nat.ms);
    return { what, quanta, native: nat, ratio: r, target, met: targetVerdict(r, target, '×').met, agree, ...(note ? { note } : {}) };
  };
  const runPair = (mesh: ColdMesh, target: number): ColdPair => {
    const q = samples.quantaRun[mesh];
    const n = samples.nativeRun[mesh];
    // Rows and failed checks (contract and policy); not passed ones: freshness is judged from the clock in the runtime, not in SQL.
    const quantaSide = q.map((s) => quantaRunTotals(s.stdout));
    const nativeSide = n.map((s) => nativeLine(s.stdout));
    const agree = quantaSide.every((t, i) => t !== undefined && t.rows === nativeSide[i]?.rows && t.failed === nativeSide[i]?.failed);
    const show = (rows: number | undefined, failed: number | undefined): string => `${rows ?? '?'} rows, ${failed ?? '?'} failed checks`;
    const note = agree
      ? undefined
      : `results differ: quanta ${quantaSide.map((t) => show(t?.rows, t?.failed)).join(' / ')}; native ${nativeSide.map((t) => show(t.rows, t.failed)).join(' / ')}` +
        failures(n);
    return pair(`quanta run sample-meshes/${mesh}`, q, n, target, agree, note);
  };
  const run = { 'hello-mesh': runPair('hello-mesh', COLD_TARGETS.runHelloMesh), daff: runPair('daff', COLD_TARGETS.runDaff) };
  const checkAgree = samples.quantaCheck.every((s, i) => s.exitCode === nativeLine(samples.nativeCheck[i]?.stdout ?? '').exitCode);
  const checkDaff = pair(
    'quanta check sample-meshes/daff',
    samples.quantaCheck,
    samples.nativeCheck,
    COLD_TARGETS.checkDaff,
    checkAgree,
    checkAgree ? undefined : `exit codes differ${failures(samples.nativeCheck)}`,
  );
  const rssDaff = run.daff.quanta.peakRssMB;
  const ms = (s: readonly ProcessSample[]): number => Math.round(median(s.map((x) => x.wallMs)) * 10) / 10;
  return {
    runs,
    pick: 'median',
    rssSource: rss,
    run,
    checkDaff,
    runDaffPeakRssMB: rssDaff,
    runDaffPeakRssMet: rssDaff !== undefined && targetVerdict(rssDaff, COLD_TARGETS.runDaffPeakRssMB, ' MB').met,
    startup: {
      nodeMs: ms(samples.node),
      tsxCliMs: ms(samples.tsxCli),
      cliHelpMs: ms(samples.cliHelp),
      nativeLoadMs: ms(samples.nativeLoad),
    },
  };
}

// ---- text ----

export type ColdRow = readonly [figure: string, value: number | string, target: string, verdict: string, what: string];

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** The cold table's rows: each figure with the issue's target beside it and whether it is met. */
export function coldRows(cold: ColdResult): ColdRow[] {
  const pairRow = (figure: string, p: ColdPair): ColdRow => {
    const verdict = targetVerdict(p.ratio, p.target, '×');
    const rss = `peak RSS ${p.quanta.peakRssMB ?? '?'} / ${p.native.peakRssMB ?? '?'} MB`;
    const runs = `runs ${p.quanta.runsMs.map(fmt).join('/')} vs ${p.native.runsMs.map(fmt).join('/')} ms`;
    return [
      figure,
      p.ratio,
      verdict.target,
      formatVerdict(p.ratio, p.target, verdict),
      `${p.what}: ${fmt(p.quanta.ms)} ms / native ${fmt(p.native.ms)} ms; ${rss}; ${runs}${p.agree ? '' : `; ${p.note ?? 'RESULTS DIFFER'}`}`,
    ];
  };
  const rss = cold.runDaffPeakRssMB ?? Number.NaN;
  const rssVerdict = targetVerdict(rss, COLD_TARGETS.runDaffPeakRssMB, ' MB');
  const s = cold.startup;
  const hello = cold.run['hello-mesh'].quanta.ms;
  const share = (ms: number): string => `${Math.round((ms / hello) * 100)}% of the cold hello-mesh run`;
  return [
    pairRow('coldRunVsNativeRatio hello-mesh', cold.run['hello-mesh']),
    pairRow('coldRunVsNativeRatio daff', cold.run.daff),
    pairRow('coldCheckVsNativeRatio daff', cold.checkDaff),
    [
      'coldRunDaffPeakRssMB',
      cold.runDaffPeakRssMB ?? '?',
      rssVerdict.target,
      formatVerdict(rss, COLD_TARGETS.runDaffPeakRssMB, rssVerdict),
      `whole \`quanta run daff\` process, worker threads included (${cold.rssSource})`,
    ],
    ['  node start', s.nodeMs, '', '', `node -e '' (${share(s.nodeMs)})`],
    ['  tsx + CLI TypeScript', s.tsxCliMs, '', '', `node --import tsx, import core/node/cli.ts (${share(s.tsxCliMs)})`],
    [
      '  whole CLI load',
      s.cliHelpMs,
      '',
      '',
      `node bin/quanta.mjs help: tsx, CLI, worker host and catalog modules, no mesh (${share(s.cliHelpMs)})`,
    ],
    ['  native baseline load', s.nativeLoadMs, '', '', 'the bundled coldNative.mjs and @duckdb/node-api, no mesh'],
  ];
}
