import { keptAsideNotices } from '../workspace/diskNotices.ts';
import { allFiles, documentKey, markSaved, pendingWrites, saveBlockers, unsavedPaths } from '../workspace/meshDocument.ts';
import { openDocumentOf, type SaveSlice, type SliceCreator } from './state.ts';

/**
 * Save and autosave: the session's autosave timer calls `save` a pause after the last edit
 * (documentSlice schedules it); Save (Ctrl/Cmd+S) calls it at once. One write at a time; a
 * file with errors is not written over a good one (blocked); a file changed on disk behind
 * Quanta's back is a conflict, nothing written. A sample's first save moves the document to a
 * stored copy: its runs move with it.
 */
export const createSaveSlice: SliceCreator<SaveSlice> = (set, get, session) => {
  let saving: Promise<void> | undefined;
  return {
    saveState: { status: 'saved' },
    save: async (options = {}) => {
      session.autosave.cancel();
      if (saving) {
        // One write at a time; the edits made meanwhile are saved right after.
        await saving;
        return get().save(options);
      }
      const doc = openDocumentOf(get());
      const target = session.target;
      if (!doc || !target) return;
      const writes = pendingWrites(doc);
      if (writes.size === 0) {
        set({ saveState: { status: 'saved' } });
        return;
      }
      const first = saveBlockers(doc)[0];
      if (first) {
        set({ saveState: { status: 'blocked', message: `Not saved: ${first.file}:${first.line}:${first.column} ${first.message}` } });
        return;
      }
      set({ saveState: { status: 'saving' } });
      saving = (async () => {
        const result = await target.write(doc.origin, doc.title, writes, async () => allFiles(doc), options.overwrite === true);
        const current = openDocumentOf(get());
        // The user may have opened another mesh while this one was being written.
        if (!current || documentKey(current.origin) !== documentKey(doc.origin)) return;
        if (!result.ok) {
          // Another program's version kept beside its file: said until dismissed, as the file stays on disk.
          if ('preserved' in result && result.preserved) get().showDiskNotices(keptAsideNotices(result.preserved));
          set({
            saveState:
              'conflicts' in result ? { status: 'conflict', conflicts: result.conflicts } : { status: 'error', message: result.message },
          });
          return;
        }
        const from = documentKey(doc.origin);
        const to = documentKey(result.origin);
        if (from !== to) {
          session.moved.set(from, to);
          const entry = session.runtimes.get(from);
          if (entry) session.runtimes.set(to, entry);
          // What belongs to the document moves with it: its runs, faults and the scenario played on it.
          set((s) => ({
            ...(s.runs[from] ? { runs: { ...s.runs, [to]: s.runs[from] } } : {}),
            ...(s.faults[from] ? { faults: { ...s.faults, [to]: s.faults[from] } } : {}),
            ...(s.scenario?.key === from ? { scenario: { ...s.scenario, key: to } } : {}),
          }));
        }
        const next = markSaved(current, doc.files, result.origin);
        const unsaved = unsavedPaths(next).length > 0;
        set({ document: { status: 'open', doc: next }, saveState: { status: unsaved ? 'unsaved' : 'saved' } });
        if (from !== to) session.onOriginChange?.(result.origin);
        if (unsaved) session.autosave.schedule();
      })();
      try {
        await saving;
      } finally {
        saving = undefined;
      }
    },
  };
};
