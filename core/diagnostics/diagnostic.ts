import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from './codes.ts';

/** A place in a mesh file; line and column are 1-based, as editors show them. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic extends SourcePosition {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly hint: string;
}

export function diagnostic(code: DiagnosticCode, at: SourcePosition, message: string, hint?: string): Diagnostic {
  const info = DIAGNOSTIC_CODES[code];
  return {
    code,
    severity: info.severity,
    file: at.file,
    line: at.line,
    column: at.column,
    message,
    hint: hint ?? info.hint,
  };
}

export function startOf(file: string): SourcePosition {
  return { file, line: 1, column: 1 };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, then position, then code — so output and tests do not depend on I/O order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** `file:line:col code message`, the format compilers use, so editors and CI can link to it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.code} ${d.severity}: ${d.message}`;
}
