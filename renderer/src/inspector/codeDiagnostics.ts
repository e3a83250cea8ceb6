import type { Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';

/** A finding to mark in an editor: the validator's diagnostics, or a run's problem (SQL error). */
export interface CodeFinding {
  readonly line: number;
  readonly column?: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Shown with the message, e.g. the diagnostic's code. */
  readonly source?: string;
}

export function findingOf(d: Diagnostic): CodeFinding {
  return { line: d.line, column: d.column, severity: d.severity, message: d.hint ? `${d.message}. ${d.hint}` : d.message, source: d.code };
}

/**
 * Line/column findings → CodeMirror lint diagnostics on `text`: from the column to the end of
 * that line's text (the whole line's text without a column). Positions outside the text are
 * clamped to it, so a finding about a file that has since shrunk still shows. A finding on a
 * blank line (the YAML parser reports some errors where the next token would start, often the
 * empty last line) marks the nearest line above that has text, where the mistake is.
 */
export function toEditorDiagnostics(text: string, findings: readonly CodeFinding[]): EditorDiagnostic[] {
  const starts = lineStarts(text);
  const lineText = (index: number) => {
    const start = starts[index] ?? 0;
    const end = index + 1 < starts.length ? (starts[index + 1] ?? text.length) - 1 : text.length;
    return { start, text: text.slice(start, end) };
  };
  return findings.map((finding) => {
    let index = Math.min(Math.max(finding.line, 1), starts.length) - 1;
    let column = finding.column === undefined ? undefined : finding.column - 1;
    if (lineText(index).text.trim() === '') {
      let above = index - 1;
      while (above >= 0 && lineText(above).text.trim() === '') above--;
      if (above >= 0) {
        index = above;
        column = undefined;
      }
    }
    const line = lineText(index);
    const indent = line.text.length - line.text.trimStart().length;
    const from = line.start + (column === undefined ? indent : Math.min(Math.max(column, 0), line.text.length));
    const to = Math.max(from, line.start + line.text.trimEnd().length);
    return {
      from,
      to,
      severity: finding.severity,
      message: finding.message,
      ...(finding.source === undefined ? {} : { source: finding.source }),
    };
  });
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
