import { analyzeStream, ImportError } from '../../../core/import/importFile.ts';
import type { ImportWorkerMessage, ImportWorkerRequest } from './importProtocol.ts';

/*
 * Reads the files of the Import data dialog off the main thread: each streams in
 * (File.stream()), is decoded, scanned and inferred chunk by chunk (core/import) and copied
 * once into its data file's buffer, which is transferred back, not copied. Progress is posted
 * at most every 50 ms. Cancel terminates this worker: nothing it read reaches the mesh.
 */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ImportWorkerRequest>) => void) | null;
  postMessage: (message: ImportWorkerMessage, transfer?: Transferable[]) => void;
};

async function* chunksOf(file: File): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

scope.onmessage = (event) => {
  void (async () => {
    for (const [index, file] of event.data.files.entries()) {
      let posted = 0;
      const progress = (bytesRead: number): void => {
        const now = performance.now();
        if (now - posted < 50 && bytesRead < file.size) return;
        posted = now;
        scope.postMessage({ kind: 'progress', index, bytesRead, bytesTotal: file.size });
      };
      progress(0);
      try {
        const analysis = await analyzeStream(file.name, file.size, chunksOf(file), progress);
        scope.postMessage({ kind: 'read', index, analysis }, [analysis.bytes.buffer as ArrayBuffer]);
      } catch (error) {
        const message =
          error instanceof ImportError
            ? error.message
            : `${file.name}: it cannot be read (${error instanceof Error ? error.message : String(error)})`;
        scope.postMessage({ kind: 'refused', index, message });
      }
    }
    scope.postMessage({ kind: 'done' });
  })();
};
