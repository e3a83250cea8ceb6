import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { contractFromDocument } from '../../model/contractDocument.ts';
import { asFields, asList, asString, type Fields } from '../../model/read.ts';
import { ODCS_SCHEMA } from '../../standards/schemas.ts';
import { checkSchema } from '../../validate/schemaCheck.ts';
import type { YamlSourceFile } from '../../yaml/sourceFile.ts';
import { diffNamedList, diffSlas } from './diffContractLevel.ts';
import {
  changedKeys,
  CONTRACT,
  emit,
  inV1,
  inV2,
  sameValue,
  show,
  type DiffContext,
  type PropertyAt,
  type Subject,
} from './diffContext.ts';
import { diffPrimaryKey, diffProperties, flattenProperties } from './diffProperties.ts';
import { compareSchemaType } from './diffGuarantees.ts';
import { diffQuality } from './diffQuality.ts';
import { judgeVersion } from './diffVersion.ts';
import type { ContractChange } from './diffRules.ts';

/*
 * The contract diff: what changed from one version of an ODCS contract to the next, each
 * change with a stable rule id (diffRules.ts), a severity judged from the producer's and the
 * consumers' side, and the place in the file. Pure: two parsed files in, data out; the CLI
 * (core/node/diffCommand.ts) and, later, the app's what-if view both call it.
 */
export interface ContractSide {
  readonly file: string;
  readonly id?: string;
  readonly version?: string;
}

export interface ContractDiff {
  readonly from: ContractSide;
  readonly to: ContractSide;
  /**
   * Problems of the inputs: YAML syntax errors and everything the ODCS v3.1.0 schema rejects
   * (unknown fields included: the schema allows none). Empty for two valid contracts.
   */
  readonly diagnostics: readonly Diagnostic[];
  /** True when the diff did not run: an input is not YAML, or (unless lenient) the schema rejects it. */
  readonly refused: boolean;
  readonly changes: readonly ContractChange[];
  /** True when any change is breaking (its headline severity). */
  readonly breaking: boolean;
}

export interface DiffOptions {
  /**
   * Diff files the ODCS schema rejects, their schema problems turned into warnings. For callers
   * that report those problems elsewhere (a mesh's own validation: what-if, `quanta check`), and
   * for `quanta diff --lenient`.
   */
  readonly lenient?: boolean;
}

/**
 * YAML syntax problems, or every finding of the ODCS v3.1.0 schema check: errors and unknown
 * fields alike. A mesh tolerates unknown fields as warnings, but a diff must not: the schema
 * rejects them, and a misspelt key (`maxLenght`) would read as the real one removed.
 */
export function checkContractFile(file: YamlSourceFile): Diagnostic[] {
  if (file.diagnostics.length > 0) return [...file.diagnostics];
  // The schema check already drops the "unknown field" echo of a problem inside a field.
  return checkSchema(file, ODCS_SCHEMA, 'ODCS v3.1.0').map((d) =>
    d.code === 'QUANTA_W014' ? { ...d, severity: 'error', hint: UNKNOWN_FIELD_HINT } : d,
  );
}

const UNKNOWN_FIELD_HINT =
  'The ODCS v3.1.0 schema allows no other fields here: fix the spelling, or move the field under customProperties.';

export function diffContracts(v1: YamlSourceFile, v2: YamlSourceFile, options: DiffOptions = {}): ContractDiff {
  const from = sideOf(v1);
  const to = sideOf(v2);
  const problems = [...checkContractFile(v1), ...checkContractFile(v2)];
  const unparsed = v1.diagnostics.length > 0 || v2.diagnostics.length > 0 || v1.value === undefined || v2.value === undefined;
  if (unparsed || (problems.length > 0 && options.lenient !== true))
    return { from, to, diagnostics: problems, refused: true, changes: [], breaking: false };
  const diagnostics = problems.map((d): Diagnostic => ({ ...d, severity: 'warning' }));
  const ctx: DiffContext = { v1, v2, changes: [] };
  const a = asFields(v1.value);
  const b = asFields(v2.value);
  if (!sameValue(a['id'], b['id'])) {
    emit(
      ctx,
      'contract-id-changed',
      CONTRACT,
      `contract id ${show(a['id'])} → ${show(b['id'])}: input ports name the old id`,
      inV2(ctx, ['id']),
    );
  }
  diffSchemas(ctx, a, b);
  diffSlas(ctx, a, b);
  diffNamedList(ctx, a, b, 'servers');
  diffNamedList(ctx, a, b, 'roles');
  const status = asString(b['status']) ?? '';
  if (!sameValue(a['status'], b['status'])) {
    const ending = status === 'deprecated' || status === 'retired';
    const message = `status ${show(a['status'])} → ${show(b['status'])}${ending ? ': consumers should plan to move off this contract' : ''}`;
    emit(ctx, 'status-changed', CONTRACT, message, inV2(ctx, ['status']), ending ? { consumers: 'warning' } : {});
  }
  if (!sameValue(a['description'], b['description']))
    emit(ctx, 'description-changed', CONTRACT, 'contract description changed', inV2(ctx, ['description']));
  const handled = new Set(['id', 'version', 'status', 'description', 'schema', 'slaProperties', 'servers', 'roles']);
  const meta = changedKeys(a, b, handled);
  if (meta.length > 0) emit(ctx, 'metadata-changed', CONTRACT, `${meta.join(', ')} changed`, inV2(ctx, [meta[0] ?? 'id']));
  // The safety net: a difference no rule describes is still reported, never silent.
  if (ctx.changes.length === 0 && !sameValue({ ...a, version: undefined }, { ...b, version: undefined })) {
    emit(ctx, 'metadata-changed', CONTRACT, 'the contract changed in a way no diff rule describes', inV2(ctx, []));
  }
  judgeVersion(ctx, a, b);
  return { from, to, diagnostics, refused: false, changes: ctx.changes, breaking: ctx.changes.some((c) => c.severity === 'breaking') };
}

function sideOf(file: YamlSourceFile): ContractSide {
  const contract = file.value === undefined ? undefined : contractFromDocument(file.path, file.value);
  return contract ? { file: file.path, id: contract.id, version: contract.version } : { file: file.path };
}

interface SchemaAt {
  readonly name: string;
  readonly index: number;
  readonly fields: Fields;
  readonly properties: readonly PropertyAt[];
}

function schemasOf(document: Fields): SchemaAt[] {
  return asList(document['schema']).flatMap((raw, index) => {
    const fields = asFields(raw);
    const name = asString(fields['name']);
    return name === undefined
      ? []
      : [{ name, index, fields, properties: flattenProperties(fields['properties'], ['schema', index, 'properties']) }];
  });
}

/** Same stable id, same physicalName, or exactly the same top-level columns under a new name. */
function isSchemaRename(a: SchemaAt, b: SchemaAt): boolean {
  const id = asString(a.fields['id']);
  if (id !== undefined && asString(b.fields['id']) !== undefined) return id === asString(b.fields['id']);
  const physical = asString(a.fields['physicalName']);
  if (physical !== undefined && physical === asString(b.fields['physicalName'])) return true;
  const top = (s: SchemaAt): string[] => s.properties.filter((p) => p.parent === '').map((p) => p.name);
  return top(a).length > 0 && sameValue(top(a), top(b));
}

function diffSchemas(ctx: DiffContext, a: Fields, b: Fields): void {
  const before = schemasOf(a);
  const after = schemasOf(b);
  const unmatchedAfter = after.filter((s) => !before.some((t) => t.name === s.name));
  const paired = new Set<SchemaAt>();
  for (const old of before) {
    const columns = old.properties.map((p) => p.name);
    const same = after.find((s) => s.name === old.name);
    if (same) {
      compareSchema(ctx, old, same);
      continue;
    }
    const renamed = unmatchedAfter.find((s) => !paired.has(s) && isSchemaRename(old, s));
    if (renamed) {
      paired.add(renamed);
      emit(
        ctx,
        'schema-renamed',
        { schema: renamed.name, columns },
        `schema "${old.name}" was renamed to "${renamed.name}": consumers reading "${old.name}" break`,
        inV2(ctx, ['schema', renamed.index, 'name']),
      );
      compareSchema(ctx, old, renamed);
      continue;
    }
    emit(
      ctx,
      'schema-removed',
      { schema: old.name, columns },
      `schema "${old.name}" was removed: every consumer reading it breaks`,
      inV1(ctx, ['schema', old.index, 'name']),
    );
  }
  for (const added of unmatchedAfter) {
    if (paired.has(added)) continue;
    emit(
      ctx,
      'schema-added',
      { schema: added.name, columns: [] },
      `schema "${added.name}" added (${added.properties.length === 1 ? '1 property' : `${added.properties.length} properties`})`,
      inV2(ctx, ['schema', added.index, 'name']),
    );
  }
}

const SCHEMA_OWN_RULES = new Set([
  'name',
  'properties',
  'quality',
  'physicalName',
  'physicalType',
  'logicalType',
  'dataGranularityDescription',
  'description',
]);

function compareSchema(ctx: DiffContext, old: SchemaAt, now: SchemaAt): void {
  const renames = diffProperties(ctx, now.name, old.properties, now.properties);
  diffPrimaryKey(ctx, now.name, old.properties, now.properties, renames);
  const subject: Subject = { schema: now.name, columns: old.properties.map((p) => p.name) };
  diffQuality(
    ctx,
    subject,
    old.fields['quality'],
    now.fields['quality'],
    ['schema', old.index, 'quality'],
    ['schema', now.index, 'quality'],
  );
  const at = (key: string): ReturnType<typeof inV2> => inV2(ctx, ['schema', now.index, key]);
  const a = old.fields;
  const b = now.fields;
  compareSchemaType(ctx, subject, now.name, a, b, at);
  if (!sameValue(a['physicalName'], b['physicalName'])) {
    emit(
      ctx,
      'physical-name-changed',
      subject,
      `physicalName of "${now.name}" ${show(a['physicalName'])} → ${show(b['physicalName'])}`,
      at('physicalName'),
    );
  }
  if (!sameValue(a['dataGranularityDescription'], b['dataGranularityDescription'])) {
    emit(
      ctx,
      'granularity-changed',
      subject,
      `granularity of "${now.name}" ${show(a['dataGranularityDescription'])} → ${show(b['dataGranularityDescription'])}`,
      at('dataGranularityDescription'),
    );
  }
  if (!sameValue(a['description'], b['description']))
    emit(ctx, 'description-changed', subject, `description of "${now.name}" changed`, at('description'));
  const meta = changedKeys(a, b, SCHEMA_OWN_RULES);
  if (meta.length > 0) emit(ctx, 'metadata-changed', subject, `"${now.name}": ${meta.join(', ')} changed`, at(meta[0] ?? 'name'));
}
