import { bars, niceMax, stackedBars, yOf } from './chartScale.ts';

const WIDTH = 240;
const HEIGHT = 72;

export interface ChartProps {
  readonly title: string;
  /** The newest version's figure in words, shown beside the title (a chart of zeros is otherwise blank). */
  readonly latest: string;
  /** One label per bar, e.g. `v3`. */
  readonly labels: readonly string[];
  readonly format: (value: number) => string;
}

/** Bars, one per version; `highlight` marks bars (late data) and `threshold` draws a dashed line (an SLA). */
export function BarChart({
  title,
  latest,
  labels,
  values,
  format,
  threshold,
  highlight,
  nice = niceMax,
}: ChartProps & {
  readonly values: readonly number[];
  /** Rounds the axis maximum up (niceDuration for durations). */
  readonly nice?: (max: number) => number;
  readonly threshold?: { readonly value: number; readonly label: string };
  readonly highlight?: readonly boolean[];
}) {
  const max = nice(Math.max(0, ...values, threshold?.value ?? 0));
  const geometry = bars(values, WIDTH, HEIGHT, max);
  const summary = `${title}: ${values.map((v, i) => `${labels[i] ?? ''} ${format(v)}${highlight?.[i] ? ' (late)' : ''}`).join(', ')}${
    threshold ? `; ${threshold.label}` : ''
  }`;
  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="chart-latest">{latest}</span>
      </figcaption>
      <svg viewBox={`0 -10 ${WIDTH + 44} ${HEIGHT + 30}`} role="img" aria-label={summary}>
        <Axis max={max} format={format} />
        <g transform="translate(40 0)">
          {geometry.map((bar, i) => (
            <rect key={i} {...bar} className={highlight?.[i] ? 'bar bar-late' : 'bar'}>
              <title>{`${labels[i] ?? ''}: ${format(values[i] ?? 0)}${highlight?.[i] ? ' (late)' : ''}`}</title>
            </rect>
          ))}
          {threshold && (
            <line className="threshold" x1={0} x2={WIDTH} y1={yOf(threshold.value, max, HEIGHT)} y2={yOf(threshold.value, max, HEIGHT)}>
              <title>{threshold.label}</title>
            </line>
          )}
          <XLabels labels={labels} />
        </g>
      </svg>
    </figure>
  );
}

/** Passed (lower) and failed (upper) counts per version on one scale. */
export function StackedChart({
  title,
  latest,
  labels,
  series,
  format,
  names,
}: ChartProps & { readonly series: readonly (readonly [number, number])[]; readonly names: readonly [string, string] }) {
  const max = niceMax(Math.max(0, ...series.map(([a, b]) => a + b)));
  const geometry = stackedBars(series, WIDTH, HEIGHT, max);
  const summary = `${title}: ${series.map(([a, b], i) => `${labels[i] ?? ''} ${a} ${names[0]}, ${b} ${names[1]}`).join('; ')}`;
  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="chart-latest">{latest}</span>
      </figcaption>
      <svg viewBox={`0 -10 ${WIDTH + 44} ${HEIGHT + 30}`} role="img" aria-label={summary}>
        <Axis max={max} format={format} />
        <g transform="translate(40 0)">
          {geometry.map(({ lower, upper }, i) => (
            <g key={i}>
              <title>{`${labels[i] ?? ''}: ${series[i]?.[0] ?? 0} ${names[0]}, ${series[i]?.[1] ?? 0} ${names[1]}`}</title>
              <rect {...lower} className="bar bar-passed" />
              {upper.height > 0 && <rect {...upper} className="bar bar-failed" />}
            </g>
          ))}
          <XLabels labels={labels} />
        </g>
      </svg>
      <p className="chart-legend" aria-hidden="true">
        <span className="legend legend-lower">{names[0]}</span> <span className="legend legend-upper">{names[1]}</span>
      </p>
    </figure>
  );
}

function Axis({ max, format }: { readonly max: number; readonly format: (value: number) => string }) {
  return (
    <g className="axis">
      <text x={36} y={4} textAnchor="end">
        {format(max)}
      </text>
      <text x={36} y={HEIGHT} textAnchor="end">
        0
      </text>
      <line x1={40} x2={40 + WIDTH} y1={HEIGHT + 0.5} y2={HEIGHT + 0.5} />
    </g>
  );
}

/** The first and last version under the bars; the rest are in each bar's tooltip. */
function XLabels({ labels }: { readonly labels: readonly string[] }) {
  if (labels.length === 0) return null;
  return (
    <g className="axis">
      <text x={0} y={HEIGHT + 16}>
        {labels[0]}
      </text>
      {labels.length > 1 && (
        <text x={WIDTH} y={HEIGHT + 16} textAnchor="end">
          {labels[labels.length - 1]}
        </text>
      )}
    </g>
  );
}
