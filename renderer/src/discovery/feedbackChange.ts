import { addFeedback } from '../../../core/edits/feedbackEdits.ts';
import { EditError } from '../../../core/model/editError.ts';
import type { DocumentChange, MeshDocument } from '../workspace/meshDocument.ts';
import type { FeedbackDraft } from './FeedbackForm.tsx';

/** Today as YYYY-MM-DD (the feedback file's date), in UTC. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * One feedback entry as an edit of the document: core's addFeedback appends it to
 * feedback/<product>.feedback.yaml (created when absent, every other byte kept), and the new
 * text becomes a `setText` edit, so undo, autosave and the what-if draft treat it like any
 * other edit. Refused (core's words) when the entry is not valid for the mesh.
 */
export function addFeedbackChange(
  doc: MeshDocument,
  product: string,
  draft: FeedbackDraft,
  date: string = today(),
): { readonly change: DocumentChange; readonly label: string } | { readonly refused: string } {
  let files: ReadonlyMap<string, { readonly text: string }>;
  try {
    files = addFeedback(doc.files, { product, date, ...draft }, doc.mesh);
  } catch (error) {
    if (error instanceof EditError) return { refused: error.message };
    throw error;
  }
  const changed = [...files].find(([path, file]) => doc.files.get(path)?.text !== file.text);
  if (!changed) return { refused: 'The feedback changed nothing.' };
  const [file, { text }] = changed;
  return { change: { edit: { kind: 'setText', file, text } }, label: `Feedback ${draft.rating}★ on ${product}` };
}
