import type { NodeProps } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import type { DomainFlowNode } from './meshToFlow.ts';

/** A domain: a coloured, labelled box around its products (React Flow draws the products inside). */
function DomainNodeView({ data }: NodeProps<DomainFlowNode>) {
  const style = { '--domain-color': data.color, '--name-chars': [...data.name].length } as CSSProperties;
  return (
    <div className="domain-box" data-testid="domain-node" data-domain-id={data.domainId ?? ''} style={style}>
      <div className="domain-box-label">
        <span className="domain-box-name">{data.name}</span>
        {data.domainId !== undefined && (
          <span className="domain-box-meta">
            <code>{data.domainId}</code>
            {data.team !== undefined && <> · team {data.team}</>}
          </span>
        )}
      </div>
      {data.productCount === 0 && <p className="domain-box-empty">No data products yet.</p>}
    </div>
  );
}

export const DomainNode = memo(DomainNodeView);
