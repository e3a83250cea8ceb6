import { useEffect, useRef, type ReactNode } from 'react';
import type { LoadedMesh } from '../../../core/load/loadMesh.ts';
import { groupByDomain, plural, statusText, summarize } from '../samples/meshSummary.ts';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import { DiagnosticsList } from './DiagnosticsList.tsx';
import { DomainBlock } from './DomainBlock.tsx';
import { RunControls } from './RunControls.tsx';

/** One sample: its domains, their products and their run status, "Run all", and what the loader found. */
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
  const groups = groupByDomain(loaded.mesh.domains, loaded.mesh.products);
  const valid = summary.errors === 0;
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
      <section aria-labelledby="domains-heading">
        <h2 id="domains-heading">Domains</h2>
        {groups.length === 0 ? (
          <p className="empty">This mesh has no domains yet.</p>
        ) : (
          <div className="domain-grid">
            {groups.map((group) => (
              <DomainBlock key={group.domain?.id ?? '(undeclared)'} folder={folder} domain={group.domain} products={group.products} />
            ))}
          </div>
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
