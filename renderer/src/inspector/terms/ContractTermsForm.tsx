import { useAppStore } from '../../store/AppStoreProvider.tsx';
import { selectDocumentKey, selectRunReport } from '../../store/selectors.ts';
import type { ContractViewProps } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { RolesForm } from './RolesForm.tsx';
import { SlaPropertiesForm } from './SlaPropertiesForm.tsx';
import { VisibilityForm } from './VisibilityForm.tsx';

/** The contract's SLA properties and roles, and the output port's visibility, as forms; every change one undoable file edit. */
export function ContractTermsForm(props: ContractViewProps) {
  const { mesh, product, port, file, diagnostics, onEdit, published, onShowYaml } = props;
  const key = useAppStore(selectDocumentKey);
  const simulatedNow = useAppStore(selectRunReport(key))?.simulatedAt;
  if (file.value === undefined || file.diagnostics.length > 0) {
    return (
      <div className="inspector-notice" role="alert">
        <p>
          The contract cannot be read as YAML, so its SLA and roles cannot be shown as forms.{' '}
          <button type="button" className="link-button" onClick={onShowYaml}>
            Fix it in the YAML view
          </button>
        </p>
        <DiagnosticNotes diagnostics={diagnostics.filter((d) => d.file === file.path)} />
      </div>
    );
  }
  return (
    <div className="terms-form" data-testid="contract-terms">
      <SlaPropertiesForm file={file} diagnostics={diagnostics} onEdit={onEdit} published={published} simulatedNow={simulatedNow} />
      <RolesForm mesh={mesh} file={file} diagnostics={diagnostics} onEdit={onEdit} />
      <VisibilityForm mesh={mesh} product={product} port={port} diagnostics={diagnostics} onEdit={onEdit} />
    </div>
  );
}
