import { LineageGraph } from '../../lineage/lineageGraph.ts';
import { asFields, asList, asNumber, asString } from '../../model/read.ts';
import type { Contract, DataProduct, Mesh } from '../../model/types.ts';
import { parseDuration } from '../../run/simTime.ts';
import type { PortVersion, ProductRun } from '../../run/runTypes.ts';
import { CATALOG_SCHEMA, type CatalogTableName, type CatalogTableSpec, type CatalogValue } from './catalogSchema.ts';
import type { EffectivePolicy } from '../policy/policies.ts';

/** One catalog table: its spec and its rows, each row's values in the spec's column order. */
export interface CatalogTable {
  readonly spec: CatalogTableSpec;
  readonly rows: readonly (readonly CatalogValue[])[];
}

export interface Catalog {
  readonly tables: readonly CatalogTable[];
}

/** What the catalog reads of a running mesh; MeshRuntime satisfies it. */
export interface RunHistory {
  lastRun(product: string): ProductRun | undefined;
  observability(product: string, port: string): readonly Omit<PortVersion, 'ipc'>[];
}

export interface ContractChangeRow {
  readonly contractId: string;
  readonly productId: string;
  readonly port: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly column?: string;
  readonly change: string;
  readonly breaking: boolean;
  /** The change judged from the producer's side and from the consumers' (docs/contract-diff.md). */
  readonly producerSeverity: 'breaking' | 'warning' | 'info';
  readonly consumersSeverity: 'breaking' | 'warning' | 'info';
  readonly message: string;
}

export interface UsageRecord {
  readonly productId: string;
  readonly port: string;
  readonly personaId: string;
  readonly queries: number;
  readonly lastAt?: string;
}

export interface CatalogOptions {
  /** Policies in force (resolvePolicies); the `policies` table is empty without them. */
  readonly policies?: readonly EffectivePolicy[];
  readonly run?: RunHistory;
  /** The mesh before the change under review: edges absent from it are new. */
  readonly baseline?: Mesh;
  readonly contractChanges?: readonly ContractChangeRow[];
  readonly usage?: readonly UsageRecord[];
}

type Row = Readonly<Record<string, CatalogValue | undefined>>;

/**
 * The mesh as catalog rows, plain values only: the caller loads them into a quantum
 * (see evaluate.ts). Pure, so the editor can rebuild it on every change.
 */
export function buildCatalog(mesh: Mesh, options: CatalogOptions = {}): Catalog {
  const rows = new Map<CatalogTableName, Row[]>(CATALOG_SCHEMA.map((t) => [t.name, []]));
  const add = (table: CatalogTableName, row: Row): void => void rows.get(table)?.push(row);

  for (const team of mesh.manifest?.teams ?? []) {
    const raw = teamRaw(mesh, team.id);
    add('teams', { team_id: team.id, name: team.name, description: team.description, members: asList(raw['members']).length });
  }
  for (const persona of mesh.manifest?.personas ?? []) {
    add('personas', { persona_id: persona.id, name: persona.name, team: persona.team });
    for (const purpose of persona.purposes) add('persona_purposes', { persona_id: persona.id, purpose });
  }
  for (const domain of mesh.domains) {
    add('domains', {
      domain_id: domain.id,
      name: domain.name,
      team: domain.team || null,
      description: domain.description,
      file: domain.file,
    });
  }
  for (const product of mesh.products) addProduct(mesh, product, add);

  const baselineEdges = options.baseline ? edgeKeys(options.baseline) : undefined;
  const status = new Map(mesh.products.map((p) => [p.id, p.status]));
  for (const edge of new LineageGraph(mesh.products).edges) {
    const key = `${edge.from}|${edge.outputPort}|${edge.to}|${edge.inputPort}`;
    const downstreamStatus = status.get(edge.to) ?? '';
    add('edges', {
      from_product_id: edge.from,
      from_port: edge.outputPort,
      contract_id: edge.contractId,
      version: edge.version,
      to_product_id: edge.to,
      to_port: edge.inputPort,
      is_new: baselineEdges ? !baselineEdges.has(key) : downstreamStatus === 'proposed' || downstreamStatus === 'draft',
    });
  }

  for (const policy of options.policies ?? []) {
    add('policies', {
      policy_id: policy.id,
      title: policy.title,
      scope: policy.scope,
      severity: policy.severity,
      source: policy.source,
      uses: policy.uses,
      file: policy.file,
    });
  }
  for (const c of options.contractChanges ?? []) {
    add('contract_changes', {
      contract_id: c.contractId,
      product_id: c.productId,
      port: c.port,
      from_version: c.fromVersion,
      to_version: c.toVersion,
      column_name: c.column,
      change: c.change,
      breaking: c.breaking,
      producer_severity: c.producerSeverity,
      consumers_severity: c.consumersSeverity,
      message: c.message,
    });
  }
  if (options.run) addRuns(mesh, options.run, add);
  for (const u of options.usage ?? []) {
    add('usage', { product_id: u.productId, port: u.port, persona_id: u.personaId, queries: u.queries, last_at: u.lastAt });
  }

  return {
    tables: CATALOG_SCHEMA.map((spec) => ({
      spec,
      rows: (rows.get(spec.name) ?? []).map((row) => spec.columns.map((c) => row[c.name] ?? null)),
    })),
  };
}

function addProduct(mesh: Mesh, product: DataProduct, add: (table: CatalogTableName, row: Row) => void): void {
  const odps = asFields(fileValue(mesh, product.file));
  const rawOutputs = asList(odps['outputPorts']);
  add('products', {
    product_id: product.id,
    name: product.name,
    domain: product.domain,
    status: product.status,
    version: product.version,
    archetype: product.settings?.archetype,
    team: product.team,
    purpose: product.purpose,
    usage: asString(asFields(odps['description'])['usage']),
    input_ports: product.inputPorts.length,
    output_ports: product.outputPorts.length,
    file: product.file,
  });
  for (const input of product.inputPorts) {
    add('ports', {
      product_id: product.id,
      port: input.name,
      direction: 'input',
      contract_id: input.contractId,
      version: input.version,
      file: product.file,
    });
  }
  for (const output of product.outputPorts) {
    add('ports', {
      product_id: product.id,
      port: output.name,
      direction: 'output',
      contract_id: output.contractId,
      version: output.version,
      description: output.description,
      visibility: customProperty(rawOutputs[output.index], 'visibility') ?? 'public',
      file: product.file,
    });
    if (output.contract) addContract(product.id, output.name, output.contract, add);
  }
}

function addContract(productId: string, port: string, contract: Contract, add: (table: CatalogTableName, row: Row) => void): void {
  const doc = contract.document;
  const at = { product_id: productId, port, contract_id: contract.id };
  const slas = asList(doc['slaProperties']).map((raw) => {
    const sla = asFields(raw);
    const value = asNumber(sla['value']) ?? asString(sla['value']);
    const unit = asString(sla['unit']);
    const seconds = value === undefined ? undefined : parseDuration(`${value}${unit ?? 'd'}`);
    return { property: asString(sla['property'])?.toLowerCase(), value: value === undefined ? undefined : String(value), unit, seconds };
  });
  for (const sla of slas) add('slas', { ...at, ...sla });
  const latency = slas.find((s) => s.property === 'latency' || s.property === 'freshness');
  const retention = slas.find((s) => s.property === 'retention');
  const written = (s: (typeof slas)[number] | undefined): string | undefined =>
    s?.value === undefined ? undefined : `${s.value}${s.unit ? ` ${s.unit}` : ''}`;
  const roles = asList(doc['roles']).map(asFields);
  add('contracts', {
    contract_id: contract.id,
    version: contract.version,
    status: contract.status,
    name: contract.name,
    product_id: productId,
    port,
    latency: written(latency),
    latency_seconds: latency?.seconds,
    retention: written(retention),
    retention_seconds: retention?.seconds,
    roles: roles.length,
    file: contract.file,
  });
  for (const role of roles) {
    add('roles', { ...at, role: asString(role['role']), access: asString(role['access']), description: asString(role['description']) });
  }
  for (const rawTable of asList(doc['schema'])) {
    const table = asFields(rawTable);
    const tableName = asString(table['name']);
    for (const rule of asList(table['quality'])) add('quality_rules', { ...at, table_name: tableName, ...qualityRule(rule) });
    for (const rawColumn of asList(table['properties'])) {
      const column = asFields(rawColumn);
      const name = asString(column['name']);
      const quality = asList(column['quality']);
      for (const rule of quality) add('quality_rules', { ...at, table_name: tableName, column_name: name, ...qualityRule(rule) });
      add('columns', {
        ...at,
        table_name: tableName,
        column_name: name,
        logical_type: asString(column['logicalType']),
        physical_type: asString(column['physicalType']),
        required: column['required'] === true,
        is_unique: column['unique'] === true,
        primary_key: column['primaryKey'] === true,
        classification: asString(column['classification']),
        description: asString(column['description']),
        quality_rules: quality.length,
        file: contract.file,
      });
    }
  }
}

function qualityRule(raw: unknown): Row {
  const rule = asFields(raw);
  return {
    rule: asString(rule['metric']) ?? asString(rule['rule']) ?? asString(rule['type']) ?? 'library',
    severity: asString(rule['severity']) ?? 'error',
    description: asString(rule['description']),
  };
}

function addRuns(mesh: Mesh, run: RunHistory, add: (table: CatalogTableName, row: Row) => void): void {
  for (const product of mesh.products) {
    const last = run.lastRun(product.id);
    if (last) {
      add('runs', {
        product_id: product.id,
        status: last.status,
        version: last.version,
        tick: last.tick,
        rows: last.rows,
        problem: last.problem?.message,
      });
      for (const check of last.checks) {
        add('check_results', {
          product_id: product.id,
          port: check.port,
          check_id: check.id,
          severity: check.severity,
          passed: check.passed,
          message: check.message,
        });
      }
    }
    for (const output of product.outputPorts) {
      for (const version of run.observability(product.id, output.name)) {
        add('port_versions', {
          product_id: product.id,
          port: output.name,
          version: version.version,
          tick: version.tick,
          simulated_at: version.simulatedAt,
          rows: version.rows,
          bytes: version.bytes,
          hash: version.hash,
          age_seconds: version.freshness.ageSeconds,
          late: version.freshness.late,
        });
      }
    }
  }
}

function edgeKeys(mesh: Mesh): Set<string> {
  return new Set(new LineageGraph(mesh.products).edges.map((e) => `${e.from}|${e.outputPort}|${e.to}|${e.inputPort}`));
}

function fileValue(mesh: Mesh, path: string): unknown {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file.value : undefined;
}

function teamRaw(mesh: Mesh, id: string): Readonly<Record<string, unknown>> {
  const manifest = mesh.manifest ? fileValue(mesh, mesh.manifest.file) : undefined;
  return asFields(asList(asFields(manifest)['teams']).find((t) => asFields(t)['id'] === id));
}

/** ODPS `customProperties: [{property, value}]`. */
function customProperty(raw: unknown, property: string): string | undefined {
  const entry = asList(asFields(raw)['customProperties']).find((p) => asFields(p)['property'] === property);
  const value = asFields(entry)['value'];
  return typeof value === 'string' ? value : undefined;
}
