import { documentKey, openDocument, type DocumentOrigin } from '../workspace/meshDocument.ts';
import type { AppState, SampleState, SamplesSlice, SliceCreator } from './state.ts';

/**
 * The bundled samples load in the background; the sample in the URL becomes the open document
 * as soon as it has loaded (and again when the URL names another one).
 */
export function createSamplesSlice(folders: readonly string[], openSample: string | undefined): SliceCreator<SamplesSlice> {
  return (set, get, session) => {
    const syncSample = (): void => {
      const { openSample: folder, samples, document } = get();
      if (folder === undefined) return;
      const sample = samples[folder];
      if (sample?.status !== 'loaded') return;
      const origin: DocumentOrigin = { kind: 'sample', folder };
      if (document.status === 'open' && documentKey(document.doc.origin) === documentKey(origin)) return;
      session.beginOpen();
      set({
        document: { status: 'open', doc: openDocument(origin, sample.loaded, sample.files) },
        saveState: { status: 'saved' },
        notice: undefined,
        diskNotices: [],
        draft: undefined,
      } satisfies Partial<AppState>);
      // Quanta boot while the user looks at the sample: the first Run all does not wait for them.
      session.warm(sample.loaded.mesh.products.length);
    };
    return {
      samples: Object.fromEntries(folders.map((folder) => [folder, { status: 'loading' } satisfies SampleState])),
      openSample,
      setSampleState: (folder, state) => {
        set((s) => ({ samples: { ...s.samples, [folder]: state } }));
        syncSample();
      },
      showSample: (folder) => {
        set({ openSample: folder });
        syncSample();
      },
    };
  };
}
