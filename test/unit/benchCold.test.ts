import { describe, expect, it } from 'vitest';
import {
  coldRows,
  formatVerdict,
  median,
  parseTimeVerbose,
  parseVmHWM,
  quantaRunTotals,
  stripTimeVerbose,
  targetVerdict,
  type ColdPair,
  type ColdResult,
} from '../../bench/cold.ts';
import { childrenCpuSeconds } from '../../bench/probes.ts';

// The bench's cold figures (bench/cold.ts): only its pure helpers are tested; no timing is asserted.

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234568 kB
VmSize:\t 1200000 kB
VmHWM:\t  645120 kB
VmRSS:\t  600000 kB
Threads:\t11
`;

const TIME_REPORT = `quanta run: 2 products published
\tCommand being timed: "node bin/quanta.mjs run sample-meshes/hello-mesh --json"
\tUser time (seconds): 7.01
\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:05.72
\tMaximum resident set size (kbytes): 644556
\tExit status: 0
`;

describe('reading peak memory', () => {
  it('reads VmHWM from /proc/<pid>/status, not VmPeak or VmRSS', () => {
    expect(parseVmHWM(STATUS)).toBe(645120);
  });

  it('reads no VmHWM from the status of a process that has exited (a zombie has no memory lines)', () => {
    expect(parseVmHWM('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });

  it("reads the maximum resident set size from GNU time's -v report", () => {
    expect(parseTimeVerbose(TIME_REPORT)).toBe(644556);
    expect(parseTimeVerbose('no report here')).toBeUndefined();
  });

  it("keeps the child's own stderr and drops time's report after it", () => {
    expect(stripTimeVerbose(TIME_REPORT)).toBe('quanta run: 2 products published\n');
    expect(stripTimeVerbose('only the child\n')).toBe('only the child\n');
    expect(stripTimeVerbose('oops\n\tCommand exited with non-zero status 2\n\tCommand being timed: "x"\n')).toBe('oops\n');
  });

  it("reads the waited-for children's CPU seconds from /proc/self/stat, a command name with spaces and parentheses included", () => {
    const fields = ['S', '1', '1', '1', '0', '-1', '4194560', '100', '0', '0', '0', '250', '30', '700', '50', '20', '0'];
    expect(childrenCpuSeconds(`4242 (node (x) y) ${fields.join(' ')}`)).toBe(7.5);
    expect(childrenCpuSeconds('')).toBe(0);
  });
});

describe('cold figures against their targets', () => {
  it('takes the median: the middle run, or the mean of the middle two', () => {
    expect(median([9000, 5000, 6000])).toBe(6000);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('meets a target at or under the limit and says how far over one is', () => {
    expect(targetVerdict(3, 3, '×')).toEqual({ target: '≤ 3×', met: true });
    const over = targetVerdict(10.14, 3, '×');
    expect(over.met).toBe(false);
    expect(formatVerdict(10.14, 3, over)).toBe('NOT met (3.4× the target)');
    expect(targetVerdict(749, 400, ' MB')).toEqual({ target: '≤ 400 MB', met: false });
    expect(formatVerdict(Number.NaN, 400, targetVerdict(Number.NaN, 400, ' MB'))).toBe('NOT met (no figure)');
  });

  const pair = (what: string, quantaMs: number, nativeMs: number, target: number, agree = true): ColdPair => ({
    what,
    quanta: { ms: quantaMs, runsMs: [quantaMs], peakRssMB: 600, exitCode: 0 },
    native: { ms: nativeMs, runsMs: [nativeMs], peakRssMB: 120, exitCode: 0 },
    ratio: Math.round((quantaMs / nativeMs) * 100) / 100,
    target,
    met: quantaMs / nativeMs <= target,
    agree,
    ...(agree ? {} : { note: 'results differ: quanta 128 rows, native 120 rows' }),
  });

  const result: ColdResult = {
    runs: 1,
    pick: 'median',
    rssSource: 'time -v',
    run: {
      'hello-mesh': pair('quanta run sample-meshes/hello-mesh', 6000, 500, 3),
      daff: pair('quanta run sample-meshes/daff', 3000, 1500, 2, false),
    },
    checkDaff: pair('quanta check sample-meshes/daff', 1000, 800, 2),
    runDaffPeakRssMB: 380,
    runDaffPeakRssMet: true,
    startup: { nodeMs: 60, tsxCliMs: 780, cliHelpMs: 820, nativeLoadMs: 290 },
  };

  it('puts each figure beside its target and whether it is met', () => {
    const rows = coldRows(result);
    const byFigure = new Map(rows.map((r) => [r[0], r]));
    expect(byFigure.get('coldRunVsNativeRatio hello-mesh')?.slice(1, 4)).toEqual([12, '≤ 3×', 'NOT met (4× the target)']);
    expect(byFigure.get('coldRunVsNativeRatio daff')?.slice(1, 4)).toEqual([2, '≤ 2×', 'met']);
    expect(byFigure.get('coldCheckVsNativeRatio daff')?.slice(1, 4)).toEqual([1.25, '≤ 2×', 'met']);
    expect(byFigure.get('coldRunDaffPeakRssMB')?.slice(1, 4)).toEqual([380, '≤ 400 MB', 'met']);
  });

  it('says when the two sides did not produce the same rows', () => {
    const daff = coldRows(result).find((r) => r[0] === 'coldRunVsNativeRatio daff');
    expect(daff?.[4]).toContain('results differ: quanta 128 rows, native 120 rows');
  });

  it("gives the CLI's load as a share of the cold hello-mesh run", () => {
    const load = coldRows(result).find((r) => r[0] === '  whole CLI load');
    expect(load?.[1]).toBe(820);
    expect(load?.[4]).toContain('14% of the cold hello-mesh run');
  });
});

describe("reading quanta run's JSON report", () => {
  it('sums output rows and failed checks over the products', () => {
    const report = {
      products: [
        { id: 'a', rows: 120, checks: [{ passed: true }, { passed: false }] },
        { id: 'b', rows: 8, checks: [{ passed: true }] },
      ],
    };
    expect(quantaRunTotals(JSON.stringify(report))).toEqual({ rows: 128, failed: 1 });
    expect(quantaRunTotals('not json')).toBeUndefined();
  });
});
