import { asBoolean, asFields, asList, asNumber, asString, type Fields } from '../../model/read.ts';
import type { YamlPath } from '../../yaml/sourceFile.ts';
import { changedKeys, emit, inV1, inV2, sameValue, show, type DiffContext, type PropertyAt, type Subject } from './diffContext.ts';
import { diffQuality } from './diffQuality.ts';
import { compareTypes, describeType } from './diffTypes.ts';
import { compareConstraints, isNumeric } from './diffConstraints.ts';
import { compareClassification } from './diffGuarantees.ts';

export function flattenProperties(list: unknown, path: YamlPath, prefix = ''): PropertyAt[] {
  const out: PropertyAt[] = [];
  asList(list).forEach((raw, index) => {
    const fields = asFields(raw);
    const leaf = asString(fields['name']);
    if (leaf === undefined) return; // the schema check reports it
    const name = prefix ? `${prefix}.${leaf}` : leaf;
    const at = [...path, index];
    out.push({ name, parent: prefix, fields, path: at });
    out.push(...flattenProperties(fields['properties'], [...at, 'properties'], name));
    const items = fields['items'];
    if (items !== null && typeof items === 'object' && !Array.isArray(items)) {
      const itemFields = asFields(items);
      out.push({ name: `${name}[]`, parent: name, fields: itemFields, path: [...at, 'items'] });
      out.push(...flattenProperties(itemFields['properties'], [...at, 'items', 'properties'], `${name}[]`));
    }
  });
  return out;
}

function isUnder(name: string, ancestor: string): boolean {
  return name.startsWith(`${ancestor}.`) || name.startsWith(`${ancestor}[]`);
}

/**
 * Renames are a removed and an added property under the same parent that share a stable
 * `id`, a `physicalName`, or both their type and a non-empty description. A rename is as
 * breaking as a removal for consumers; reporting it as one says what to change.
 */
function isRename(a: Fields, b: Fields): boolean {
  const same = (key: string): boolean => {
    const x = asString(a[key]);
    return x !== undefined && x !== '' && x === asString(b[key]);
  };
  if (asString(a['id']) !== undefined && asString(b['id']) !== undefined) return same('id');
  return same('physicalName') || (same('description') && describeType(a) === describeType(b));
}

/** Compares the properties of one schema; returns v1 name → v2 name for the pairs matched. */
export function diffProperties(
  ctx: DiffContext,
  schema: string,
  before: readonly PropertyAt[],
  after: readonly PropertyAt[],
): Map<string, string> {
  const matched = new Map<string, string>();
  const v2ByName = new Map(after.map((p) => [p.name, p]));
  for (const p of before) if (v2ByName.has(p.name)) matched.set(p.name, p.name);
  const removed = before.filter((p) => !matched.has(p.name));
  const added = after.filter((p) => !before.some((q) => q.name === p.name));
  const renamed = new Map<string, PropertyAt>();
  const taken = new Set<PropertyAt>();
  for (const old of removed) {
    const parent = matched.get(old.parent) ?? old.parent;
    // Under a renamed object, a property keeps its own name: `address.street` → `addr.street`.
    const carried = parent === old.parent ? undefined : added.find((p) => p.name === `${parent}${old.name.slice(old.parent.length)}`);
    const partner = carried ?? added.find((p) => p.parent === parent && !taken.has(p) && isRename(old.fields, p.fields));
    if (!partner) continue;
    taken.add(partner);
    matched.set(old.name, partner.name);
    if (!carried) renamed.set(old.name, partner);
  }
  const gone = removed.filter((p) => !matched.has(p.name));
  const newNames = new Set(matched.values());
  const fresh = added.filter((p) => !newNames.has(p.name));

  for (const old of before) {
    const name = matched.get(old.name);
    const now = name === undefined ? undefined : v2ByName.get(name);
    if (now === undefined) {
      if (gone.some((g) => g !== old && isUnder(old.name, g.name))) continue; // its parent's removal says it
      emit(
        ctx,
        'property-removed',
        { schema, property: old.name, columns: [old.name] },
        `property "${old.name}" (${describeType(old.fields)}) was removed: consumers that read it break`,
        inV1(ctx, [...old.path, 'name']),
      );
      continue;
    }
    const subject: Subject = { schema, property: now.name, columns: old.name === now.name ? [old.name] : [old.name, now.name] };
    if (renamed.has(old.name)) {
      emit(
        ctx,
        'property-renamed',
        subject,
        `property "${old.name}" was renamed to "${now.name}": consumers that read "${old.name}" break`,
        inV2(ctx, [...now.path, 'name']),
      );
    }
    compareProperty(ctx, subject, old, now);
  }
  for (const p of fresh) {
    if (fresh.some((f) => f !== p && isUnder(p.name, f.name))) continue;
    const required = asBoolean(p.fields['required']);
    const subject = { schema, property: p.name, columns: [p.name] };
    if (required) {
      emit(
        ctx,
        'property-added-required',
        subject,
        `required property "${p.name}" (${describeType(p.fields)}) added: the producer must fill it in every row`,
        inV2(ctx, [...p.path, 'name']),
      );
    } else {
      emit(
        ctx,
        'property-added-optional',
        subject,
        `optional property "${p.name}" (${describeType(p.fields)}) added`,
        inV2(ctx, [...p.path, 'name']),
      );
    }
  }
  return matched;
}

// Keys compared by their own rules; everything else that differs is reported as metadata.
const OWN_RULES = new Set([
  'name',
  'properties',
  'items',
  'primaryKey',
  'primaryKeyPosition',
  'logicalType',
  'physicalType',
  'logicalTypeOptions',
  'required',
  'unique',
  'classification',
  'physicalName',
  'description',
  'quality',
]);

function compareProperty(ctx: DiffContext, subject: Subject, old: PropertyAt, now: PropertyAt): void {
  const a = old.fields;
  const b = now.fields;
  const at = (key: string): ReturnType<typeof inV2> => inV2(ctx, [...now.path, key]);
  const type = compareTypes(a, b);
  const typeKey =
    asString(a['logicalType']) !== asString(b['logicalType'])
      ? 'logicalType'
      : sameValue(a['physicalType'], b['physicalType'])
        ? 'logicalTypeOptions'
        : 'physicalType';
  if (type.verdict === 'incompatible')
    emit(ctx, 'type-incompatible', subject, `type ${type.from} → ${type.to}: existing queries and casts may fail`, at(typeKey));
  else if (type.verdict === 'narrowed')
    emit(ctx, 'type-narrowed', subject, `type ${type.from} → ${type.to} is narrower: existing values may not fit`, at(typeKey));
  else if (type.verdict === 'widened')
    emit(
      ctx,
      'type-widened',
      subject,
      `type ${type.from} → ${type.to} is wider: queries keep working, values may exceed the old type`,
      at(typeKey),
    );

  const flag = (
    key: 'required' | 'unique',
    added: 'required-added' | 'unique-added',
    removed: 'required-removed' | 'unique-removed',
    wording: string,
  ): void => {
    const was = asBoolean(a[key]);
    const is = asBoolean(b[key]);
    if (!was && is) emit(ctx, added, subject, `"${now.name}" became ${wording}: existing rows may break the contract`, at(key));
    if (was && !is)
      emit(
        ctx,
        removed,
        subject,
        `"${now.name}" is no longer ${wording}: consumers may now see ${key === 'required' ? 'nulls' : 'duplicates'}`,
        b[key] === undefined ? at('name') : at(key),
      );
  };
  flag('required', 'required-added', 'required-removed', 'required');
  flag('unique', 'unique-added', 'unique-removed', 'unique');

  if (type.verdict !== 'incompatible') compareConstraints(ctx, subject, old, now);

  compareClassification(ctx, subject, now.name, a, b, b['classification'] === undefined ? at('name') : at('classification'));
  if (!sameValue(a['physicalName'], b['physicalName'])) {
    emit(ctx, 'physical-name-changed', subject, `physicalName ${show(a['physicalName'])} → ${show(b['physicalName'])}`, at('physicalName'));
  }
  if (!sameValue(a['description'], b['description']))
    emit(ctx, 'description-changed', subject, `description of "${now.name}" changed`, at('description'));
  diffQuality(ctx, subject, a['quality'], b['quality'], [...old.path, 'quality'], [...now.path, 'quality']);

  const meta = changedKeys(a, b, OWN_RULES);
  if (type.verdict === 'same') for (const key of ['logicalType', 'physicalType'] as const) if (!sameValue(a[key], b[key])) meta.push(key);
  // Spelled differently, meaning the same (`required: false` written out, a default format
  // made explicit): the rules above saw no change, but the text did.
  for (const key of ['required', 'unique', 'primaryKey'] as const)
    if (asBoolean(a[key]) === asBoolean(b[key]) && !sameValue(a[key], b[key])) meta.push(key);
  const samePrimaryKeyFlag = asBoolean(a['primaryKey']) === asBoolean(b['primaryKey']); // else primary-key-changed says it
  if (samePrimaryKeyFlag && !sameValue(a['primaryKeyPosition'], b['primaryKeyPosition'])) meta.push('primaryKeyPosition');
  const formatOf = (f: Fields): unknown => asFields(f['logicalTypeOptions'])['format'];
  if (type.verdict === 'same' && !sameValue(formatOf(a), formatOf(b)) && isNumeric(a) && isNumeric(b))
    meta.push('logicalTypeOptions.format');
  if (meta.length > 0) emit(ctx, 'metadata-changed', subject, `"${now.name}": ${meta.join(', ')} changed`, at(meta[0] ?? 'name'));
}

/** Primary key columns in key order (primaryKeyPosition, then document order). */
export function primaryKeyOf(properties: readonly PropertyAt[]): PropertyAt[] {
  const keys = properties.filter((p) => asBoolean(p.fields['primaryKey']));
  const position = (p: PropertyAt): number => {
    const n = asNumber(p.fields['primaryKeyPosition']);
    return n !== undefined && n > 0 ? n : Number.MAX_SAFE_INTEGER;
  };
  return keys
    .map((p, i) => ({ p, i }))
    .sort((x, y) => position(x.p) - position(y.p) || x.i - y.i)
    .map((x) => x.p);
}

export function diffPrimaryKey(
  ctx: DiffContext,
  schema: string,
  before: readonly PropertyAt[],
  after: readonly PropertyAt[],
  renames: ReadonlyMap<string, string>,
): void {
  const was = primaryKeyOf(before);
  const is = primaryKeyOf(after);
  const wasNames = was.map((p) => renames.get(p.name) ?? p.name);
  const isNames = is.map((p) => p.name);
  if (sameValue(wasNames, isNames)) return;
  const columns = [...new Set([...was.map((p) => p.name), ...wasNames, ...isNames])];
  const first = is[0];
  const where = first ? inV2(ctx, [...first.path, 'primaryKey']) : was[0] ? inV1(ctx, [...was[0].path, 'primaryKey']) : inV2(ctx, []);
  const list = (names: readonly string[]): string => (names.length === 0 ? '(none)' : `(${names.join(', ')})`);
  emit(
    ctx,
    'primary-key-changed',
    { schema, columns },
    `primary key ${list(was.map((p) => p.name))} → ${list(isNames)}: joins and merges on it change`,
    where,
  );
}
