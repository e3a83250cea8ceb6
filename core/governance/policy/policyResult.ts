import type { Diagnostic, SourcePosition } from '../../diagnostics/diagnostic.ts';
import type { PolicySeverity } from './policies.ts';

/*
 * What evaluating a policy yields. Apart from evaluate.ts so the score (which evaluate.ts
 * computes) can read results without importing evaluate.ts back: no import cycle.
 */

export interface Violation {
  readonly policy: string;
  readonly severity: PolicySeverity;
  readonly product?: string;
  readonly domain?: string;
  readonly port?: string;
  readonly column?: string;
  readonly message: string;
  /** Where the violating thing is written: the contract column, the port, the product. */
  readonly at?: SourcePosition;
}

export interface PolicyResult {
  readonly id: string;
  readonly title: string;
  readonly scope: string;
  readonly severity: PolicySeverity;
  readonly source: 'mesh' | 'library';
  readonly uses?: string;
  readonly file: string;
  readonly violations: readonly Violation[];
  /** More violations than MAX_VIOLATIONS; only the first are kept. */
  readonly truncated?: boolean;
  /** The policy could not be evaluated (its SQL failed): a diagnostic naming file, line, column. */
  readonly error?: Diagnostic;
  /** The policy was not evaluated, with the reason. */
  readonly skipped?: string;
}
