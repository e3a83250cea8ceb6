import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, type CSSProperties } from 'react';
import { ChangedSinceRun, RunBadge, RunDetails } from '../components/ProductRunStatus.tsx';
import { inputHandle, outputHandle } from './geometry.ts';
import type { ProductFlowNode } from './meshToFlow.ts';

/**
 * A data product on the canvas: name, run status, id and archetype, then one row per port —
 * inputs with their handle on the left edge, outputs on the right — and its last run. Rows
 * have the fixed height of geometry.ts, so the handles sit where elk put the ports.
 */
function ProductNodeView({ id, data }: NodeProps<ProductFlowNode>) {
  const rows = Math.max(1, data.inputs.length, data.outputs.length);
  // React Flow measures handles once: a port added or removed by an edit must be measured
  // again, or the edge to a new input port is not drawn until the next reload.
  const updateNodeInternals = useUpdateNodeInternals();
  const ports = `${data.inputs.join('\u0000')}\u0001${data.outputs.join('\u0000')}`;
  useEffect(() => updateNodeInternals(id), [id, ports, updateNodeInternals]);
  const style = { '--domain-color': data.color } as CSSProperties;
  return (
    <div
      className={`product-card${data.highlighted ? ' product-highlighted' : ''}`}
      data-testid="product-node"
      data-product-id={id}
      data-status={data.status}
      data-changed={data.run?.changedSinceRun === true ? 'true' : undefined}
      style={style}
    >
      <div className="product-card-header">
        <span className="product-card-name" title={data.name}>
          {data.name}
        </span>
        <RunBadge state={{ status: data.status }} />
        <code className="product-card-id" title={id}>
          {id}
        </code>
        <span className="product-card-tags">
          {data.badge > 0 && (
            <span className="violation-badge" title={`${data.badge} policy violation${data.badge === 1 ? '' : 's'}`}>
              {data.badge} ⚠
            </span>
          )}
          <span className={`archetype archetype-${data.archetype ?? 'unknown'}`}>{data.archetype ?? 'no archetype'}</span>
        </span>
      </div>
      <ul className="product-card-ports" aria-label="Ports">
        {Array.from({ length: rows }, (_, i) => {
          const input = data.inputs[i];
          const output = data.outputs[i];
          return (
            <li key={i} className="port-row">
              {input !== undefined && (
                <>
                  <Handle type="target" position={Position.Left} id={inputHandle(input)} isConnectableStart={false} />
                  <span className="port port-in" title={`input port ${input}`}>
                    {input}
                  </span>
                </>
              )}
              {output !== undefined && (
                <>
                  <span className="port port-out" title={`output port ${output}`}>
                    {output}
                  </span>
                  <Handle type="source" position={Position.Right} id={outputHandle(output)} isConnectableEnd={false} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      <div className="product-card-footer">
        {data.run?.changedSinceRun && <ChangedSinceRun />}
        {data.run && <RunDetails state={{ ...data.run, status: data.status }} />}
      </div>
    </div>
  );
}

export const ProductNode = memo(ProductNodeView);
