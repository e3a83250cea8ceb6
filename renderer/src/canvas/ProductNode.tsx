import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useContext, useEffect, type CSSProperties } from 'react';
import { ChangedSinceRun, RunBadge, RunDetails, WarningBadge } from '../components/ProductRunStatus.tsx';
import { problemLines } from '../components/runText.ts';
import { CanvasActionsContext } from './canvasContext.ts';
import { inputHandle, outputHandle, productHeight } from './geometry.ts';
import { longestWord } from './levelOfDetail.ts';
import type { ProductFlowNode } from './meshToFlow.ts';
import { problemWords } from './problems.ts';

/**
 * A data product on the canvas: name, run status, id and archetype, then one row per port —
 * inputs with their handle on the left edge, outputs on the right — and one line on its last
 * run. Rows have the fixed height of geometry.ts, so the handles sit where elk put the ports;
 * problems are a count on a badge (the words are in the canvas's problem list), so nothing a
 * run reports grows the card. Zoomed out, canvas.css shows only the name, status, badge and
 * domain colour, in type sized by the canvas (levelOfDetail.ts).
 */
function ProductNodeView({ id, data }: NodeProps<ProductFlowNode>) {
  const { showProblems } = useContext(CanvasActionsContext);
  const rows = Math.max(1, data.inputs.length, data.outputs.length);
  // React Flow measures handles once: a port added or removed by an edit must be measured
  // again, or the edge to a new input port is not drawn until the next reload.
  const updateNodeInternals = useUpdateNodeInternals();
  const ports = `${data.inputs.join('\u0000')}\u0001${data.outputs.join('\u0000')}`;
  useEffect(() => updateNodeInternals(id), [id, ports, updateNodeInternals]);
  const style = {
    '--domain-color': data.color,
    '--name-word': longestWord(data.name),
    '--card-height': `${productHeight(data.inputs.length, data.outputs.length)}px`,
  } as CSSProperties;
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
        {data.run && <RunLine state={{ ...data.run, status: data.status }} />}
      </div>
      {data.faults.length > 0 && (
        <span
          className="fault-badge"
          data-testid="fault-badge"
          title={`Faults injected:\n${data.faults.join('\n')}`}
          aria-label={`${data.name}: ${data.faults.length === 1 ? 'a fault' : `${data.faults.length} faults`} injected (${data.faults.join('; ')})`}
        >
          <span aria-hidden="true">⚡ </span>
          {data.faults.length}
        </span>
      )}
      {data.run?.last && <WarningBadge name={data.name} state={data.run} />}
      {data.problems > 0 && (
        <button
          type="button"
          className={`problem-badge problem-badge-${data.problemSeverity} nodrag`}
          title={`${problemWords(data.problems)}: show them`}
          aria-label={`${data.name}: ${problemWords(data.problems)}, show them`}
          onClick={() => showProblems(id)}
        >
          <span aria-hidden="true">⚠ </span>
          {data.problems}
        </button>
      )}
    </div>
  );
}

/** One line: what the last run published, or the first words of why it did not (the rest is in the problem list). */
function RunLine({ state }: { readonly state: NonNullable<ProductFlowNode['data']['run']> }) {
  const first = state.last && state.status !== 'running' && state.status !== 'idle' ? problemLines(state.last)[0] : undefined;
  if (!first) return <RunDetails state={state} />;
  return (
    <p className={`run-line run-line-${state.status}`} title={first.text}>
      {first.text}
    </p>
  );
}

export const ProductNode = memo(ProductNodeView);
