import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { DataProduct, Mesh, OutputPort } from '../../../core/model/types.ts';
import type { PortVersion } from '../../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';

export type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/** What each view of the Contract tab (schema table, quality, SLA & access) is given: one output port's contract file. */
export interface ContractViewProps {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly port: OutputPort;
  /** The port's `.odcs.yaml`, parsed. */
  readonly file: YamlSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  /** The newest published version of the port (with its data), if the product has run. */
  readonly published: PortVersion | undefined;
  /** Opens the YAML view (for what a form cannot show). */
  readonly onShowYaml: () => void;
}
