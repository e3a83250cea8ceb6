import type { ImportAnalysis } from '../../../core/import/importFile.ts';

/** What the import worker (importFiles.worker.ts) is asked: read these files, in order. */
export interface ImportWorkerRequest {
  readonly files: readonly File[];
}

/** What it answers while it reads: progress of a file, a file done (or refused), all done. */
export type ImportWorkerMessage =
  | { readonly kind: 'progress'; readonly index: number; readonly bytesRead: number; readonly bytesTotal: number }
  | { readonly kind: 'read'; readonly index: number; readonly analysis: ImportAnalysis }
  | { readonly kind: 'refused'; readonly index: number; readonly message: string }
  | { readonly kind: 'done' };
