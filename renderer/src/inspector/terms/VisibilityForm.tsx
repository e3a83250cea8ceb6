import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import type { DataProduct, Mesh, OutputPort } from '../../../../core/model/types.ts';
import type { OnEdit } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { diagnosticsAt } from '../fileDiagnostics.ts';
import {
  crossDomainConsumers,
  personasShutOut,
  portVisibility,
  VISIBILITIES,
  visibilityEdit,
  type CutOffConsumer,
} from './visibilityTerms.ts';

/** Who may see the output port: written into product.odps.yaml, with what each choice would cut off. */
export function VisibilityForm({
  mesh,
  product,
  port,
  diagnostics,
  onEdit,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly port: OutputPort;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}) {
  const current = portVisibility(mesh, product, port);
  const consumers = crossDomainConsumers(mesh, product, port);
  const odps = mesh.files.get(product.file);
  const findings = odps && 'doc' in odps ? diagnosticsAt(odps, ['outputPorts', port.index, 'customProperties'], diagnostics) : [];
  const writable = visibilityEdit(mesh, product, port, current === 'private' ? 'public' : 'private') !== undefined;
  const flagged = current === 'public' ? [] : consumers;
  return (
    <section className="terms-section" aria-labelledby="terms-visibility-heading" data-testid="port-visibility" data-visibility={current}>
      <h3 id="terms-visibility-heading">Visibility of {port.name}</h3>
      <p className="terms-intro">
        Written to <code>{product.file}</code> as the output port’s <code>customProperties</code> entry <code>visibility</code>. The owning
        team ({product.team ?? 'none declared'}) always reads its own port.
      </p>
      {!writable && (
        <p className="inspector-notice" role="alert">
          Output port {port.name} in {product.file} cannot take a custom property here (the file has errors, or the port or its
          customProperties is not written as a mapping and list). Fix it in the Product tab’s YAML view.
        </p>
      )}
      <fieldset className="terms-visibility" disabled={!writable}>
        <legend>Who may read {port.name}</legend>
        {VISIBILITIES.map(([visibility, meaning]) => {
          const shutOut = personasShutOut(mesh, product, visibility);
          return (
            <label key={visibility} className="terms-visibility-option" data-visibility={visibility}>
              <input
                type="radio"
                name={`visibility:${product.id}:${port.name}`}
                value={visibility}
                checked={current === visibility}
                onChange={() => {
                  const edit = visibilityEdit(mesh, product, port, visibility);
                  if (edit) onEdit(edit, `Make ${product.id}.${port.name} ${visibility}`);
                }}
              />
              <span className="terms-visibility-text">
                <strong>{visibility}</strong> — {meaning}
                {visibility !== 'public' && consumers.length > 0 && (
                  <span className="terms-consequence">
                    {' '}
                    Cuts off {consumers.length === 1 ? 'its consumer' : `its ${consumers.length} consumers`} of other domains.
                  </span>
                )}
                {shutOut.length > 0 && <span className="terms-muted"> Not readable by: {shutOut.map((p) => p.id).join(', ')}.</span>}
              </span>
            </label>
          );
        })}
      </fieldset>
      {consumers.length === 0 ? (
        <p className="terms-muted">No product of another domain reads {port.name}: any visibility keeps every current consumer.</p>
      ) : (
        <p
          className={`inspector-notice${flagged.length > 0 ? ' severity-error' : ''}`}
          data-testid={flagged.length > 0 ? 'visibility-violation' : 'visibility-cut-off'}
        >
          Read from other domains by {consumers.map((c) => `${c.product} (${c.domain})`).join(', ')}.{' '}
          {flagged.length > 0 ? `Now that ${port.name} is ${current}, ` : 'Domain or private would cut them off: '}
          {policyNote(consumers)}
          {flagged.length > 0 && ' Make it public, or stop those reads.'}
        </p>
      )}
      <DiagnosticNotes diagnostics={findings} />
    </section>
  );
}

function policyNote(consumers: readonly CutOffConsumer[]): string {
  const policy = consumers.find((c) => c.policy)?.policy;
  if (!policy) return 'no policy in force flags it (the mesh does not use quanta.no-cross-domain-private-ports).';
  return `${policy.id} flags ${consumers.length === 1 ? 'the read' : 'each read'} (${policy.severity}).`;
}
