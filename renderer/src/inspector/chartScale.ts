/**
 * Geometry of the Observability tab's small SVG charts, kept apart from React so the scaling
 * is unit-tested. Charts show one bar per version, oldest left; y grows downwards in SVG.
 */
export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A round number ≥ value (1, 2, 2.5, 5 × 10ⁿ), so the axis label reads well; 1 for 0 or less. */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const DURATION_UNITS: readonly (readonly [number, string])[] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
];

/** niceMax for seconds, rounded in the unit the axis will show (2 d, not 200,000 s = 2.3 d). */
export function niceDuration(seconds: number): number {
  const size = DURATION_UNITS.find(([unit]) => seconds >= unit)?.[0] ?? 1;
  return niceMax(seconds / size) * size;
}

/** Maps a value in [0, max] to a y in [height, 0]; values outside are clamped. */
export function yOf(value: number, max: number, height: number): number {
  const share = max > 0 ? Math.min(Math.max(value / max, 0), 1) : 0;
  return height - share * height;
}

/** Equal-width bars across `width` with a gap between them; a non-zero value is at least 1 px tall. */
export function bars(values: readonly number[], width: number, height: number, max: number, gap = 2): Bar[] {
  if (values.length === 0) return [];
  const slot = width / values.length;
  const barWidth = Math.max(1, slot - gap);
  return values.map((value, i) => {
    const y = yOf(value, max, height);
    const h = value > 0 ? Math.max(1, height - y) : 0;
    return { x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h };
  });
}

/** Stacked bars (e.g. checks passed below, failed above) sharing one scale. */
export function stackedBars(
  series: readonly (readonly [number, number])[],
  width: number,
  height: number,
  max: number,
  gap = 2,
): { readonly lower: Bar; readonly upper: Bar }[] {
  const totals = bars(
    series.map(([a, b]) => a + b),
    width,
    height,
    max,
    gap,
  );
  return totals.map((total, i) => {
    const [a, b] = series[i] ?? [0, 0];
    const lowerHeight = a + b > 0 ? (total.height * a) / (a + b) : 0;
    return {
      lower: { x: total.x, y: total.y + total.height - lowerHeight, width: total.width, height: lowerHeight },
      upper: { x: total.x, y: total.y, width: total.width, height: total.height - lowerHeight },
    };
  });
}

/** A duration in simulated seconds as people say it: `45 s`, `12 min`, `3 h`, `2.5 d`. */
export function formatDuration(seconds: number): string {
  for (const [size, unit] of DURATION_UNITS) if (Math.abs(seconds) >= size) return `${trim(seconds / size)} ${unit}`;
  return `${trim(seconds)} s`;
}

/** 1,234 → `1.2k`, 3,400,000 → `3.4M`: axis labels in little space. */
export function formatCount(value: number): string {
  if (Math.abs(value) >= 1_000_000) return `${trim(value / 1_000_000)}M`;
  if (Math.abs(value) >= 10_000) return `${trim(value / 1_000)}k`;
  return trim(value);
}

/** A share as a percentage; a non-zero share never shows as 0 %. */
export function formatShare(share: number): string {
  if (share === 0) return '0 %';
  if (share < 0.001) return '< 0.1 %';
  return `${Number((share * 100).toFixed(1))} %`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(1)));
}
