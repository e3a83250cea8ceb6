import { useCallback, useMemo } from 'react';
import type { AuditLog } from '../../../core/governance/access/queryAs.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { selectDiscoveryQuery, selectRun } from '../store/selectors.ts';
import type { DiscoveryView } from '../store/state.ts';
import { documentKey, type MeshDocument } from '../workspace/meshDocument.ts';
import { addFeedbackChange } from './feedbackChange.ts';
import type { FeedbackDraft } from './FeedbackForm.tsx';
import { Marketplace } from './Marketplace.tsx';
import { liveReads, marketCards, personaQueries, runFactsOf } from './marketModel.ts';
import { productPageOf, sessionRuns } from './pageModel.ts';
import { ProductPageView } from './ProductPageView.tsx';

/**
 * The editor's discovery views in place of the canvas: the marketplace, or one product's page.
 * `go` changes the view through the URL (the navigator), so reload, back and links work.
 */
export function DiscoveryScreen({
  doc,
  view,
  go,
  audit,
}: {
  readonly doc: MeshDocument;
  readonly view: DiscoveryView;
  /** The session's audit log (the SQL console's and the sample rows' reads as personas): its queries count as use. */
  readonly audit: AuditLog;
  readonly go: (view: DiscoveryView | undefined) => void;
}) {
  const store = useAppStoreApi();
  const key = documentKey(doc.origin);
  const run = useAppStore(selectRun(key));
  const query = useAppStore(selectDiscoveryQuery);
  const mesh = doc.mesh;
  // The runtime of this document answers for freshness, versions and sample rows once it ran.
  const target = run?.report ? store.getState().queryTarget() : undefined;
  const runtime = sessionRuns(target);
  const runs = useMemo(
    () => (run ? runFactsOf(mesh, run.products, (product, port) => runtime?.freshness(product, port)) : []),
    [mesh, run, runtime],
  );
  // Persona queries read anew whenever the log grows (the log is appended to, not replaced).
  const audited = audit.entries.length;
  const live = useMemo(
    () =>
      run ? { reads: liveReads(mesh, run.log), queries: personaQueries(audit), ticks: Math.max(1, run.report?.tick ?? 1) } : undefined,
    [mesh, run, audit, audited],
  );
  const onQuery = useCallback((q: string) => store.getState().setDiscoveryQuery(q), [store]);
  // The page's place in the default list (one ranking of the whole mesh: ~65 ms for 1,000 products).
  const ranked = useMemo(() => (view.kind === 'product' ? marketCards(mesh, '', {}, runs, live) : []), [view.kind, mesh, runs, live]);

  if (view.kind === 'marketplace')
    return (
      <Marketplace
        mesh={mesh}
        runs={runs}
        {...(live ? { live } : {})}
        query={query}
        onQuery={onQuery}
        onOpen={(product) => go({ kind: 'product', product })}
        onClose={() => go(undefined)}
      />
    );

  const page = productPageOf(mesh, view.product, runtime, runs);
  if (!page)
    return (
      <div className="product-page product-page-missing" data-testid="product-page-missing">
        <h2>No data product “{view.product}” in this mesh</h2>
        <p className="hint">It may have been renamed or deleted.</p>
        <button type="button" onClick={() => go({ kind: 'marketplace' })}>
          Back to the marketplace
        </button>
      </div>
    );
  const card = ranked.find((c) => c.id === page.id);
  const onFeedback = (draft: FeedbackDraft): string | undefined => {
    const change = addFeedbackChange(doc, page.id, draft);
    if ('refused' in change) return change.refused;
    const ok = store.getState().change(change.change, change.label);
    return ok ? undefined : (store.getState().notice ?? 'The feedback could not be added.');
  };
  return (
    <ProductPageView
      mesh={mesh}
      page={page}
      {...(card ? { rank: { rank: card.rank, of: ranked.length, whyRank: card.whyRank }, similar: card.similar } : {})}
      samples={{
        target,
        audit,
        running: run?.running === true,
        run: () => void store.getState().runDocument(),
      }}
      onOpenProduct={(product) => go({ kind: 'product', product })}
      onBack={() => go({ kind: 'marketplace' })}
      onFeedback={onFeedback}
    />
  );
}
