import { useMemo, useState } from 'react';
import type { DataProduct } from '../../../core/model/types.ts';
import type { PortVersion } from '../../../core/run/runTypes.ts';
import { decodePreview, type Preview } from './dataPreview.ts';
import { VirtualTable } from './VirtualTable.tsx';
import { rowCount } from '../components/runText.ts';
import { plural } from '../samples/meshSummary.ts';

/** The data of an output port: pick a port and one of its kept versions; rows in a virtualized table. */
export function DataTab({
  product,
  portVersions,
}: {
  readonly product: DataProduct;
  readonly portVersions: ((port: string) => readonly PortVersion[]) | undefined;
}) {
  const [portName, setPortName] = useState(product.outputPorts[0]?.name);
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const port = product.outputPorts.find((p) => p.name === portName) ?? product.outputPorts[0];
  const versions = port && portVersions ? portVersions(port.name) : [];
  const withData = versions.filter((v) => v.ipc !== undefined);
  const version = withData.find((v) => v.version === chosen) ?? withData[withData.length - 1];
  const decoded = useMemo(() => decode(version?.ipc), [version?.ipc]);

  if (!port) return <p className="inspector-empty">{product.name} has no output ports.</p>;
  return (
    <div className="data-tab">
      <div className="tab-toolbar">
        <label className="inline-field">
          Output port{' '}
          <select value={port.name} onChange={(e) => (setPortName(e.target.value), setChosen(undefined))}>
            {product.outputPorts.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {versions.length > 0 && (
          <label className="inline-field">
            Version{' '}
            <select value={version?.version ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
              {[...versions].reverse().map((v) => (
                <option key={v.version} value={v.version} disabled={v.ipc === undefined}>
                  {`v${v.version} · ${rowCount(v.rows)} · tick ${v.tick}${v.ipc === undefined ? ' (figures only)' : ''}`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!portVersions || versions.length === 0 ? (
        <p className="inspector-empty" data-testid="data-empty">
          {portVersions ? `“${port.name}” has not published a version yet. Run the mesh to see data.` : 'Run the mesh to see data.'}
        </p>
      ) : !version || !decoded ? (
        <p className="inspector-empty">Only the newest versions keep their rows; older ones keep their figures (see Observability).</p>
      ) : 'error' in decoded ? (
        <p className="inspector-notice severity-error" role="alert">
          Version {version.version} of “{port.name}” cannot be shown: {decoded.error}
        </p>
      ) : (
        <>
          <p className="data-summary">
            Version {version.version} of <code>{port.name}</code>: {rowCount(decoded.preview.rowCount)},{' '}
            {plural(decoded.preview.columns.length, 'column')}, published at{' '}
            {version.simulatedAt.replace('T', ' ').replace(/\.000Z$|Z$/, '')} (simulated)
          </p>
          <VirtualTable preview={decoded.preview} label={`Rows of ${port.name}, version ${version.version}`} />
        </>
      )}
    </div>
  );
}

function decode(ipc: Uint8Array | undefined): { preview: Preview } | { error: string } | undefined {
  if (!ipc) return undefined;
  try {
    return { preview: decodePreview(ipc) };
  } catch (error) {
    // Bytes that are not Arrow IPC: say so in words; there is nothing the user can fix here.
    return { error: `its data is not readable Arrow (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}
