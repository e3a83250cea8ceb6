import { useState } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import { joinPath } from '../../../core/fs/meshFileSystem.ts';
import { CONTRACT_SUFFIX } from '../../../core/load/readMeshFiles.ts';
import type { DataProduct, Mesh, OutputPort } from '../../../core/model/types.ts';
import type { PortVersion } from '../../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import { DeriveContractPanel } from './DeriveContractPanel.tsx';
import { schemaTables } from './contractTable.ts';
import { nodeLines } from './fileDiagnostics.ts';
import { DiagnosticNotes } from './DiagnosticNotes.tsx';
import { SchemaTableEditor } from './SchemaTableEditor.tsx';
import { ViewSwitch } from './ViewSwitch.tsx';
import { QualityRulesForm } from './quality/QualityRulesForm.tsx';
import { ContractTermsForm } from './terms/ContractTermsForm.tsx';
import { YamlFileEditor } from './YamlFileEditor.tsx';

type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/** The contract of each output port: its schema as an editable table, or the whole `.odcs.yaml`. */
export function ContractTab({
  mesh,
  product,
  diagnostics,
  onEdit,
  portVersions,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  readonly portVersions?: ((port: string) => readonly PortVersion[]) | undefined;
}) {
  const [portName, setPortName] = useState(product.outputPorts[0]?.name);
  const [view, setView] = useState<'table' | 'quality' | 'terms' | 'yaml'>('table');
  const [deriving, setDeriving] = useState(false);
  const port = product.outputPorts.find((p) => p.name === portName) ?? product.outputPorts[0];
  if (!port) return <p className="inspector-empty">{product.name} has no output ports, so it has no contracts.</p>;
  const path = joinPath(product.dir, `${port.name}${CONTRACT_SUFFIX}`);
  const file = mesh.files.get(path);
  const published = portVersions?.(port.name)
    .filter((v) => v.ipc !== undefined)
    .at(-1);
  const viewProps = (contract: YamlSourceFile) => ({
    mesh,
    product,
    port,
    file: contract,
    diagnostics,
    onEdit,
    published,
    onShowYaml: () => setView('yaml'),
  });
  return (
    <div className="contract-tab">
      <div className="tab-toolbar">
        {product.outputPorts.length > 1 && (
          <label className="inline-field">
            Output port{' '}
            <select value={port.name} onChange={(e) => setPortName(e.target.value)}>
              {product.outputPorts.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <ViewSwitch
          label="Contract view"
          value={view}
          onChange={setView}
          options={[
            ['table', 'Schema'],
            ['quality', 'Quality'],
            ['terms', 'SLA & access'],
            ['yaml', 'YAML'],
          ]}
        />
        <button
          type="button"
          onClick={() => setDeriving(true)}
          disabled={!published || !file || !('doc' in file) || deriving}
          title={
            published
              ? `Propose a schema from version ${published.version}'s data`
              : 'Run the product first: derivation reads a published version'
          }
        >
          Derive contract from output
        </button>
        <span className="tab-toolbar-file">
          <code>{path}</code>
        </span>
      </div>
      {deriving && published && file && 'doc' in file && (
        <DeriveContractPanel
          key={`${port.name}-${published.version}`}
          mesh={mesh}
          product={product}
          port={port}
          file={file}
          version={published}
          onEdit={onEdit}
          onClose={() => setDeriving(false)}
        />
      )}
      {!file || !('doc' in file) ? (
        <MissingContract port={port} path={path} onEdit={onEdit} />
      ) : view === 'yaml' ? (
        <YamlFileEditor file={file} diagnostics={diagnostics} onEdit={onEdit} label={`Contract YAML of ${port.name}`} />
      ) : view === 'quality' ? (
        <QualityRulesForm {...viewProps(file)} />
      ) : view === 'terms' ? (
        <ContractTermsForm {...viewProps(file)} />
      ) : (
        <ContractTables file={file} diagnostics={diagnostics} onEdit={onEdit} onShowYaml={() => setView('yaml')} />
      )}
    </div>
  );
}

function ContractTables({
  file,
  diagnostics,
  onEdit,
  onShowYaml,
}: {
  readonly file: YamlSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  readonly onShowYaml: () => void;
}) {
  const tables = schemaTables(file);
  const mine = diagnostics.filter((d) => d.file === file.path);
  if (!tables) {
    return (
      <div className="inspector-notice" role="alert">
        <p>
          The contract cannot be read as YAML, so its schema cannot be shown as a table.{' '}
          <button type="button" className="link-button" onClick={onShowYaml}>
            Fix it in the YAML view
          </button>
        </p>
        <DiagnosticNotes diagnostics={mine} />
      </div>
    );
  }
  if (tables.length === 0) return <p className="inspector-empty">This contract declares no schema yet. Add one in the YAML view.</p>;
  return (
    <>
      {tables.map((table) => (
        <SchemaTableEditor key={table.index} file={file} table={table} diagnostics={mine} onEdit={onEdit} />
      ))}
      <DiagnosticNotes diagnostics={mine.filter((d) => !isInTables(d, file))} />
    </>
  );
}

/** Findings inside `schema:` are shown on their rows; the rest of the file's findings below the tables. */
function isInTables(d: Diagnostic, file: YamlSourceFile): boolean {
  const lines = nodeLines(file, ['schema']);
  return lines !== undefined && d.line >= lines.first && d.line <= lines.last;
}

function MissingContract({ port, path, onEdit }: { readonly port: OutputPort; readonly path: string; readonly onEdit: OnEdit }) {
  const create = () =>
    onEdit(
      {
        kind: 'setText',
        file: path,
        text: [
          'apiVersion: v3.1.0',
          'kind: DataContract',
          `id: ${port.contractId ?? port.name}`,
          `name: ${port.name}`,
          `version: ${port.version}`,
          'status: draft',
          'schema:',
          `  - name: ${port.name}`,
          '    physicalType: table',
          '    properties: []',
          '',
        ].join('\n'),
      },
      `Create ${port.name}${CONTRACT_SUFFIX}`,
    );
  return (
    <div className="inspector-notice">
      <p>
        Output port “{port.name}” has no contract file yet (<code>{path}</code>).
      </p>
      <button type="button" onClick={create}>
        Create the contract
      </button>
    </div>
  );
}
