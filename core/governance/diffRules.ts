import type { SourcePosition } from '../diagnostics/diagnostic.ts';

/*
 * The rules of the contract diff, with stable ids (CI logs, docs and tests refer to them;
 * never reuse or rename one). The severity is judged from both sides of a contract:
 *
 * - A change that takes something away a consumer reads (a schema, a property, its name,
 *   its type) breaks producer and consumers alike: breaking.
 * - A tighter guarantee (required, unique, a narrower range, fewer enum values, a new
 *   blocking quality rule) breaks the producer: its existing data and pipeline may no
 *   longer meet the contract, and in Quanta a publish that fails a check is refused.
 *   Breaking, as in ODCS practice.
 * - A looser guarantee (optional again, a wider range, more enum values, a rule dropped)
 *   keeps every query working but may surprise a consumer that relied on it: warning.
 * - Additions nobody has to read, documentation and metadata: info.
 */
export type ChangeSeverity = 'breaking' | 'warning' | 'info';

/**
 * Whom a change can hurt: `producer` (its data or pipeline may no longer meet the contract),
 * `consumers` (a reader of the affected columns), `both`, or `nobody`.
 */
export type ChangeSide = 'producer' | 'consumers' | 'both' | 'nobody';

interface RuleInfo {
  readonly side: ChangeSide;
  /** The usual severity; `when` says what changes it for the rules whose severity varies. */
  readonly severity: ChangeSeverity;
  readonly title: string;
  readonly when?: string;
}

export const DIFF_RULES = {
  'contract-id-changed': { side: 'both', severity: 'breaking', title: 'the contract id changed: input ports name the old one' },
  'schema-removed': { side: 'both', severity: 'breaking', title: 'a schema (table) was removed' },
  'schema-renamed': { side: 'both', severity: 'breaking', title: 'a schema was renamed (same id or physicalName, new name)' },
  'schema-added': { side: 'nobody', severity: 'info', title: 'a schema was added' },
  'property-removed': { side: 'both', severity: 'breaking', title: 'a property (column) was removed' },
  'property-renamed': {
    side: 'both',
    severity: 'breaking',
    title: 'a property was renamed (same id, physicalName, or type and description)',
  },
  'property-added-optional': { side: 'nobody', severity: 'info', title: 'an optional property was added' },
  'property-added-required': {
    side: 'producer',
    severity: 'warning',
    title: 'a required property was added: consumers are unaffected, the producer must fill it in every row',
  },
  'type-incompatible': { side: 'both', severity: 'breaking', title: 'the type changed to one that is neither wider nor narrower' },
  'type-narrowed': { side: 'both', severity: 'breaking', title: 'the type narrowed: existing values may not fit' },
  'type-widened': {
    side: 'consumers',
    severity: 'warning',
    title: 'the type widened: queries keep working, values may exceed the old type',
  },
  'required-added': { side: 'producer', severity: 'breaking', title: 'an optional property became required' },
  'required-removed': { side: 'consumers', severity: 'warning', title: 'a required property became optional: consumers may now see nulls' },
  'unique-added': { side: 'producer', severity: 'breaking', title: 'a property became unique' },
  'unique-removed': { side: 'consumers', severity: 'warning', title: 'a property is no longer unique' },
  'primary-key-changed': { side: 'both', severity: 'breaking', title: 'the primary key columns or their order changed' },
  'constraint-tightened': {
    side: 'producer',
    severity: 'breaking',
    title: 'a logicalTypeOptions constraint was added or tightened (or changed in a way Quanta cannot order)',
  },
  'constraint-loosened': { side: 'consumers', severity: 'warning', title: 'a logicalTypeOptions constraint was removed or loosened' },
  'enum-value-removed': { side: 'both', severity: 'breaking', title: 'a value was removed from an invalidValues rule’s validValues' },
  'enum-value-added': {
    side: 'consumers',
    severity: 'warning',
    title: 'a value was added to validValues: exhaustive consumers may see it',
  },
  'quality-rule-added': {
    side: 'producer',
    severity: 'breaking',
    title: 'a quality rule was added',
    when: 'warning when the rule’s severity is warning or info (it cannot refuse a publish)',
  },
  'quality-rule-tightened': {
    side: 'producer',
    severity: 'breaking',
    title: 'a quality rule’s threshold or severity got stricter',
    when: 'warning when the rule’s severity is warning or info',
  },
  'quality-rule-changed': {
    side: 'producer',
    severity: 'breaking',
    title: 'a quality rule changed in a way Quanta cannot order (metric, query, unit, operator)',
    when: 'warning when the rule’s severity is warning or info',
  },
  'quality-rule-loosened': { side: 'consumers', severity: 'warning', title: 'a quality rule’s threshold or severity got looser' },
  'quality-rule-removed': { side: 'consumers', severity: 'warning', title: 'a quality rule was removed: consumers lose that guarantee' },
  'sla-tightened': { side: 'producer', severity: 'warning', title: 'an SLA got stricter (a new obligation for the producer)' },
  'sla-loosened': { side: 'consumers', severity: 'warning', title: 'an SLA got looser (consumers may get data later or keep it shorter)' },
  'sla-changed': { side: 'both', severity: 'warning', title: 'an SLA was added, removed or changed incomparably' },
  'physical-name-changed': { side: 'consumers', severity: 'warning', title: 'the physical name changed: readers of the store break' },
  'classification-changed': { side: 'consumers', severity: 'warning', title: 'the classification changed: masking and access may change' },
  'granularity-changed': { side: 'consumers', severity: 'warning', title: 'the data granularity description changed' },
  'status-changed': {
    side: 'consumers',
    severity: 'info',
    title: 'the status changed',
    when: 'warning when it becomes deprecated or retired',
  },
  'server-removed': { side: 'consumers', severity: 'warning', title: 'a server was removed' },
  'server-changed': { side: 'consumers', severity: 'warning', title: 'a server’s connection details changed' },
  'server-added': { side: 'nobody', severity: 'info', title: 'a server was added' },
  'role-removed': { side: 'consumers', severity: 'warning', title: 'an access role was removed' },
  'role-changed': { side: 'consumers', severity: 'warning', title: 'an access role changed' },
  'role-added': { side: 'nobody', severity: 'info', title: 'an access role was added' },
  'description-changed': { side: 'nobody', severity: 'info', title: 'a description changed' },
  'metadata-changed': { side: 'nobody', severity: 'info', title: 'documentation or metadata changed (tags, business names, examples, …)' },
  'version-not-bumped': {
    side: 'producer',
    severity: 'breaking',
    title: 'breaking changes without a major version bump (a minor bump while the major is 0)',
  },
  'version-unchanged': { side: 'producer', severity: 'warning', title: 'the contract changed but its version did not' },
  'version-decreased': { side: 'producer', severity: 'warning', title: 'the version went down' },
} as const satisfies Record<string, RuleInfo>;

export type DiffRuleId = keyof typeof DIFF_RULES;

export interface ContractChange {
  readonly ruleId: DiffRuleId;
  readonly severity: ChangeSeverity;
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
