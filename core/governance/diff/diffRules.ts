import type { SourcePosition } from '../../diagnostics/diagnostic.ts';

/*
 * The rules of the contract diff, with stable ids (CI logs, docs and tests refer to them;
 * never reuse or rename one). Every change is judged from both sides of the contract
 * (docs/contract-diff.md has the table, its reasons and where it differs from datacontract-cli):
 *
 * - `consumers`: can a reader that relied on the old contract break? A schema or property
 *   taken away, an incompatible type, or a LOOSENED guarantee (a bound, pattern, format,
 *   value list, `required`, `unique` or classification dropped or widened) breaks the
 *   consumers that rely on it.
 * - `producer`: may the producer's existing data or pipeline no longer meet the contract? A
 *   TIGHTENED guarantee (required, unique, a new bound, pattern, format, value list or
 *   blocking quality rule) is breaking for the producer, not for consumers; in Quanta a run or
 *   `quanta check --against --run` proves whether the data still passes.
 * - Additions nobody has to read, documentation and metadata: info on both sides.
 *
 * The headline `severity` (what `quanta diff` exits on and the version-bump rule judges) is
 * the consumers' side, raised to `warning` when the producer side is not `info`: the producer
 * has something to check, but no consumer needs a new major version for it.
 */
export type ChangeSeverity = 'breaking' | 'warning' | 'info';

/**
 * Whom a change can hurt, derived from the two sides: `producer`, `consumers`, `both`, or
 * `nobody` (both sides info).
 */
export type ChangeSide = 'producer' | 'consumers' | 'both' | 'nobody';

export interface RuleVerdict {
  readonly producer: ChangeSeverity;
  readonly consumers: ChangeSeverity;
}

interface RuleInfo extends RuleVerdict {
  readonly title: string;
  /** For the rules whose verdict varies: what changes it. */
  readonly when?: string;
}

const B = 'breaking';
const W = 'warning';
const I = 'info';

export const DIFF_RULES = {
  'contract-id-changed': { producer: I, consumers: B, title: 'the contract id changed: input ports name the old one' },
  'schema-removed': { producer: I, consumers: B, title: 'a schema (table) was removed' },
  'schema-renamed': { producer: B, consumers: B, title: 'a schema was renamed (same id or physicalName, new name)' },
  'schema-added': { producer: I, consumers: I, title: 'a schema was added' },
  'schema-type-changed': {
    producer: B,
    consumers: B,
    title: 'a schema’s logicalType or physicalType changed (a table became an object, a view a topic, …)',
    when: 'info on both sides between table and view (read the same way)',
  },
  'property-removed': { producer: I, consumers: B, title: 'a property (column) was removed' },
  'property-renamed': {
    producer: B,
    consumers: B,
    title: 'a property was renamed (same id, physicalName, or type and description)',
  },
  'property-added-optional': { producer: I, consumers: I, title: 'an optional property was added' },
  'property-added-required': {
    producer: B,
    consumers: I,
    title: 'a required property was added: consumers are unaffected, the producer must fill it in every row',
  },
  'type-incompatible': {
    producer: B,
    consumers: B,
    title: 'the type changed to one that is neither wider nor narrower (to or from object or array included)',
  },
  'type-narrowed': { producer: B, consumers: B, title: 'the type narrowed: existing values may not fit, precision or time of day is lost' },
  'type-widened': { producer: I, consumers: W, title: 'the type widened: queries keep working, values may exceed the old type' },
  'required-added': { producer: B, consumers: I, title: 'an optional property became required' },
  'required-removed': { producer: I, consumers: B, title: 'a required property became optional: consumers may now see nulls' },
  'unique-added': { producer: B, consumers: I, title: 'a property became unique' },
  'unique-removed': { producer: I, consumers: B, title: 'a property is no longer unique: joins on it may fan out' },
  'primary-key-changed': { producer: B, consumers: B, title: 'the primary key columns or their order changed' },
  'constraint-tightened': {
    producer: B,
    consumers: I,
    title: 'a logicalTypeOptions bound (minimum, maxLength, multipleOf, …) was added or narrowed',
  },
  'constraint-loosened': { producer: I, consumers: B, title: 'a logicalTypeOptions bound was removed or widened' },
  'constraint-changed': {
    producer: B,
    consumers: B,
    title: 'a logicalTypeOptions option Quanta cannot order changed (timezone, …)',
  },
  'pattern-added': { producer: B, consumers: I, title: 'a pattern was added' },
  'pattern-removed': { producer: I, consumers: B, title: 'a pattern was removed: consumers may see values it refused' },
  'pattern-changed': { producer: B, consumers: B, title: 'a pattern changed (Quanta cannot tell which accepts more)' },
  'format-added': { producer: B, consumers: I, title: 'a string format (email, uuid, date-time, …) was added' },
  'format-removed': { producer: I, consumers: B, title: 'a string format was removed: consumers parsing it may fail' },
  'format-changed': { producer: B, consumers: B, title: 'a string format changed' },
  'enum-restricted': {
    producer: B,
    consumers: I,
    title: 'a value list was added (logicalTypeOptions enum, or an invalidValues rule with validValues)',
  },
  'enum-unrestricted': { producer: I, consumers: B, title: 'a value list was removed: any value may now appear' },
  'enum-value-removed': {
    producer: B,
    consumers: W,
    title: 'a value was removed from a value list (enum, validValues)',
  },
  'enum-value-added': {
    producer: I,
    consumers: B,
    title: 'a value was added to a value list: consumers mapping every value meet one they do not know',
  },
  'quality-rule-added': {
    producer: B,
    consumers: I,
    title: 'a quality rule was added',
    when: 'producer warning when the rule’s severity is warning or info (it cannot refuse a publish)',
  },
  'quality-rule-tightened': {
    producer: B,
    consumers: I,
    title: 'a quality rule’s threshold or severity got stricter',
    when: 'producer warning when the rule’s severity is warning or info',
  },
  'quality-rule-changed': {
    producer: B,
    consumers: W,
    title: 'a quality rule changed in a way Quanta cannot order (metric, query, unit, operator)',
    when: 'producer warning when the rule’s severity is warning or info',
  },
  'quality-rule-loosened': { producer: I, consumers: W, title: 'a quality rule’s threshold or severity got looser' },
  'quality-rule-removed': { producer: I, consumers: W, title: 'a quality rule was removed: consumers lose that guarantee' },
  'sla-tightened': { producer: W, consumers: I, title: 'an SLA got stricter (a new obligation for the producer)' },
  'sla-loosened': { producer: I, consumers: W, title: 'an SLA got looser (consumers may get data later or keep it shorter)' },
  'sla-changed': { producer: W, consumers: W, title: 'an SLA was added, removed or changed incomparably' },
  'physical-name-changed': { producer: I, consumers: W, title: 'the physical name changed: readers of the store break' },
  'classification-added': { producer: W, consumers: I, title: 'a classification was added: the column is now masked for some readers' },
  'classification-strengthened': {
    producer: W,
    consumers: I,
    title: 'the classification got stricter (e.g. internal → restricted): masking and access change',
  },
  'classification-removed': {
    producer: I,
    consumers: B,
    title: 'a classification was removed: the data protection consumers and their access rules relied on is gone',
  },
  'classification-weakened': {
    producer: I,
    consumers: B,
    title: 'the classification got weaker (e.g. restricted → public): the column is no longer masked',
  },
  'classification-changed': {
    producer: W,
    consumers: B,
    title: 'the classification changed between levels Quanta cannot order: it may be weaker',
  },
  'granularity-changed': { producer: I, consumers: W, title: 'the data granularity description changed' },
  'status-changed': {
    producer: I,
    consumers: I,
    title: 'the status changed',
    when: 'consumers warning when it becomes deprecated or retired',
  },
  'server-removed': { producer: I, consumers: W, title: 'a server was removed' },
  'server-changed': { producer: I, consumers: W, title: 'a server’s connection details changed' },
  'server-added': { producer: I, consumers: I, title: 'a server was added' },
  'role-removed': { producer: I, consumers: W, title: 'an access role was removed' },
  'role-changed': { producer: I, consumers: W, title: 'an access role changed' },
  'role-added': { producer: I, consumers: I, title: 'an access role was added' },
  'description-changed': { producer: I, consumers: I, title: 'a description changed' },
  'metadata-changed': { producer: I, consumers: I, title: 'documentation or metadata changed (tags, business names, examples, …)' },
  'version-not-bumped': {
    producer: I,
    consumers: B,
    title: 'breaking changes without a major version bump (a minor bump while the major is 0): consumers pinned to the major get them',
  },
  'version-unchanged': { producer: I, consumers: W, title: 'the contract changed but its version did not' },
  'version-decreased': { producer: I, consumers: W, title: 'the version went down' },
} as const satisfies Record<string, RuleInfo>;

const RANK: Readonly<Record<ChangeSeverity, number>> = { info: 0, warning: 1, breaking: 2 };

/** The headline: the consumers' side, raised to warning when the producer has something to check. */
export function headline(verdict: RuleVerdict): ChangeSeverity {
  const raised: ChangeSeverity = verdict.producer === 'info' ? 'info' : 'warning';
  return RANK[verdict.consumers] >= RANK[raised] ? verdict.consumers : raised;
}

export function sideOf(verdict: RuleVerdict): ChangeSide {
  const p = verdict.producer !== 'info';
  const c = verdict.consumers !== 'info';
  return p && c ? 'both' : p ? 'producer' : c ? 'consumers' : 'nobody';
}

export type DiffRuleId = keyof typeof DIFF_RULES;

export interface ContractChange {
  readonly ruleId: DiffRuleId;
  /** The headline verdict (see headline()): what `quanta diff` exits on. */
  readonly severity: ChangeSeverity;
  /** May the producer's existing data or pipeline no longer meet the contract? */
  readonly producer: ChangeSeverity;
  /** May a consumer that relied on the old contract break? */
  readonly consumers: ChangeSeverity;
  readonly side: ChangeSide;
  /** The schema (table) concerned; absent for contract-level changes. */
  readonly schema?: string;
  /** The property concerned (nested ones dotted, `address.street`; array items `tags[]`). */
  readonly property?: string;
  /**
   * The columns a consumer must read to be affected, as v1 names (and v2 names for renames):
   * the property (or, for schema-level changes, every column of the schema). Empty when the
   * change concerns no data a consumer reads (version, servers, SLAs, documentation).
   */
  readonly columns: readonly string[];
  /** Plain words; says from → to. */
  readonly message: string;
  /** In v2, or in v1 for things that were removed. */
  readonly where: SourcePosition;
}
