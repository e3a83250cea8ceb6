import { isMap, isSeq, parseDocument } from 'yaml';
import { setInText } from '../yaml/patchYaml.ts';
import { parseYaml, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { isClassified } from './constraintChecks.ts';
import type { ColumnFacts } from './deriveFacts.ts';
import { personalDataGuess } from './derivePersonal.ts';

/**
 * "Derive contract from output": from the facts of a published version's columns
 * (deriveFacts.ts), proposals against the current `.odcs.yaml` — types, `required` where no
 * value is null, unique / primary key candidates, enum-like columns as an `invalidValues`
 * rule with `validValues`, personal-data guesses as `classification` — each with its reason
 * and the field edits that make it. The user accepts them one by one; `applyProposals` makes
 * the accepted ones into the new file text, comments and layout kept.
 */
export type ProposalKind =
  'addColumn' | 'logicalType' | 'physicalType' | 'required' | 'unique' | 'primaryKey' | 'validValues' | 'classification';

export interface Proposal {
  /** Stable within one derivation: `<column>:<kind>`. */
  readonly id: string;
  readonly column: string;
  readonly kind: ProposalKind;
  /** The value proposed (for validValues the list, for addColumn the whole property). */
  readonly value: unknown;
  /** What the contract says now (undefined: nothing). */
  readonly current?: unknown;
  readonly reason: string;
  readonly edits: readonly FieldEdit[];
}

export interface FieldEdit {
  readonly path: YamlPath;
  readonly value: unknown;
  /** Add `value` at the end of the list at `path` (made when missing), wherever it ends when applied. */
  readonly append?: true;
}

export interface Derivation {
  /** Index and name of the schema entry derived against. */
  readonly table: { readonly index: number; readonly name: string };
  readonly proposals: readonly Proposal[];
}

/** Enum-like: at most this many distinct values … */
const ENUM_MAX = 12;
/** … and at least this many rows per distinct value. */
const ENUM_ROWS_PER_VALUE = 5;

type Fields = Readonly<Record<string, unknown>>;

/** Proposals for the schema entry named `tableName` (or the first one) of `file`. */
export function deriveContract(file: YamlSourceFile, tableName: string, facts: readonly ColumnFacts[]): Derivation | { error: string } {
  const schema = fieldsOf(file.value)['schema'];
  if (file.diagnostics.length > 0 || !Array.isArray(schema)) return { error: `${file.path} has no readable schema: fix its YAML first` };
  const named = schema.findIndex((t) => fieldsOf(t)['name'] === tableName);
  const index = named >= 0 ? named : 0;
  const table = fieldsOf(schema[index]);
  if (schema.length === 0) return { error: `${file.path} declares no schema entry: add one (the YAML view) first` };
  const properties = Array.isArray(table['properties']) ? table['properties'].map(fieldsOf) : [];
  const base: YamlPath = ['schema', index, 'properties'];
  const hasKey = properties.some((p) => p['primaryKey'] === true);
  const proposals: Proposal[] = [];
  let keyProposed = hasKey;

  for (const column of facts) {
    const at = properties.findIndex((p) => p['name'] === column.name);
    const derived = derivedProperty(column);
    const keyCandidate =
      !keyProposed && derived.unique === true && derived.required === true && looksLikeKey(column.name, facts.indexOf(column));
    if (keyCandidate) keyProposed = true;
    if (at < 0) {
      const property = { ...derived.fields, ...(keyCandidate ? { primaryKey: true } : {}) };
      proposals.push({
        id: `${column.name}:addColumn`,
        column: column.name,
        kind: 'addColumn',
        value: property,
        reason: `the data has a column “${column.name}” (${column.duckdbType}) the contract does not declare; ${derived.reasons.join('; ')}`,
        edits: [{ path: base, value: property, append: true }],
      });
      continue;
    }
    const current = properties[at] ?? {};
    const here: YamlPath = [...base, at];
    const propose = (
      kind: ProposalKind,
      value: unknown,
      reason: string,
      edits: readonly FieldEdit[] = [{ path: [...here, kind], value }],
    ) => proposals.push({ id: `${column.name}:${kind}`, column: column.name, kind, value, current: current[kind], reason, edits });

    if (current['logicalType'] !== derived.fields.logicalType) {
      propose(
        'logicalType',
        derived.fields.logicalType,
        `DuckDB publishes it as ${column.duckdbType}, which is ODCS ${derived.fields.logicalType}`,
      );
    }
    if (normalType(current['physicalType']) !== normalType(column.duckdbType)) {
      propose('physicalType', column.duckdbType, `the published type is ${column.duckdbType}`);
    }
    if (derived.required && current['required'] !== true) propose('required', true, derived.requiredReason);
    if (derived.unique && current['unique'] !== true) propose('unique', true, derived.uniqueReason);
    if (keyCandidate && current['primaryKey'] !== true) {
      propose('primaryKey', true, `a primary key candidate: ${derived.uniqueReason}, none null, and the table has no primary key yet`);
    }
    if (derived.validValues && !hasValueList(current['quality']) && !isClassified(asString(current['classification']))) {
      propose('validValues', derived.validValues, derived.validValuesReason, [
        { path: [...here, 'quality'], value: validValuesRule(derived.validValues), append: true },
      ]);
    }
    if (derived.fields.classification && !isClassified(asString(current['classification']))) {
      propose('classification', derived.fields.classification, derived.classificationReason);
    }
  }
  return { table: { index, name: asString(table['name']) ?? tableName }, proposals };
}

interface Derived {
  readonly fields: {
    name: string;
    logicalType: string;
    physicalType: string;
    required?: true;
    unique?: true;
    classification?: string;
    quality?: unknown[];
  };
  readonly required: boolean;
  readonly requiredReason: string;
  readonly unique: boolean;
  readonly uniqueReason: string;
  readonly validValues?: readonly (string | number)[];
  readonly validValuesReason: string;
  readonly classificationReason: string;
  readonly reasons: readonly string[];
}

function derivedProperty(column: ColumnFacts): Derived {
  const logicalType = logicalTypeOf(column.duckdbType);
  const rows = column.rows.toLocaleString('en');
  const required = column.rows > 0 && column.nulls === 0;
  // Distinct amounts or timestamps are a coincidence of the sample, not a key: only integers and strings.
  const unique =
    (logicalType === 'integer' || logicalType === 'string') &&
    column.rows > 1 &&
    column.distinctExact &&
    column.nulls === 0 &&
    column.distinct === column.rows;
  const enumLike =
    column.values !== undefined &&
    column.distinctExact &&
    column.values.length >= 2 &&
    column.values.length <= ENUM_MAX &&
    column.rows >= column.values.length * ENUM_ROWS_PER_VALUE &&
    (logicalType === 'string' || logicalType === 'integer');
  const guess =
    logicalType === 'string' || logicalType === 'date' || logicalType === 'timestamp'
      ? personalDataGuess(column.name, column.sample)
      : undefined;
  // A list of personal values (a dozen e-mail addresses) is not a domain of values.
  const validValues = enumLike && !guess ? column.values?.map((v) => (logicalType === 'integer' ? Number(v) : v)) : undefined;
  const reasons = [
    required ? 'no value is null' : `${column.nulls.toLocaleString('en')} of ${rows} values are null`,
    ...(unique ? ['every value is distinct'] : []),
    ...(validValues ? [`only ${validValues.length} distinct values`] : []),
    ...(guess ? [guess.reason] : []),
  ];
  return {
    fields: {
      name: column.name,
      logicalType,
      physicalType: column.duckdbType,
      ...(required ? { required: true as const } : {}),
      ...(unique ? { unique: true as const } : {}),
      ...(guess ? { classification: 'personal' } : {}),
      ...(validValues ? { quality: [validValuesRule(validValues)] } : {}),
    },
    required,
    requiredReason: `no value is null in ${rows} rows`,
    unique,
    uniqueReason: `all ${rows} values are distinct`,
    ...(validValues ? { validValues } : {}),
    validValuesReason: `only ${validValues?.length ?? 0} distinct values in ${rows} rows (${validValues?.join(', ') ?? ''}): a value list, checked as a warning`,
    classificationReason: guess ? `personal data? ${guess.reason}` : '',
    reasons,
  };
}

/** An ODCS v3.1 value list (it has no enum keyword): what contractChecks.ts runs and diffQuality.ts compares. */
function validValuesRule(values: readonly (string | number)[]): Fields {
  return {
    metric: 'invalidValues',
    arguments: { validValues: [...values] },
    mustBe: 0,
    severity: 'warning',
    description: 'Derived from the published data: the values seen so far.',
  };
}

function hasValueList(quality: unknown): boolean {
  return (
    Array.isArray(quality) &&
    quality.some((r) => fieldsOf(r)['metric'] === 'invalidValues' && Array.isArray(fieldsOf(fieldsOf(r)['arguments'])['validValues']))
  );
}

/** ODCS v3.1.0 logicalType of a DuckDB type. */
export function logicalTypeOf(duckdbType: string): string {
  const t = duckdbType.trim().toUpperCase();
  if (t.endsWith('[]') || t.startsWith('LIST')) return 'array';
  if (t.startsWith('STRUCT') || t.startsWith('MAP') || t === 'JSON') return 'object';
  if (/^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|U?HUGEINT|INT\d*|LONG|SHORT)$/.test(t)) return 'integer';
  if (/^(DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL)/.test(t)) return 'number';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP') || t === 'DATETIME') return 'timestamp';
  if (t.startsWith('TIME')) return 'time';
  return 'string';
}

const ALIASES: Readonly<Record<string, string>> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  BOOL: 'BOOLEAN',
  FLOAT8: 'DOUBLE',
  NUMERIC: 'DECIMAL',
};

function normalType(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  const t = type.replace(/\s+/g, '').toUpperCase();
  return ALIASES[t] ?? t;
}

function looksLikeKey(name: string, position: number): boolean {
  return /(^|_)(id|key|code|uuid)$/i.test(name) || /Id$/.test(name) || position === 0;
}

/**
 * The new text of the contract with the accepted proposals' edits: each a splice of the
 * edited value (patchYaml), or — where a splice is not possible — the yaml Document API's
 * output, which still keeps comments and unknown fields.
 */
export function applyProposals(file: YamlSourceFile, derivation: Derivation, accepted: ReadonlySet<string>): YamlSourceFile {
  let text = file.text;
  for (const proposal of derivation.proposals) {
    if (!accepted.has(proposal.id)) continue;
    for (const edit of proposal.edits) {
      const doc = parseDocument(text);
      const list = doc.getIn(edit.path, true);
      const length = isSeq(list) ? list.items.length : 0;
      const path = edit.append && length > 0 ? [...edit.path, length] : edit.path;
      const value = edit.append && length === 0 ? [edit.value] : edit.value;
      const spliced = setInText(text, path, value, doc);
      if (spliced !== undefined && parseDocument(spliced).errors.length === 0) {
        text = spliced;
      } else if (isMap(doc.contents)) {
        doc.setIn(path, doc.createNode(value));
        text = doc.toString();
      }
    }
  }
  return text === file.text ? file : parseYaml(file.path, text);
}

function fieldsOf(value: unknown): Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
