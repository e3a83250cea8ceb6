import { useEffect } from 'react';
import type { AppStore } from '../store/appStore.ts';
import { typingIn } from '../commands/shortcuts.ts';

/**
 * Stop, beside Run all while a Run all, Tick ×N or a product's Run is under way: the running quanta are
 * cancelled, nothing more starts, the products it did not run keep their last results
 * (store: stopRun). Escape does the same.
 */
export function StopRunButton({ stopping, onStop }: { readonly stopping: boolean; readonly onStop: () => void }) {
  return (
    <button
      type="button"
      className="stop-run-button"
      aria-keyshortcuts="Escape"
      title="Stop the run: cancel what is running, start nothing more (Escape)"
      disabled={stopping}
      onClick={onStop}
    >
      {stopping ? 'Stopping…' : 'Stop'}
    </button>
  );
}

/** Escape stops a stoppable run (`active`), unless it belongs to a text field or an open dialog. */
export function useStopOnEscape(store: AppStore, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || typingIn(event.target)) return;
      if (document.querySelector('dialog[open]') !== null) return;
      store.getState().stopRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, active]);
}
