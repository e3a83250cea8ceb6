import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import type { DataProduct, Mesh, OutputPort } from '../../../../core/model/types.ts';
import type { OnEdit } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { diagnosticsAt } from '../fileDiagnostics.ts';
import { crossDomainConsumers, personasShutOut, portVisibility, VISIBILITIES, visibilityEdit } from './visibilityTerms.ts';

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
          const cut = visibility === 'public' ? [] : consumers;
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
                {cut.length > 0 && (
                  <span className="terms-consequence" data-testid="visibility-cut-off">
                    {' '}
                    Cuts off {cut.length === 1 ? 'one consumer' : `${cut.length} consumers`} of another domain:{' '}
                    {cut.map((c) => `${c.product} (${c.domain})`).join(', ')}
                    {cut.some((c) => c.policy)
                      ? ` — ${cut.find((c) => c.policy)?.policy?.id} flags ${cut.length === 1 ? 'it' : 'them'} (${cut.find((c) => c.policy)?.policy?.severity}).`
                      : ' — no policy in force flags it (mesh.yaml does not use quanta.no-cross-domain-private-ports).'}
                  </span>
                )}
                {shutOut.length > 0 && (
                  <span className="terms-muted"> Personas who could not read it: {shutOut.map((p) => p.id).join(', ')}.</span>
                )}
              </span>
            </label>
          );
        })}
      </fieldset>
      {flagged.length > 0 && (
        <p className="inspector-notice severity-error" data-testid="visibility-violation">
          {port.name} is {current}, yet {flagged.map((c) => `${c.product} (${c.domain})`).join(', ')}{' '}
          {flagged.length === 1 ? 'reads' : 'read'} it from another domain. Make it public, or stop those reads.
        </p>
      )}
      <DiagnosticNotes diagnostics={findings} />
    </section>
  );
}
