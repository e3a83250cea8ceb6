import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import { joinPath } from '../../../core/fs/meshFileSystem.ts';
import { PRODUCT_FILE } from '../../../core/load/readMeshFiles.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';
import type { PortVersion, ProductRun } from '../../../core/run/runTypes.ts';
import { ChangedSinceRun } from '../components/ProductRunStatus.tsx';
import { STATUS_LABEL } from '../components/runText.ts';
import { ContractTab } from './ContractTab.tsx';
import { DataTab } from './DataTab.tsx';
import { FaultsTab } from './FaultsTab.tsx';
import { ObservabilityTab } from './ObservabilityTab.tsx';
import { ProductTab } from './ProductTab.tsx';
import { SourcesTab } from './sources/SourcesTab.tsx';
import { TransformTab } from './TransformTab.tsx';
import { YamlFileEditor } from './YamlFileEditor.tsx';

export interface InspectorProps {
  readonly mesh: Mesh;
  /** All of the mesh's diagnostics; those of this product's files are shown inline. */
  readonly diagnostics: readonly Diagnostic[];
  readonly productId: string;
  /**
   * Applies a file edit; label is for the undo menu; edits with the same squashKey in a row
   * merge into one undo entry (`field:<file>:<path>` while typing, `text:<file>` for editors).
   */
  readonly onEdit: (edit: MeshEdit, label: string, squashKey?: string) => void;
  /** Versions of one output port, oldest first; the newest carry `ipc`. Undefined until the mesh ran. */
  readonly portVersions?: (port: string) => readonly PortVersion[];
  /** The last run of this product. */
  readonly run?: ProductRun;
  /** An edit since that run affects this product (or its upstream): shown beside its status. */
  readonly changedSinceRun?: boolean;
  /** Shows a "Run" button in the header. */
  readonly onRunProduct?: () => void;
  /** The product's folder, to keep showing its files while product.odps.yaml cannot be read. */
  readonly productDir?: string;
  /** The tab to open first (default: Product). */
  readonly initialTab?: InspectorTab;
}

export type InspectorTab = 'product' | 'contract' | 'sources' | 'transform' | 'data' | 'observability' | 'faults';

const TABS: readonly { readonly id: InspectorTab; readonly label: string }[] = [
  { id: 'product', label: 'Product' },
  { id: 'contract', label: 'Contract' },
  { id: 'sources', label: 'Sources' },
  { id: 'transform', label: 'Transform' },
  { id: 'data', label: 'Data' },
  { id: 'observability', label: 'Observability' },
  { id: 'faults', label: 'Faults' },
];

/** The selected product: its ODPS fields, contracts, transform, data, observability and faults, in tabs. */
export function Inspector(props: InspectorProps) {
  const { mesh, productId } = props;
  const current = mesh.products.find((p) => p.id === productId);
  // While product.odps.yaml does not parse, the product drops out of the mesh. The inspector
  // keeps its last known shape, so the editor the user is typing in stays open (with its undo
  // history) and the other tabs keep working until the file is repaired.
  const lastKnown = useRef<DataProduct | undefined>(undefined);
  if (current) lastKnown.current = current;
  const product = current ?? (lastKnown.current && mesh.files.has(lastKnown.current.file) ? lastKnown.current : undefined);
  const dir = product?.dir ?? props.productDir;

  return (
    <section
      className="inspector"
      aria-label={`Inspector: ${product?.name ?? productId}`}
      data-testid="inspector"
      data-product-id={productId}
    >
      <InspectorHeader
        product={product}
        productId={productId}
        run={props.run}
        changed={props.changedSinceRun === true}
        onRunProduct={props.onRunProduct}
      />
      {!current && product && (
        <p className="inspector-notice inspector-unreadable" role="alert">
          {product.file} cannot be read, so the product is left out of the mesh until it is fixed. The problems are marked in its YAML.
        </p>
      )}
      {product ? (
        <InspectorTabs {...props} product={product} />
      ) : dir !== undefined ? (
        <UnreadableProduct {...props} file={joinPath(dir, PRODUCT_FILE)} />
      ) : (
        <p className="inspector-empty">There is no data product “{productId}” in this mesh.</p>
      )}
    </section>
  );
}

function InspectorHeader({
  product,
  productId,
  run,
  changed,
  onRunProduct,
}: {
  readonly product: DataProduct | undefined;
  readonly productId: string;
  readonly run: ProductRun | undefined;
  readonly changed: boolean;
  readonly onRunProduct: (() => void) | undefined;
}) {
  const status = run?.status ?? 'idle';
  return (
    <header className="inspector-header">
      <div className="inspector-title">
        <h2>{product?.name ?? productId}</h2>
        <p className="inspector-facts">
          <code>{productId}</code>
          {product && <span>{product.domain}</span>}
          {product?.settings && <span>{product.settings.archetype}</span>}
        </p>
        {changed && <ChangedSinceRun />}
      </div>
      <span className={`run-badge run-${status}`} data-testid="inspector-run-status">
        {STATUS_LABEL[status]}
      </span>
      {onRunProduct && (
        <button type="button" className="inspector-run" onClick={onRunProduct} disabled={status === 'running'}>
          Run
        </button>
      )}
    </header>
  );
}

function InspectorTabs(props: InspectorProps & { readonly product: DataProduct }) {
  const [active, setActive] = useState<InspectorTab>(props.initialTab ?? 'product');
  const baseId = useId();
  const tabRefs = useRef(new Map<InspectorTab, HTMLButtonElement>());
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation); Tab leaves the list.
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === active);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + TABS.length) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : undefined;
    const tab = next === undefined ? undefined : TABS[next];
    if (!tab) return;
    event.preventDefault();
    setActive(tab.id);
    tabRefs.current.get(tab.id)?.focus();
  };
  return (
    <>
      <div className="inspector-tabs" role="tablist" aria-label="Inspector sections" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${baseId}-tab-${tab.id}`}
            aria-selected={active === tab.id}
            // Only the selected tab's panel exists; the others are rendered when chosen.
            aria-controls={active === tab.id ? `${baseId}-panel-${tab.id}` : undefined}
            tabIndex={active === tab.id ? 0 : -1}
            ref={(el) => {
              if (el) tabRefs.current.set(tab.id, el);
              else tabRefs.current.delete(tab.id);
            }}
            onClick={() => setActive(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="inspector-panel" role="tabpanel" id={`${baseId}-panel-${active}`} aria-labelledby={`${baseId}-tab-${active}`}>
        {active === 'product' && (
          <ProductTab mesh={props.mesh} product={props.product} diagnostics={props.diagnostics} onEdit={props.onEdit} />
        )}
        {active === 'contract' && (
          <ContractTab
            mesh={props.mesh}
            product={props.product}
            diagnostics={props.diagnostics}
            onEdit={props.onEdit}
            portVersions={props.portVersions}
          />
        )}
        {active === 'sources' && (
          <SourcesTab mesh={props.mesh} product={props.product} diagnostics={props.diagnostics} onEdit={props.onEdit} />
        )}
        {active === 'transform' && (
          <TransformTab mesh={props.mesh} product={props.product} diagnostics={props.diagnostics} onEdit={props.onEdit} run={props.run} />
        )}
        {active === 'data' && <DataTab product={props.product} portVersions={props.portVersions} />}
        {active === 'observability' && <ObservabilityTab product={props.product} portVersions={props.portVersions} />}
        {active === 'faults' && <FaultsTab mesh={props.mesh} product={props.product} />}
      </div>
    </>
  );
}

function UnreadableProduct(props: InspectorProps & { readonly file: string }) {
  const file = props.mesh.files.get(props.file);
  if (!file) return <p className="inspector-empty">{props.file} is gone from the mesh.</p>;
  return (
    <div className="inspector-panel">
      <p className="inspector-notice" role="alert">
        {props.file} cannot be read, so the product is left out of the mesh until it is fixed. The problems are marked below.
      </p>
      <YamlFileEditor file={file} diagnostics={props.diagnostics} onEdit={props.onEdit} label="Product YAML" />
    </div>
  );
}
