import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LoadedMesh } from '../../../core/load/loadMesh.ts';
import type { ProductStatus } from '../../../core/run/runTypes.ts';
import { MeshCanvas } from '../canvas/MeshCanvas.tsx';
import type { Point } from '../canvas/geometry.ts';
import { plural, statusText, summarize } from '../samples/meshSummary.ts';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import { DiagnosticsList } from './DiagnosticsList.tsx';
import { RunControls } from './RunControls.tsx';

/** One sample: its canvas (domains, products, lineage, run status), "Run all", and what the loader found. */
export function MeshOverview({ folder, onBack }: { readonly folder: string; readonly onBack: () => void }) {
  const state = useAppStore((s) => s.samples[folder]);
  return (
    <div className="overview">
      <nav className="overview-nav" aria-label="Breadcrumb">
        <button type="button" className="back-button" onClick={onBack}>
          ← All samples
        </button>
      </nav>
      {state === undefined && (
        <Notice title="Sample not found">
          There is no sample mesh named “{folder}” in this build. Go back to see the samples that are available.
        </Notice>
      )}
      {state?.status === 'loading' && (
        <p className="loading" role="status">
          Loading {folder}…
        </p>
      )}
      {state?.status === 'failed' && <Notice title={`Could not open ${folder}`}>{state.message}</Notice>}
      {state?.status === 'loaded' && <LoadedOverview folder={folder} loaded={state.loaded} />}
    </div>
  );
}

function LoadedOverview({ folder, loaded }: { readonly folder: string; readonly loaded: LoadedMesh }) {
  const summary = summarize(folder, loaded);
  const valid = summary.errors === 0;
  const runs = useAppStore((s) => s.runs[folder]?.products);
  const statuses = useMemo(
    () => Object.fromEntries(Object.entries(runs ?? {}).map(([id, run]) => [id, run.status])) as Record<string, ProductStatus>,
    [runs],
  );
  // View state only: where the user dragged products and which one is selected; nothing is saved.
  const [positions, setPositions] = useState<Readonly<Record<string, Point>>>({});
  const [selected, setSelected] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  // The card that opened this view is gone; put keyboard and screen-reader focus on the new page's title.
  useEffect(() => heading.current?.focus(), []);
  return (
    <article aria-labelledby="mesh-title">
      <header className="overview-header">
        <h1 id="mesh-title" tabIndex={-1} ref={heading}>
          {summary.title}
        </h1>
        {summary.description && <p className="overview-description">{summary.description}</p>}
        <p className="overview-facts">
          <span>{plural(summary.domainCount, 'domain')}</span>
          <span>{plural(summary.productCount, 'data product')}</span>
          <span className={`sample-status status-${valid ? 'valid' : 'invalid'}`}>{statusText(summary)}</span>
        </p>
        {summary.productCount > 0 && <RunControls folder={folder} />}
      </header>
      <section aria-labelledby="canvas-heading" className="overview-canvas">
        <h2 id="canvas-heading">Domains, data products and lineage</h2>
        {loaded.mesh.domains.length === 0 && loaded.mesh.products.length === 0 ? (
          <p className="empty">This mesh has no domains yet.</p>
        ) : (
          <MeshCanvas
            mesh={loaded.mesh}
            statuses={statuses}
            {...(runs ? { runs } : {})}
            positions={positions}
            {...(selected === undefined ? {} : { selected })}
            onSelect={setSelected}
            onMoveProducts={(moved) => setPositions((before) => ({ ...before, ...moved }))}
          />
        )}
      </section>
      {loaded.diagnostics.length > 0 && <DiagnosticsList diagnostics={loaded.diagnostics} />}
    </article>
  );
}

function Notice({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <div className="notice" role="alert">
      <h1>{title}</h1>
      <p>{children}</p>
    </div>
  );
}
