import { plural, statusText, summarize } from '../samples/meshSummary.ts';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import { selectSample } from '../store/selectors.ts';

/** One bundled sample on the start screen: the whole card is a button that opens it. */
export function SampleCard({ folder, onOpen }: { readonly folder: string; readonly onOpen: (folder: string) => void }) {
  const state = useAppStore(selectSample(folder));

  let title = folder;
  let details = <span className="sample-status">Loading…</span>;
  let description = '';
  let status: 'loading' | 'valid' | 'invalid' = 'loading';
  if (state?.status === 'failed') {
    status = 'invalid';
    details = <span className="sample-status status-invalid">{state.message}</span>;
  } else if (state?.status === 'loaded') {
    const summary = summarize(folder, state.loaded);
    status = summary.errors > 0 ? 'invalid' : 'valid';
    title = summary.title;
    description = summary.description;
    details = (
      <>
        <span className="sample-counts">
          {plural(summary.domainCount, 'domain')} · {plural(summary.productCount, 'product')}
        </span>
        <span className={`sample-status status-${status}`}>{statusText(summary)}</span>
      </>
    );
  }

  return (
    <button
      type="button"
      className="sample-card"
      data-testid="sample-card"
      data-sample={folder}
      data-status={status}
      aria-busy={status === 'loading'}
      // Named by its whole text: axe wants the visible words to be part of the accessible name.
      onClick={() => onOpen(folder)}
    >
      <span className="sample-title">{title}</span>
      <span className="sample-folder">{folder}</span>
      {description && <span className="sample-description">{description}</span>}
      <span className="sample-details">{details}</span>
    </button>
  );
}
