/**
 * The built-in policy library: policies any mesh uses by id, from mesh.yaml
 * (`policies: [quanta.owner-declared]`) or a policy file (`uses: quanta.owner-declared`).
 * TypeScript data, not YAML files, because the shipped app cannot read loose files and core
 * stays pure. Each is documented in docs/catalog.md and proved by a passing and a violating
 * mesh in test/integration/policyEvaluation.test.ts.
 *
 * Every check returns one row per violation: product_id, port, column_name, message.
 */
export interface BuiltinPolicy {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rationale: string;
  readonly severity: 'blocking' | 'warning';
  readonly sql: string;
}

export const BUILTIN_PREFIX = 'quanta.';

export const BUILTIN_POLICIES: readonly BuiltinPolicy[] = [
  {
    id: 'quanta.owner-declared',
    title: 'Every product and domain has an owning team',
    description: 'Each product names its team (ODPS `team.name`) and each domain its team, and mesh.yaml declares that team.',
    rationale: 'Domain ownership: a product nobody owns is a product nobody fixes.',
    severity: 'blocking',
    sql: `SELECT p.product_id, NULL AS port, NULL AS column_name,
       CASE WHEN p.team IS NULL THEN 'product ' || p.product_id || ' declares no owning team (team.name)'
            ELSE 'product ' || p.product_id || ' is owned by team ' || p.team || ', which mesh.yaml does not declare' END AS message,
       p.domain
FROM products AS p LEFT JOIN teams AS t ON t.team_id = p.team
WHERE t.team_id IS NULL
UNION ALL
SELECT NULL, NULL, NULL, 'domain ' || d.domain_id || ' has no owning team declared in mesh.yaml', d.domain_id
FROM domains AS d LEFT JOIN teams AS t ON t.team_id = d.team
WHERE t.team_id IS NULL`,
  },
  {
    id: 'quanta.output-contract-active',
    title: 'Every output port has an active, semver-versioned contract',
    description:
      'Each output port names a contract (`contractId`) whose file exists, whose status is `active`, and whose version is semantic (MAJOR.MINOR.PATCH).',
    rationale: 'Consumers build on promises: a draft or unversioned contract can change under them without notice.',
    severity: 'blocking',
    sql: `SELECT p.product_id, p.port, NULL AS column_name,
       CASE WHEN p.contract_id IS NULL THEN 'output port ' || p.port || ' names no data contract'
            WHEN c.contract_id IS NULL THEN 'output port ' || p.port || ' has no contract file (' || p.port || '.odcs.yaml)'
            WHEN NOT regexp_full_match(c.version, '[0-9]+\\.[0-9]+\\.[0-9]+') THEN 'contract ' || c.contract_id || ' version ' || c.version || ' is not MAJOR.MINOR.PATCH'
            ELSE 'contract ' || c.contract_id || ' is ' || coalesce(c.status, 'without a status') || ', not active' END AS message
FROM ports AS p
LEFT JOIN contracts AS c ON c.product_id = p.product_id AND c.port = p.port
WHERE p.direction = 'output'
  AND (c.contract_id IS NULL OR coalesce(c.status, '') <> 'active'
       OR NOT regexp_full_match(c.version, '[0-9]+\\.[0-9]+\\.[0-9]+'))`,
  },
  {
    id: 'quanta.personal-data-classified',
    title: 'Columns holding personal data are classified',
    description:
      'Columns whose names look like personal data (e-mail, phone, birth date, a person’s name, street address, postcode, IP address, precise location) carry a `classification` in their contract.',
    rationale: 'Masking protects only classified columns; an unclassified e-mail column reaches every persona unmasked.',
    severity: 'blocking',
    sql: `SELECT product_id, port, column_name,
       'column ' || column_name || ' looks like personal data but has no classification' AS message
FROM columns
WHERE classification IS NULL
  AND regexp_matches(lower(column_name),
      '(e_?mail|phone|birth|first_name|last_name|full_name|display_name|legal_name|street|address|postcode|postal_code|zip_code|ip_addr|latitude|longitude)')`,
  },
  {
    id: 'quanta.classified-columns-masked',
    title: 'Classified columns name the purposes that read them unmasked',
    description:
      'A contract with classified columns (any classification but `public` or `internal`) has at least one ODCS `roles` entry with read access (the default) named after a purpose some persona holds. Personas with one of those purposes read the columns unmasked; every other persona reads them masked. Roles that are no purpose (e.g. `sales-reader`) grant general read access and unmask nothing.',
    rationale:
      'Masking decides per purpose. A classified column whose contract names no purpose any persona holds can be read unmasked by nobody, which usually means the grant was forgotten or misspelled.',
    severity: 'blocking',
    sql: `SELECT c.product_id, c.port, c.column_name,
       'column ' || c.column_name || ' is classified ' || c.classification || ' but no role of contract ' || c.contract_id
         || ' is a purpose any persona holds, so nobody may read it unmasked' AS message
FROM columns AS c
WHERE c.classification IS NOT NULL AND c.classification NOT IN ('public', 'internal')
  AND NOT EXISTS (SELECT 1 FROM roles AS r JOIN persona_purposes AS pp ON pp.purpose = r.role
                  WHERE r.product_id = c.product_id AND r.port = c.port
                    AND (r.access IS NULL OR r.access LIKE '%read%'))`,
  },
  {
    id: 'quanta.freshness-sla-declared',
    title: 'Every output port promises freshness',
    description: 'Each output port contract declares a `latency` (or `freshness`) entry in `slaProperties`.',
    rationale: 'Without a freshness promise nobody can tell late data from no data; Quanta checks it on every run.',
    severity: 'warning',
    sql: `SELECT product_id, port, NULL AS column_name,
       'contract ' || contract_id || ' declares no freshness SLA (slaProperties: latency)' AS message
FROM contracts WHERE latency IS NULL`,
  },
  {
    id: 'quanta.key-columns-have-quality-rules',
    title: 'Every contract declares a key, and key columns are checked',
    description:
      'Each contract schema has a `primaryKey` column (Quanta checks the key at every publish: no nulls, no duplicates), and each key column is `required: true` or carries a quality rule of its own.',
    rationale: 'Joins across products rely on keys; a key that may be null or duplicated silently multiplies or drops rows downstream.',
    severity: 'warning',
    sql: `SELECT k.product_id, k.port, NULL AS column_name,
       'contract ' || k.contract_id || ' declares no primary key column' AS message
FROM contracts AS k
WHERE NOT EXISTS (SELECT 1 FROM columns AS c WHERE c.product_id = k.product_id AND c.port = k.port AND c.primary_key)
UNION ALL
SELECT product_id, port, column_name,
       'key column ' || column_name || ' is not required and has no quality rule'
FROM columns
WHERE primary_key AND NOT required AND quality_rules = 0`,
  },
  {
    id: 'quanta.naming-conventions',
    title: 'Names follow the mesh conventions',
    description:
      'Ports and columns are snake_case (`^[a-z][a-z0-9_]*$`); contract ids are lowercase, dot-separated (`<mesh>.<domain>.<name>`).',
    rationale: 'Names are the interface people type; one convention across domains makes a mesh searchable and joins predictable.',
    severity: 'warning',
    sql: `SELECT product_id, port, NULL AS column_name, 'port name ' || port || ' is not snake_case' AS message
FROM ports WHERE NOT regexp_full_match(port, '[a-z][a-z0-9_]*')
UNION ALL
SELECT product_id, port, column_name, 'column name ' || column_name || ' is not snake_case'
FROM columns WHERE NOT regexp_full_match(column_name, '[a-z][a-z0-9_]*')
UNION ALL
SELECT product_id, port, NULL, 'contract id ' || contract_id || ' is not lowercase words separated by dots'
FROM contracts WHERE NOT regexp_full_match(contract_id, '[a-z0-9-]+(\\.[a-z0-9_-]+)+')`,
  },
  {
    id: 'quanta.archetype-layering',
    title: 'Data flows from source-aligned towards consumer-aligned products',
    description: 'A source-aligned or aggregate product does not consume a consumer-aligned product.',
    rationale:
      'A consumer-aligned product is shaped for one use and changes with it; building facts or aggregates on it hides a feedback loop in the lineage.',
    severity: 'blocking',
    sql: `SELECT e.to_product_id AS product_id, e.to_port AS port, NULL AS column_name,
       down.archetype || ' product ' || e.to_product_id || ' consumes consumer-aligned product ' || e.from_product_id AS message
FROM edges AS e
JOIN products AS up ON up.product_id = e.from_product_id
JOIN products AS down ON down.product_id = e.to_product_id
WHERE up.archetype = 'consumer-aligned' AND down.archetype IN ('source-aligned', 'aggregate')`,
  },
  {
    id: 'quanta.no-cross-domain-private-ports',
    title: 'Only public ports are consumed across domains',
    description:
      'An input port may read an output port of another domain only if that port is public (ODPS output port `customProperties: [{property: visibility, value: public}]`, the default).',
    rationale:
      'A domain-internal port has no promise to outsiders; consuming it across a trust boundary couples domains behind their backs.',
    severity: 'blocking',
    sql: `SELECT e.to_product_id AS product_id, e.to_port AS port, NULL AS column_name,
       'reads ' || o.visibility || ' port ' || e.from_product_id || '.' || e.from_port || ' of domain ' || up.domain
         || ' from domain ' || down.domain AS message
FROM edges AS e
JOIN products AS up ON up.product_id = e.from_product_id
JOIN products AS down ON down.product_id = e.to_product_id
JOIN ports AS o ON o.product_id = e.from_product_id AND o.port = e.from_port AND o.direction = 'output'
WHERE up.domain <> down.domain AND o.visibility <> 'public'`,
  },
  {
    id: 'quanta.breaking-change-needs-major',
    title: 'A breaking contract change comes with a new major version',
    description:
      'Against a baseline (`quanta check --against <baseline-mesh>`), a contract whose change breaks consumers (removed or retyped column, optional → required, tightened rule) raises its MAJOR version (while the major is 0, a new minor version is enough, as semantic versioning allows).',
    rationale: 'Consumers pin a contract version; semantic versioning is how a producer tells them a change will break them.',
    severity: 'blocking',
    sql: `WITH v AS (
  SELECT *,
         coalesce(try_cast(split_part(from_version, '.', 1) AS BIGINT), 0) AS from_major,
         coalesce(try_cast(split_part(from_version, '.', 2) AS BIGINT), 0) AS from_minor,
         coalesce(try_cast(split_part(to_version, '.', 1) AS BIGINT), 0) AS to_major,
         coalesce(try_cast(split_part(to_version, '.', 2) AS BIGINT), 0) AS to_minor
  FROM contract_changes WHERE breaking)
SELECT product_id, port, column_name,
       'breaking change to ' || contract_id || ' (' || message || ') without a new major version ('
         || from_version || ' → ' || to_version || ')' AS message
FROM v
WHERE to_major <= from_major
  AND NOT (from_major = 0 AND to_major = 0 AND to_minor > from_minor)`,
  },
  {
    id: 'quanta.retention-declared',
    title: 'Every output port declares how long data is kept',
    description: 'Each output port contract has a `retention` entry in `slaProperties`.',
    rationale: 'Retention is a legal promise (personal data must go) and a cost one; undeclared, it is whatever happens.',
    severity: 'warning',
    sql: `SELECT product_id, port, NULL AS column_name,
       'contract ' || contract_id || ' declares no retention (slaProperties: retention)' AS message
FROM contracts WHERE retention IS NULL`,
  },
  {
    id: 'quanta.deprecated-gains-no-consumers',
    title: 'Deprecated products gain no new consumers',
    description:
      'No new input port reads a deprecated (or retired) product. New means: not in the baseline mesh with `--against`, otherwise read by a proposed or draft product.',
    rationale: 'Deprecation is a promise to retire; every new consumer makes that promise harder to keep.',
    severity: 'blocking',
    sql: `SELECT e.to_product_id AS product_id, e.to_port AS port, NULL AS column_name,
       'new consumer of ' || up.status || ' product ' || e.from_product_id AS message
FROM edges AS e JOIN products AS up ON up.product_id = e.from_product_id
WHERE up.status IN ('deprecated', 'retired') AND e.is_new`,
  },
  {
    id: 'quanta.purpose-and-usage-documented',
    title: 'Every product documents its purpose and usage',
    description: 'Each product has ODPS `description.purpose` and `description.usage`.',
    rationale: 'Discoverable and understandable: a consumer decides from the purpose and usage whether a product fits.',
    severity: 'warning',
    sql: `SELECT product_id, NULL AS port, NULL AS column_name,
       'product ' || product_id || ' does not document its ' ||
       CASE WHEN purpose IS NULL AND usage IS NULL THEN 'purpose and usage'
            WHEN purpose IS NULL THEN 'purpose' ELSE 'usage' END || ' (ODPS description)' AS message
FROM products WHERE purpose IS NULL OR usage IS NULL`,
  },
];

export function builtinPolicy(id: string): BuiltinPolicy | undefined {
  return BUILTIN_POLICIES.find((p) => p.id === id);
}
