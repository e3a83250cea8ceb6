import { useState } from 'react';
import type { MeshEdit } from '../../../../core/edits/meshEdits.ts';
import type { OnEdit } from '../contractViewProps.ts';
import { InputProblem } from '../DiagnosticNotes.tsx';

/**
 * A text field of an SLA or role row: written to the file as the user types (one undo step
 * per field while typing); a refused value stays in the field with the reason, and the file
 * keeps its last good value.
 */
export function TermInput({
  id,
  value,
  label,
  problem,
  edit,
  onEdit,
  editLabel,
  list,
  disabled,
}: {
  /** Unique on the page: the field's file path and YAML path. */
  readonly id: string;
  readonly value: string;
  readonly label: string;
  readonly problem: (input: string) => string | undefined;
  readonly edit: (input: string) => MeshEdit | undefined;
  readonly onEdit: OnEdit;
  readonly editLabel: string;
  readonly list?: string;
  readonly disabled?: boolean;
}) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const shown = draft ?? value;
  const wrong = draft === undefined ? undefined : problem(draft);
  const problemId = `${id}:problem`;
  return (
    <>
      <input
        type="text"
        id={inputId(id)}
        aria-label={label}
        value={shown}
        list={list}
        disabled={disabled}
        aria-invalid={wrong !== undefined}
        aria-describedby={wrong ? problemId : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const change = edit(e.target.value);
          if (change) onEdit(change, editLabel, `field:${id}`);
        }}
        onBlur={() => {
          if (draft !== undefined && problem(draft) === undefined) setDraft(undefined);
        }}
      />
      <InputProblem id={problemId} text={wrong} />
    </>
  );
}

/** The DOM id of a TermInput's field, for a visible `<label htmlFor>`. */
export function inputId(id: string): string {
  return `${id}:input`;
}
