import { useEffect, useState } from 'react';
import type { ImportAnalysis } from '../../../core/import/importFile.ts';
import type { ImportWorkerMessage, ImportWorkerRequest } from './importProtocol.ts';

/** One file of the dialog as the worker reads it. */
export interface FileReading {
  readonly file: File;
  readonly bytesRead: number;
  readonly analysis?: ImportAnalysis;
  /** Why it cannot be imported: file, line and column, and the reason. */
  readonly error?: string;
}

export interface FileReadings {
  readonly files: readonly FileReading[];
  /** Every file is read or refused. */
  readonly done: boolean;
}

/**
 * Reads `files` in a fresh import worker (importFiles.worker.ts), one after the other, with
 * their bytes read so far; the worker is terminated when the reading ends or the dialog
 * closes (Cancel), so a cancelled read leaves nothing behind and costs nothing more.
 */
export function useFileReading(files: readonly File[]): FileReadings {
  const [state, setState] = useState<FileReadings>(() => ({ files: files.map((file) => ({ file, bytesRead: 0 })), done: false }));
  useEffect(() => {
    const patch = (index: number, change: Partial<FileReading>): void =>
      setState((s) => ({ ...s, files: s.files.map((f, i) => (i === index ? { ...f, ...change } : f)) }));
    const fail = (message: string): void =>
      setState((s) => ({
        done: true,
        files: s.files.map((f) => (f.analysis || f.error ? f : { ...f, error: `${f.file.name}: it cannot be read (${message})` })),
      }));
    let worker: Worker;
    try {
      worker = new Worker(new URL('./importFiles.worker.ts', import.meta.url), { type: 'module', name: 'import-files' });
    } catch (error) {
      fail(`the import worker did not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    worker.onmessage = (event: MessageEvent<ImportWorkerMessage>) => {
      const message = event.data;
      switch (message.kind) {
        case 'progress':
          return patch(message.index, { bytesRead: message.bytesRead });
        case 'read':
          return patch(message.index, { analysis: message.analysis, bytesRead: message.analysis.bytes.byteLength });
        case 'refused':
          return patch(message.index, { error: message.message });
        case 'done':
          worker.terminate();
          return setState((s) => ({ ...s, done: true }));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      fail(event.message || 'the import worker stopped');
    };
    worker.postMessage({ files } satisfies ImportWorkerRequest);
    return () => worker.terminate();
  }, [files]);
  return state;
}
