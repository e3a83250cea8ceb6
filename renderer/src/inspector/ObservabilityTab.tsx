import type { DataProduct, OutputPort } from '../../../core/model/types.ts';
import type { PortVersion } from '../../../core/run/runTypes.ts';
import { formatCount, formatDuration, formatShare, niceDuration } from './chartScale.ts';
import { BarChart, StackedChart } from './Charts.tsx';
import { rowCount } from '../components/runText.ts';

/** Versions drawn per chart: the newest ones; a long simulation would otherwise make hairline bars. */
export const CHART_VERSIONS = 30;

/** The observability port of each output port: rows, freshness and checks per version, and the latest profile. */
export function ObservabilityTab({
  product,
  portVersions,
}: {
  readonly product: DataProduct;
  readonly portVersions: ((port: string) => readonly PortVersion[]) | undefined;
}) {
  if (!portVersions) return <p className="inspector-empty">Run the mesh to see how each version of {product.name}’s ports did.</p>;
  if (product.outputPorts.length === 0) return <p className="inspector-empty">{product.name} has no output ports.</p>;
  return (
    <div className="observability-tab">
      {product.outputPorts.map((port) => (
        <PortObservability key={port.name} port={port} versions={portVersions(port.name)} />
      ))}
    </div>
  );
}

function PortObservability({ port, versions }: { readonly port: OutputPort; readonly versions: readonly PortVersion[] }) {
  const shown = versions.slice(-CHART_VERSIONS);
  const latest = versions[versions.length - 1];
  const labels = shown.map((v) => `v${v.version}`);
  const last = shown[shown.length - 1];
  const sla = shown.find((v) => v.freshness.latencySeconds !== undefined)?.freshness.latencySeconds;
  return (
    <section
      className="port-observability"
      aria-label={`Observability of ${port.name}`}
      data-testid="port-observability"
      data-port={port.name}
    >
      <h3>
        <code>{port.name}</code>{' '}
        <span className="form-help">
          {versions.length === 0
            ? 'no version published yet'
            : `${versions.length} version${versions.length === 1 ? '' : 's'}${versions.length > shown.length ? `, the last ${shown.length} drawn` : ''}`}
        </span>
      </h3>
      {versions.length > 0 && (
        <div className="chart-row">
          <BarChart
            title="Rows"
            latest={last ? last.rows.toLocaleString('en') : ''}
            labels={labels}
            values={shown.map((v) => v.rows)}
            format={formatCount}
          />
          <BarChart
            title="Freshness (age)"
            latest={last ? `${formatDuration(last.freshness.ageSeconds)}${last.freshness.late ? ', late' : ''}` : ''}
            labels={labels}
            values={shown.map((v) => v.freshness.ageSeconds)}
            highlight={shown.map((v) => v.freshness.late)}
            format={formatDuration}
            nice={niceDuration}
            {...(sla === undefined ? {} : { threshold: { value: sla, label: `SLA: at most ${formatDuration(sla)}` } })}
          />
          <StackedChart
            title="Checks"
            latest={last ? `${last.checks.filter((c) => c.passed).length} of ${last.checks.length} passed` : ''}
            labels={labels}
            names={['passed', 'failed']}
            series={shown.map((v) => [v.checks.filter((c) => c.passed).length, v.checks.filter((c) => !c.passed).length] as const)}
            format={formatCount}
          />
        </div>
      )}
      {latest && <Profile version={latest} />}
    </section>
  );
}

function Profile({ version }: { readonly version: PortVersion }) {
  if (version.profile.length === 0) return null;
  const failed = version.checks.filter((c) => !c.passed);
  return (
    <>
      <table className="profile-table">
        <caption>
          Columns of version {version.version} ({rowCount(version.rows)})
        </caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Null share</th>
            <th scope="col">Distinct</th>
          </tr>
        </thead>
        <tbody>
          {version.profile.map((column) => (
            <tr key={column.name}>
              <th scope="row">
                <code>{column.name}</code>
              </th>
              <td>
                <meter min={0} max={1} value={column.nullShare} aria-label={`Null share of ${column.name}`} />{' '}
                {formatShare(column.nullShare)}
              </td>
              {/* An estimate (tables above a million rows) is marked as such. */}
              <td className="vt-numeric" title={column.distinctExact === false ? 'estimated (HyperLogLog)' : undefined}>
                {column.distinctExact === false ? '≈ ' : ''}
                {column.distinct.toLocaleString('en')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {failed.length > 0 && (
        <ul className="failed-checks">
          {failed.map((c) => (
            <li key={c.id} className={`severity-${c.severity}`}>
              {c.severity === 'error' ? 'Failed' : 'Warning'}: {c.message}{' '}
              <span className="diagnostic-place">
                {c.file}:{c.line}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
