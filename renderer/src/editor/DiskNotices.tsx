import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { selectDiskNotices } from '../store/selectors.ts';

/**
 * What happened to the files on disk (workspace/diskNotices.ts): another program's version
 * kept beside a file during a save, an interrupted save completed or undone on open. Stays
 * under the toolbar until dismissed; an edit does not clear it, the kept file is still there.
 */
export function DiskNotices() {
  const store = useAppStoreApi();
  const notices = useAppStore(selectDiskNotices);
  if (notices.length === 0) return null;
  return (
    <div className="disk-notices" data-testid="disk-notices">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`disk-notice disk-notice-${notice.kind}`}
          data-kind={notice.kind}
          // A kept-aside version needs the user's action; a recovery report is news.
          {...(notice.kind === 'kept-aside' ? { role: 'alert' } : { 'aria-live': 'polite' as const })}
        >
          <p>
            {notice.message}{' '}
            <button type="button" className="link-button" onClick={() => store.getState().dismissDiskNotice(notice.id)}>
              Dismiss
            </button>
          </p>
          {notice.details.length > 0 && (
            <ul>
              {notice.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}
