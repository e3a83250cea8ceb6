import { describe, expect, it } from 'vitest';
import {
  bars,
  formatCount,
  formatDuration,
  formatShare,
  niceDuration,
  niceMax,
  stackedBars,
  yOf,
} from '../../renderer/src/inspector/chartScale.ts';

/* The Observability tab's chart geometry and labels. */
describe('chart scaling', () => {
  it('rounds the axis maximum up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 11, 24, 26, 480, 120_000, -4].map(niceMax)).toEqual([1, 0.5, 1, 10, 20, 25, 50, 500, 200_000, 1]);
  });

  it('rounds a duration axis in the unit it is shown in', () => {
    expect([172_800, 100_000, 5_400, 45, 0].map((s) => formatDuration(niceDuration(s)))).toEqual(['2 d', '2 d', '2 h', '50 s', '1 s']);
  });

  it('maps values to SVG y (down is zero) and clamps those outside the axis', () => {
    expect([yOf(0, 100, 72), yOf(50, 100, 72), yOf(100, 100, 72), yOf(150, 100, 72), yOf(-3, 100, 72)]).toEqual([72, 36, 0, 0, 72]);
  });

  it('lays equal bars side by side, standing on the baseline, heights proportional to values', () => {
    const [a, b, c] = bars([10, 5, 0], 300, 100, 10, 2);
    expect(a).toEqual({ x: 1, y: 0, width: 98, height: 100 });
    expect(b).toEqual({ x: 101, y: 50, width: 98, height: 50 });
    expect(c).toEqual({ x: 201, y: 100, width: 98, height: 0 });
    expect(bars([], 300, 100, 10)).toEqual([]);
  });

  it('keeps a tiny non-zero value visible as a 1 px bar', () => {
    expect(bars([1, 1_000_000], 100, 50, 1_000_000)[0]?.height).toBe(1);
  });

  it('stacks failed checks on top of passed ones in one bar', () => {
    const [bar] = stackedBars([[3, 1]], 100, 80, 4, 0);
    expect(bar!.lower).toEqual({ x: 0, y: 20, width: 100, height: 60 });
    expect(bar!.upper).toEqual({ x: 0, y: 0, width: 100, height: 20 });
    const [none] = stackedBars([[0, 0]], 100, 80, 4, 0);
    expect(none!.lower.height + none!.upper.height).toBe(0);
  });
});

describe('chart labels', () => {
  it('say durations in the largest whole unit', () => {
    expect([45, 90, 3_600, 5_400, 86_400, 216_000].map(formatDuration)).toEqual(['45 s', '1.5 min', '1 h', '1.5 h', '1 d', '2.5 d']);
  });

  it('shorten counts for axes and never hide a null share as 0 %', () => {
    expect([999, 9_999, 12_345, 120_000, 3_400_000].map(formatCount)).toEqual(['999', '9999', '12.3k', '120k', '3.4M']);
    expect([0, 0.0004, 0.25, 1].map(formatShare)).toEqual(['0 %', '< 0.1 %', '25 %', '100 %']);
  });
});
