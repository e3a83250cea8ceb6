/**
 * The governance catalog: the mesh's metadata as tables that policies query with SQL.
 * This list is the schema users write policies against; docs/catalog.md documents it and a
 * test keeps the two in step, so add a column here and there together.
 */
export type CatalogType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN';
export type CatalogValue = string | number | boolean | null;

export interface CatalogColumnSpec {
  readonly name: string;
  readonly type: CatalogType;
  readonly doc: string;
}

export interface CatalogTableSpec {
  readonly name: CatalogTableName;
  readonly doc: string;
  readonly columns: readonly CatalogColumnSpec[];
}

export type CatalogTableName =
  | 'teams'
  | 'personas'
  | 'persona_purposes'
  | 'domains'
  | 'products'
  | 'ports'
  | 'contracts'
  | 'columns'
  | 'quality_rules'
  | 'slas'
  | 'roles'
  | 'edges'
  | 'policies'
  | 'contract_changes'
  | 'runs'
  | 'port_versions'
  | 'check_results'
  | 'usage';

const v = (name: string, doc: string): CatalogColumnSpec => ({ name, type: 'VARCHAR', doc });
const n = (name: string, doc: string): CatalogColumnSpec => ({ name, type: 'BIGINT', doc });
const d = (name: string, doc: string): CatalogColumnSpec => ({ name, type: 'DOUBLE', doc });
const b = (name: string, doc: string): CatalogColumnSpec => ({ name, type: 'BOOLEAN', doc });

const productId = v('product_id', 'the data product (ODPS `id`)');
const port = v('port', 'the output port (or, where said, input port) name');
const contractId = v('contract_id', 'ODCS contract `id`');
const file = v('file', 'mesh-relative path of the file that declares it');

export const CATALOG_SCHEMA: readonly CatalogTableSpec[] = [
  {
    name: 'teams',
    doc: 'Teams declared in mesh.yaml.',
    columns: [
      v('team_id', 'team id'),
      v('name', 'display name'),
      v('description', 'description'),
      n('members', 'number of members listed'),
    ],
  },
  {
    name: 'personas',
    doc: 'Personas declared in mesh.yaml: who queries output ports.',
    columns: [v('persona_id', 'persona id'), v('name', 'display name'), v('team', 'team id, if any')],
  },
  {
    name: 'persona_purposes',
    doc: 'One row per purpose a persona holds (mesh.yaml `personas[].purposes`).',
    columns: [v('persona_id', 'persona id'), v('purpose', 'purpose, e.g. `reporting`')],
  },
  {
    name: 'domains',
    doc: 'Domains (domain.yaml).',
    columns: [
      v('domain_id', 'domain id (= folder name)'),
      v('name', 'display name'),
      v('team', 'owning team id'),
      v('description', 'description'),
      file,
    ],
  },
  {
    name: 'products',
    doc: 'Data products (product.odps.yaml + quanta.yaml).',
    columns: [
      productId,
      v('name', 'display name'),
      v('domain', 'domain id'),
      v('status', 'ODPS status: proposed, draft, active, deprecated, retired'),
      v('version', 'product version'),
      v('archetype', 'source-aligned, aggregate or consumer-aligned (quanta.yaml)'),
      v('team', 'owning team id (ODPS `team.name`)'),
      v('purpose', 'ODPS `description.purpose`'),
      v('usage', 'ODPS `description.usage`'),
      n('input_ports', 'number of input ports'),
      n('output_ports', 'number of output ports'),
      file,
    ],
  },
  {
    name: 'ports',
    doc: 'Input and output ports of every product.',
    columns: [
      productId,
      v('port', 'port name'),
      v('direction', '`input` or `output`'),
      v('contract_id', 'output: the contract it publishes; input: the contract it reads'),
      v('version', 'output: port version; input: contract version it reads'),
      v('description', 'description'),
      v('visibility', 'output ports: ODPS customProperties `visibility` (public, domain, private); default public'),
      file,
    ],
  },
  {
    name: 'contracts',
    doc: 'The ODCS contract of each output port (one row per output port that has a contract file).',
    columns: [
      contractId,
      v('version', 'contract version'),
      v('status', 'ODCS status: proposed, draft, active, deprecated, retired'),
      v('name', 'contract name'),
      productId,
      port,
      v('latency', 'freshness SLA as written (`1 d`), from slaProperties `latency` or `freshness`; NULL when none'),
      d('latency_seconds', 'the same in seconds'),
      v('retention', 'retention SLA as written, from slaProperties `retention`; NULL when none'),
      d('retention_seconds', 'the same in seconds'),
      n('roles', 'number of ODCS `roles`'),
      file,
    ],
  },
  {
    name: 'columns',
    doc: 'Columns (ODCS `schema[].properties[]`) of every output port contract.',
    columns: [
      productId,
      port,
      contractId,
      v('table_name', 'ODCS schema object name'),
      v('column_name', 'column name'),
      v('logical_type', 'ODCS logicalType'),
      v('physical_type', 'ODCS physicalType, e.g. DECIMAL(10,2)'),
      b('required', 'required: true'),
      b('is_unique', 'unique: true'),
      b('primary_key', 'primaryKey: true'),
      v('classification', 'ODCS classification, e.g. personal; NULL when none'),
      v('description', 'description'),
      n('quality_rules', 'number of quality rules on the column'),
      file,
    ],
  },
  {
    name: 'quality_rules',
    doc: 'ODCS quality rules, on a table (column_name NULL) or on a column.',
    columns: [
      productId,
      port,
      contractId,
      v('table_name', 'ODCS schema object name'),
      v('column_name', 'column, or NULL for a table rule'),
      v('rule', 'the library metric (nullValues, rowCount…) or the type (sql, text, custom)'),
      v('severity', 'error or warning (ODCS `severity`, default error)'),
      v('description', 'description'),
    ],
  },
  {
    name: 'slas',
    doc: 'ODCS slaProperties of every output port contract.',
    columns: [
      productId,
      port,
      contractId,
      v('property', 'e.g. latency, retention, frequency'),
      v('value', 'value as text'),
      v('unit', 'unit as written'),
      d('seconds', 'value × unit in seconds, when it is a duration'),
    ],
  },
  {
    name: 'roles',
    doc: 'ODCS roles of every output port contract. Quanta reads a role name as the purpose it serves: a persona holding that purpose reads classified columns unmasked.',
    columns: [productId, port, contractId, v('role', 'role name = purpose'), v('access', 'e.g. read'), v('description', 'description')],
  },
  {
    name: 'edges',
    doc: 'Lineage: an input port reading the output port that publishes its contract.',
    columns: [
      v('from_product_id', 'upstream product'),
      v('from_port', 'upstream output port'),
      contractId,
      v('version', 'contract version read'),
      v('to_product_id', 'downstream product'),
      v('to_port', 'downstream input port'),
      b(
        'is_new',
        'with a baseline (`quanta check --against`): the edge is not in the baseline. Without: the downstream product is proposed or draft',
      ),
    ],
  },
  {
    name: 'policies',
    doc: 'Policies in force (after federation).',
    columns: [
      v('policy_id', 'policy id'),
      v('title', 'title'),
      v('scope', '`global` or `domain:<id>`'),
      v('severity', 'blocking or warning'),
      v('source', '`mesh` (a policy file) or `library` (a built-in)'),
      v('uses', 'built-in id it uses, if any'),
      file,
    ],
  },
  {
    name: 'contract_changes',
    doc: 'Changes of each contract against a baseline mesh (`quanta check --against`); empty without one.',
    columns: [
      contractId,
      productId,
      port,
      v('from_version', 'version in the baseline'),
      v('to_version', 'version now'),
      v('column_name', 'column changed, or NULL'),
      v('change', 'kind of change, e.g. removed-column'),
      b('breaking', 'breaks consumers: a removed field, an incompatible type, a guarantee they relied on loosened (docs/contract-diff.md)'),
      v('producer_severity', 'breaking, warning or info for the producer (its data may no longer meet the contract)'),
      v('consumers_severity', 'breaking, warning or info for the consumers that read the column'),
      v('message', 'what changed, in words'),
    ],
  },
  {
    name: 'runs',
    doc: 'The last run of each product (empty before the mesh runs).',
    columns: [
      productId,
      v('status', 'published, refused, failed, stale'),
      n('version', 'latest published version number (0: never)'),
      n('tick', 'simulated tick of the run'),
      n('rows', 'rows published'),
      v('problem', 'why it failed, if it did'),
    ],
  },
  {
    name: 'port_versions',
    doc: 'Every published version of every output port (the observability port).',
    columns: [
      productId,
      port,
      n('version', 'version number'),
      n('tick', 'simulated tick'),
      v('simulated_at', 'simulated time (ISO 8601)'),
      n('rows', 'rows'),
      n('bytes', 'Arrow IPC bytes'),
      v('hash', 'content hash'),
      d('age_seconds', 'age of its oldest source data at publish'),
      b('late', 'missed its freshness SLA'),
    ],
  },
  {
    name: 'check_results',
    doc: 'Contract check results of the last run of each product.',
    columns: [
      productId,
      port,
      v('check_id', 'check id'),
      v('severity', 'error or warning'),
      b('passed', 'passed'),
      v('message', 'message'),
    ],
  },
  {
    name: 'usage',
    doc: 'Queries of output ports by persona (filled by the app as personas query; empty in the CLI).',
    columns: [
      productId,
      port,
      v('persona_id', 'persona'),
      n('queries', 'number of queries'),
      v('last_at', 'simulated time of the last query'),
    ],
  },
];

export function catalogTableSpec(name: CatalogTableName): CatalogTableSpec {
  const spec = CATALOG_SCHEMA.find((t) => t.name === name);
  if (!spec) throw new Error(`no catalog table ${name}`);
  return spec;
}
