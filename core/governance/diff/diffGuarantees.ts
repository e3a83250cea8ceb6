import { asString, type Fields } from '../../model/read.ts';
import type { SourcePosition } from '../../diagnostics/diagnostic.ts';
import { emit, sameValue, show, type DiffContext, type Subject } from './diffContext.ts';

/*
 * Two guarantees judged by direction: a property's classification and a schema's type.
 *
 * Classification is data protection: Quanta masks every classification but `public` and
 * `internal` (core/governance/access/access.ts), and consumers' own access rules follow it. Levels
 * are ordered public < internal < confidential < restricted < secret; any other label counts
 * as classified (above internal) at a level Quanta cannot place. Removing or weakening one
 * breaks what consumers relied on; adding or strengthening one is work for the producer
 * (masking, roles) and changes what some readers see, a warning.
 */
const LEVELS: Readonly<Record<string, number>> = {
  public: 0,
  internal: 1,
  confidential: 2,
  sensitive: 2,
  restricted: 3,
  secret: 4,
  'highly-confidential': 4,
};

function level(label: string): number | undefined {
  return LEVELS[label.trim().toLowerCase()];
}

function protects(label: string): boolean {
  return (level(label) ?? 2) >= 2;
}

export function compareClassification(ctx: DiffContext, subject: Subject, name: string, a: Fields, b: Fields, where: SourcePosition): void {
  if (sameValue(a['classification'], b['classification'])) return;
  const was = asString(a['classification']);
  const is = asString(b['classification']);
  const change = `classification ${show(was)} → ${show(is)}`;
  if (was === undefined && is !== undefined) {
    emit(ctx, 'classification-added', subject, `"${name}": ${change}: masking and access may change`, where);
    return;
  }
  if (is === undefined) {
    emit(ctx, 'classification-removed', subject, `"${name}": ${change}: the protection consumers relied on is gone`, where);
    return;
  }
  if (was === undefined) return;
  const x = level(was);
  const y = level(is);
  // Known levels order; a label Quanta cannot place still orders against an unprotected one.
  const order = x !== undefined && y !== undefined ? Math.sign(y - x) : protects(was) !== protects(is) ? (protects(is) ? 1 : -1) : NaN;
  if (order > 0) emit(ctx, 'classification-strengthened', subject, `"${name}": ${change} is stricter: masking and access change`, where);
  else if (order < 0)
    emit(ctx, 'classification-weakened', subject, `"${name}": ${change} is weaker: the protection consumers relied on is gone`, where);
  else emit(ctx, 'classification-changed', subject, `"${name}": ${change}: Quanta cannot tell whether it is weaker`, where);
}

/*
 * A schema's logicalType (object) and physicalType (table, view, topic, file, object, …)
 * say what kind of thing a reader addresses. Table and view are read the same way (SQL over
 * rows); any other change (a table becoming an object, a topic) breaks how both sides use it.
 */
const RELATIONAL = new Set(['table', 'view']);

export function compareSchemaType(
  ctx: DiffContext,
  subject: Subject,
  name: string,
  a: Fields,
  b: Fields,
  at: (key: string) => SourcePosition,
): void {
  for (const key of ['logicalType', 'physicalType'] as const) {
    if (sameValue(a[key], b[key])) continue;
    const was = asString(a[key])?.toLowerCase();
    const is = asString(b[key])?.toLowerCase();
    // Stated on one side only: ODCS's default for a schema is a table (object), so not a change of kind.
    const defaulted =
      was === undefined ? is === 'table' || is === 'object' : is === undefined ? was === 'table' || was === 'object' : false;
    const relational = was !== undefined && is !== undefined && RELATIONAL.has(was) && RELATIONAL.has(is);
    const message = `${key} of "${name}" ${show(a[key])} → ${show(b[key])}`;
    if (defaulted || relational)
      emit(ctx, 'schema-type-changed', subject, `${message}: read the same way`, at(key), { producer: 'info', consumers: 'info' });
    else emit(ctx, 'schema-type-changed', subject, `${message}: readers and the producer address it differently`, at(key));
  }
}
