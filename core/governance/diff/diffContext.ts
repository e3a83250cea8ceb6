import type { Fields } from '../../model/read.ts';
import type { SourcePosition } from '../../diagnostics/diagnostic.ts';
import { locate, type YamlPath, type YamlSourceFile } from '../../yaml/sourceFile.ts';
import { DIFF_RULES, headline, sideOf, type ContractChange, type DiffRuleId, type RuleVerdict } from './diffRules.ts';

/** What the contract diff walk shares: both files and the changes found so far. */
export interface DiffContext {
  readonly v1: YamlSourceFile;
  readonly v2: YamlSourceFile;
  readonly changes: ContractChange[];
}

/**
 * A property of a schema, nested ones flattened: `address.street`, array items `tags[]`. Here, not in
 * diffProperties.ts: the constraint diff, which diffProperties calls, reads it too (no cycle).
 */
export interface PropertyAt {
  readonly name: string;
  readonly parent: string;
  readonly fields: Fields;
  readonly path: YamlPath;
}

export interface Subject {
  readonly schema?: string;
  readonly property?: string;
  readonly columns: readonly string[];
}

export const CONTRACT: Subject = { columns: [] };

export function emit(
  ctx: DiffContext,
  ruleId: DiffRuleId,
  subject: Subject,
  message: string,
  where: SourcePosition,
  /** For rules whose verdict varies (DIFF_RULES `when`): the side(s) that differ from the rule's usual verdict. */
  vary: Partial<RuleVerdict> = {},
): void {
  const rule = DIFF_RULES[ruleId];
  const verdict: RuleVerdict = { producer: vary.producer ?? rule.producer, consumers: vary.consumers ?? rule.consumers };
  ctx.changes.push({ ruleId, severity: headline(verdict), ...verdict, side: sideOf(verdict), ...subject, message, where });
}

/** Where a path sits in v2; where it sat in v1 when v2 no longer has it (`fallback` in v2 otherwise). */
export function inV2(ctx: DiffContext, path: YamlPath): SourcePosition {
  return locate(ctx.v2, path);
}

export function inV1(ctx: DiffContext, path: YamlPath): SourcePosition {
  return locate(ctx.v1, path);
}

/** Structural equality of parsed YAML values (plain data: no cycles, no functions). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k], rb[k]));
}

/** A value as a message shows it: strings quoted, short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Keys present in either mapping whose values differ, in v2's key order then v1's. */
export function changedKeys(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  skip: ReadonlySet<string>,
): string[] {
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((k) => !skip.has(k) && !sameValue(a[k], b[k]));
}
