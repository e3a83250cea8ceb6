import { yamlText } from '../../blueprints/skeletons.ts';
import { sqlName } from '../../blueprints/skeletons.ts';
import { quantumServer } from '../../contracts/quantumServer.ts';
import { duckdbTypeOf } from '../../run/declaredTypes.ts';
import type { ManifestColumn, ManifestGroup, ManifestNode, Manifest } from './manifest.ts';
import { contractLogicalType, logicalTypeOf, slugId } from './dbtNaming.ts';

/*
 * The mesh's files from the import's plan: mesh.yaml with a team per group owner, a
 * domain.yaml per domain, and per product its ODPS product, an ODCS v3.1.0 contract per output
 * port, quanta.yaml (sources: copied seed files or generated placeholder rows) and transform.sql.
 */

export interface PlannedColumn extends ManifestColumn {
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly primaryKey?: boolean;
  readonly accepted?: { readonly values: readonly (string | number)[]; readonly severity: string };
}

export interface PlannedPort {
  readonly name: string;
  readonly description?: string;
  readonly visibility: 'public' | 'domain' | 'private';
  contractId: string;
  readonly contractVersion: string;
  readonly columns: readonly PlannedColumn[];
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  /** What it was in dbt, for notes. */
  readonly from: string;
}

export interface PlannedStatement {
  readonly table: string;
  readonly node?: ManifestNode;
  sql?: string;
  unsupported?: readonly string[];
}

export interface PlannedProduct {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  description?: string;
  readonly group?: ManifestGroup;
  readonly tags: Set<string>;
  readonly ports: PlannedPort[];
  readonly statements: PlannedStatement[];
  readonly sources: {
    readonly name: string;
    readonly description?: string;
    readonly columns: readonly ManifestColumn[];
    file?: Uint8Array;
    /** The file is Parquet (a seed written with its column_types, seedParquet.ts), not the project's CSV. */
    format?: 'parquet';
  }[];
  readonly inputs: { readonly name: string; contractId: string; readonly version: string }[];
  /** Every table name the transform sees: its own tables, sources and inputs. */
  readonly tables: Set<string>;
}

const TAG = /^[A-Za-z0-9_.-]{1,64}$/;

export function meshFiles(
  manifest: Manifest,
  project: string,
  products: readonly PlannedProduct[],
  notes: { product?: string; text: string }[],
): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const teams = new Map<string, { id: string; name: string; description?: string }>();
  const domains = new Map<string, { team: string; group?: ManifestGroup }>();
  for (const product of products) {
    if (domains.has(product.domain)) continue;
    const owner = product.group?.ownerName ?? product.group?.ownerEmail;
    const teamId = slugId(owner ?? `${product.domain}-team`, 'team');
    if (!teams.has(teamId))
      teams.set(teamId, {
        id: teamId,
        name: owner ?? `${product.domain} team`,
        ...(product.group?.ownerEmail ? { description: `Contact: ${product.group.ownerEmail}` } : {}),
      });
    domains.set(product.domain, { team: teamId, ...(product.group ? { group: product.group } : {}) });
  }
  files.set(
    'mesh.yaml',
    yamlText(`Imported by quanta import dbt from the manifest of dbt project ${manifest.project} (schema v${manifest.schemaVersion}).`, {
      apiVersion: 'quanta/v1',
      kind: 'Mesh',
      name: project,
      title: manifest.project,
      description: `The dbt project ${manifest.project} as a data mesh: its groups are domains, its models data products.`,
      teams: [...teams.values()],
    }),
  );
  for (const [domain, { team, group }] of domains) {
    files.set(
      `domains/${domain}/domain.yaml`,
      yamlText(group ? `dbt group ${group.name}.` : `The models of ${manifest.project} in no dbt group.`, {
        apiVersion: 'quanta/v1',
        kind: 'Domain',
        id: domain,
        name: group?.name ?? domain,
        team,
        description: group?.description ?? `Models of the dbt project ${manifest.project}${group ? ` in group ${group.name}` : ''}.`,
      }),
    );
  }
  for (const product of products) {
    const dir = `domains/${product.domain}/${product.id}`;
    const team = domains.get(product.domain)?.team ?? 'team';
    const tags = [...product.tags].filter((t) => TAG.test(t));
    const dropped = [...product.tags].filter((t) => !TAG.test(t));
    if (dropped.length > 0) notes.push({ product: product.id, text: `tags with other characters not carried over: ${dropped.join(', ')}` });
    files.set(
      `${dir}/product.odps.yaml`,
      yamlText(`Imported from dbt by quanta import dbt.`, {
        apiVersion: 'v1.0.0',
        kind: 'DataProduct',
        id: product.id,
        name: product.name,
        domain: product.domain,
        status: 'active',
        version: '1.0.0',
        description: { purpose: product.description ?? `${product.name}, imported from dbt.` },
        ...(tags.length > 0 ? { tags } : {}),
        team: { name: team },
        ...(product.inputs.length > 0
          ? { inputPorts: product.inputs.map((i) => ({ name: i.name, contractId: i.contractId, version: i.version })) }
          : {}),
        outputPorts: product.ports.map((p) => ({
          name: p.name,
          ...(p.description === undefined ? {} : { description: p.description }),
          type: 'tables',
          version: p.contractVersion,
          contractId: p.contractId,
          ...(p.visibility === 'public' ? {} : { customProperties: [{ property: 'visibility', value: p.visibility }] }),
        })),
      }),
    );
    for (const port of product.ports) files.set(`${dir}/${port.name}.odcs.yaml`, contractText(product, port));
    const sources = product.sources.map((s) => {
      if (s.file) {
        const file = `data/${s.name}.${s.format === 'parquet' ? 'parquet' : 'csv'}`;
        files.set(`${dir}/${file}`, s.file);
        return { name: s.name, ...(s.description ? { description: s.description } : {}), file };
      }
      return { name: s.name, ...(s.description ? { description: s.description } : {}), generator: placeholderGenerator(s.columns, s.name) };
    });
    const sourceAligned = product.inputs.length === 0 && sources.length > 0;
    files.set(
      `${dir}/quanta.yaml`,
      yamlText(`Quanta's runtime settings of ${product.id}, imported from dbt.`, {
        apiVersion: 'quanta/v1',
        kind: 'QuantumSettings',
        archetype: sourceAligned ? 'source-aligned' : 'consumer-aligned',
        ...(sources.length > 0 ? { sources } : {}),
        schedule: sourceAligned || product.inputs.length === 0 ? { every: '1d' } : { onUpstreamPublish: true },
      }),
    );
    files.set(`${dir}/transform.sql`, transformText(product));
  }
  return files;
}

function logicalOf(dataType: string): { logicalType?: string } {
  const logicalType = contractLogicalType(dataType);
  return logicalType === undefined ? {} : { logicalType };
}

function contractText(product: PlannedProduct, port: PlannedPort): string {
  const tags = port.tags.filter((t) => TAG.test(t));
  const meta = Object.keys(port.meta).length > 0 ? JSON.stringify(port.meta) : undefined;
  return yamlText(`The contract of ${product.id}'s output port ${port.name}, from dbt ${port.from}.`, {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: port.contractId,
    name: port.name,
    version: port.contractVersion,
    status: 'active',
    domain: product.domain,
    dataProduct: product.id,
    description: { purpose: port.description ?? `${port.name} of ${product.id}, imported from dbt.` },
    servers: [quantumServer(product.id)],
    ...(tags.length > 0 ? { tags } : {}),
    schema: [
      {
        name: port.name,
        physicalType: 'table',
        properties: port.columns.map((c) => {
          const classification = typeof c.meta['classification'] === 'string' ? c.meta['classification'] : undefined;
          return {
            name: c.name,
            // No data_type and no catalog: no type promised (ODCS v3.1.0 makes logicalType optional), rather than a wrong string.
            ...(c.dataType === undefined ? {} : { ...logicalOf(c.dataType), physicalType: c.dataType }),
            ...(c.description === undefined ? {} : { description: c.description }),
            ...(c.primaryKey ? { primaryKey: true } : {}),
            ...(c.required ? { required: true } : {}),
            ...(c.unique ? { unique: true } : {}),
            ...(classification === undefined ? {} : { classification }),
            ...(c.accepted
              ? {
                  quality: [
                    {
                      metric: 'invalidValues',
                      arguments: { validValues: [...c.accepted.values] },
                      mustBe: 0,
                      severity: c.accepted.severity === 'warn' ? 'warning' : 'error',
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
    ...(meta === undefined ? {} : { customProperties: [{ property: 'dbtMeta', value: meta }] }),
  });
}

/** Rows of the declared columns' types, deterministic, until a real seed file replaces them. */
function placeholderGenerator(columns: readonly ManifestColumn[], name: string): Record<string, unknown> {
  const generated = (columns.length > 0 ? columns : [{ name: 'id', dataType: 'BIGINT' }]).map((c) => {
    const logical = logicalTypeOf(duckdbTypeOf({ physicalType: c.dataType }) ?? c.dataType);
    switch (logical) {
      case 'integer':
        return { name: c.name, type: 'sequence' };
      case 'number':
        return { name: c.name, type: 'decimal', min: 0, max: 1000, scale: 2 };
      case 'boolean':
        return { name: c.name, type: 'boolean', probability: 0.5 };
      case 'date':
      case 'timestamp':
        return { name: c.name, type: 'timestamp', start: '2026-01-01T00:00:00Z', stepSeconds: 86400 };
      default:
        return { name: c.name, type: 'text', template: `${c.name.replace(/[{}]/g, '')} {i}` };
    }
  });
  let seed = 0;
  for (const ch of name) seed = (seed * 31 + ch.charCodeAt(0)) % 100_000;
  return { rows: 20, seed, columns: generated };
}

/** The transform: one query for a one-table product, else `CREATE TABLE … AS` per table; fails by name where dbt's Jinja was not carried. */
function transformText(product: PlannedProduct): string {
  const failing = product.statements.filter((s) => s.unsupported !== undefined || s.sql === undefined);
  const header = `-- ${product.id}, imported from dbt by quanta import dbt: ref() and source() are the tables below.\n`;
  if (failing.length > 0) {
    const reasons = failing.map((s) => `${s.node?.name ?? s.table}: ${(s.unsupported ?? ['no SQL']).join('; ')}`);
    const message = `imported from dbt with Jinja Quanta does not carry over (${reasons.join(' | ')}); rewrite transform.sql`
      .replace(/[^\x20-\x7e]/g, ' ')
      .replace(/'/g, "''")
      .slice(0, 600);
    const kept = product.statements
      .map(
        (s) =>
          `-- ${s.table}, as dbt has it:\n${(s.node?.rawCode ?? s.sql ?? '')
            .split(/\r\n|\r|\n/)
            .map((l) => `--   ${l}`)
            .join('\n')}`,
      )
      .join('\n');
    return `${header}-- Not carried over (quanta import dbt notes say which tags):\n${kept}\nSELECT error('${message}')\n`;
  }
  const body = (s: PlannedStatement): string => (s.sql ?? '').replace(/\s*;\s*$/, '').trim();
  const [only] = product.statements;
  if (only && product.statements.length === 1 && product.ports.length === 1 && product.ports[0]?.name === only.table)
    return `${header}${body(only)}\n`;
  return `${header}${product.statements.map((s) => `CREATE TABLE ${sqlName(s.table)} AS\n${body(s)}\n;\n`).join('\n')}`;
}
