import { indexPublishers, LineageGraph, resolveInputPort } from '../lineage/lineageGraph.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { DataProduct, Mesh, OutputPort } from '../model/types.ts';
import type { Freshness, PortVersion, ProductRun } from '../run/runTypes.ts';
import { freshnessSla } from '../run/simTime.ts';
import { contractRoles, portColumns } from './access/access.ts';
import type { PortUsage } from './access/queryAs.ts';

/*
 * The usability scorecard: each product scored on the eight characteristics of a good data
 * product (PRODUCT.md, "Data mesh in one page"). Every characteristic is a few criteria read
 * from the product's metadata and, when given, its runs and its usage; a criterion earns a
 * share between 0 and 1 and says why in one sentence. A characteristic's score is the mean
 * of its assessed criteria, 0–100. Criteria that need runs or usage are listed as not
 * assessed when those are not given, so a product that never ran is not called untrustworthy
 * on no evidence — nor trustworthy. docs/governance-access.md lists every criterion.
 */

export type Characteristic =
  | 'discoverable'
  | 'addressable'
  | 'understandable'
  | 'trustworthy'
  | 'natively-accessible'
  | 'interoperable'
  | 'valuable-on-its-own'
  | 'secure';

export const CHARACTERISTICS: readonly { readonly id: Characteristic; readonly title: string }[] = [
  { id: 'discoverable', title: 'Discoverable' },
  { id: 'addressable', title: 'Addressable' },
  { id: 'understandable', title: 'Understandable' },
  { id: 'trustworthy', title: 'Trustworthy' },
  { id: 'natively-accessible', title: 'Natively accessible' },
  { id: 'interoperable', title: 'Interoperable' },
  { id: 'valuable-on-its-own', title: 'Valuable on its own' },
  { id: 'secure', title: 'Secure' },
];

export interface ScoreReason {
  /** 0..1: how much of the criterion is met (1 met, 0 not, between: a share of ports or columns). */
  readonly credit: number;
  /** False when the criterion needs runs or usage that were not given; it does not count. */
  readonly assessed: boolean;
  readonly text: string;
}

export interface CharacteristicScore {
  readonly characteristic: Characteristic;
  readonly title: string;
  /** 0–100, the mean credit of the assessed criteria. */
  readonly score: number;
  readonly reasons: readonly ScoreReason[];
}

export interface ProductScorecard {
  readonly product: string;
  readonly domain: string;
  /** 0–100, the mean of the eight characteristics. */
  readonly score: number;
  readonly characteristics: readonly CharacteristicScore[];
}

/** What the scorecard reads of a running mesh; MeshRuntime satisfies it. */
export interface ScorecardRuns {
  lastRun(product: string): ProductRun | undefined;
  latestVersion(product: string, port: string): Omit<PortVersion, 'ipc'> | undefined;
  freshness(product: string, port: string): Freshness | undefined;
}

export interface ScorecardInputs {
  readonly runs?: ScorecardRuns;
  /** Reads by personas (AuditLog.usage()). */
  readonly usage?: readonly PortUsage[];
}

/** Column names that look personal: the same list as the built-in policy quanta.personal-data-classified. */
const PERSONAL =
  /(e_?mail|phone|birth|first_name|last_name|full_name|display_name|legal_name|street|address|postcode|postal_code|zip_code|ip_addr|latitude|longitude)/;
const LOGICAL_TYPES = new Set(['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean']);
const SEMVER = /^\d+\.\d+\.\d+$/;
const OPEN_FORMATS = new Set(['csv', 'jsonl', 'parquet']);

const met = (ok: boolean, yes: string, no: string): ScoreReason => ({ credit: ok ? 1 : 0, assessed: true, text: ok ? yes : no });
const notAssessed = (text: string): ScoreReason => ({ credit: 0, assessed: false, text });

/** `n of m what` as a share; an empty list counts as met with `none`. */
function share(hits: number, total: number, what: string, none: string, missing: readonly string[] = []): ScoreReason {
  if (total === 0) return { credit: 1, assessed: true, text: none };
  const list = missing.length > 0 ? `; missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}` : '';
  return { credit: hits / total, assessed: true, text: `${hits} of ${total} ${what}${hits < total ? list : ''}` };
}

function ratio<T>(items: readonly T[], ok: (item: T) => boolean, name: (item: T) => string, what: string, none: string): ScoreReason {
  const missing = items.filter((i) => !ok(i)).map(name);
  return share(items.length - missing.length, items.length, what, none, missing);
}

/** The scorecard of one product; undefined when the mesh has no such product. */
export function scoreProduct(mesh: Mesh, productId: string, inputs: ScorecardInputs = {}): ProductScorecard | undefined {
  const product = mesh.products.find((p) => p.id === productId);
  return product ? score(meshContext(mesh), product, inputs) : undefined;
}

/** Every product's scorecard, in the mesh's order. */
export function scoreMesh(mesh: Mesh, inputs: ScorecardInputs = {}): ProductScorecard[] {
  const context = meshContext(mesh);
  return mesh.products.map((p) => score(context, p, inputs));
}

/** What criteria read across products, built once per mesh so scoring a whole mesh stays linear. */
interface MeshContext {
  readonly mesh: Mesh;
  readonly graph: LineageGraph;
  readonly publishers: ReturnType<typeof indexPublishers>;
  /** Column name → products whose contracts have it. */
  readonly columnOwners: ReadonlyMap<string, ReadonlySet<string>>;
}

function meshContext(mesh: Mesh): MeshContext {
  const columnOwners = new Map<string, Set<string>>();
  for (const p of mesh.products) {
    for (const c of columnsOf(p)) columnOwners.set(c.name, (columnOwners.get(c.name) ?? new Set()).add(p.id));
  }
  return { mesh, graph: new LineageGraph(mesh.products), publishers: indexPublishers(mesh.products), columnOwners };
}

function score(context: MeshContext, product: DataProduct, inputs: ScorecardInputs): ProductScorecard {
  const { mesh } = context;
  const criteria: Record<Characteristic, ScoreReason[]> = {
    discoverable: discoverable(mesh, product),
    addressable: addressable(product),
    understandable: understandable(product),
    trustworthy: trustworthy(product, inputs.runs),
    'natively-accessible': nativelyAccessible(mesh, product, inputs.runs),
    interoperable: interoperable(context, product),
    'valuable-on-its-own': valuable(context, product, inputs),
    secure: secure(product),
  };
  const characteristics = CHARACTERISTICS.map(({ id, title }): CharacteristicScore => {
    const reasons = criteria[id];
    const assessed = reasons.filter((r) => r.assessed);
    const value = assessed.length === 0 ? 0 : Math.round((100 * assessed.reduce((s, r) => s + r.credit, 0)) / assessed.length);
    return { characteristic: id, title, score: value, reasons };
  });
  const total = Math.round(characteristics.reduce((s, c) => s + c.score, 0) / characteristics.length);
  return { product: product.id, domain: product.domain, score: total, characteristics };
}

function odpsOf(mesh: Mesh, product: DataProduct): Readonly<Record<string, unknown>> {
  const file = mesh.files.get(product.file);
  return asFields(file && 'doc' in file ? file.value : undefined);
}

function discoverable(mesh: Mesh, product: DataProduct): ScoreReason[] {
  const odps = odpsOf(mesh, product);
  const description = asFields(odps['description']);
  const rawPorts = asList(odps['outputPorts']);
  const tags = [...asList(odps['tags']), ...rawPorts.flatMap((p) => asList(asFields(p)['tags']))].filter((t) => typeof t === 'string');
  const team = product.team && mesh.manifest?.teams.some((t) => t.id === product.team);
  return [
    met(
      Boolean(product.purpose),
      'states its purpose (ODPS description.purpose)',
      'no ODPS description.purpose: a search result says nothing about it',
    ),
    met(
      Boolean(asString(description['usage'])),
      'says how to use it (description.usage)',
      'no description.usage: consumers guess how to use it',
    ),
    met(tags.length > 0, `tagged ${tags.slice(0, 5).join(', ')}`, 'no ODPS tags: search finds it by name only'),
    met(Boolean(team), `owned by team ${product.team ?? ''}, declared in mesh.yaml`, 'no owning team declared in mesh.yaml: nobody to ask'),
    ratio(
      product.outputPorts,
      (p) => Boolean(p.description),
      (p) => p.name,
      'output ports described',
      'no output port to describe',
    ),
  ];
}

function addressable(product: DataProduct): ScoreReason[] {
  const ports = product.outputPorts;
  return [
    met(ports.length > 0, `addressed as ${ports.map((p) => `"${product.id}".${p.name}`).join(', ')}`, 'no output port: nothing to address'),
    ratio(
      ports,
      (p) => p.contractId !== undefined && p.contract?.id === p.contractId,
      (p) => p.name,
      'output ports name a contract id whose file exists',
      'no output port',
    ),
    ratio(
      [product.version ?? '', ...ports.map((p) => p.version)].map((v, i) => ({ v, i })),
      ({ v }) => SEMVER.test(v),
      ({ v, i }) => (i === 0 ? `product ${v || '(none)'}` : v),
      'versions are MAJOR.MINOR.PATCH',
      'nothing versioned',
    ),
    ratio(
      ports.filter((p) => p.contract),
      (p) => (p.contract?.tables ?? []).some((t) => t.name === p.name),
      (p) => p.name,
      'contracts name their schema object after the port',
      'no contract to check',
    ),
  ];
}

function columnsOf(product: DataProduct): { port: OutputPort; name: string; described: boolean; logical?: string; physical?: string }[] {
  return product.outputPorts.flatMap((port) =>
    portColumns(port).map((c) => ({
      port,
      name: c.name,
      described: Boolean(c.description),
      ...(c.logicalType === undefined ? {} : { logical: c.logicalType }),
      ...(c.physicalType === undefined ? {} : { physical: c.physicalType }),
    })),
  );
}

function understandable(product: DataProduct): ScoreReason[] {
  const columns = columnsOf(product);
  const contracts = product.outputPorts.filter((p) => p.contract);
  return [
    met(
      contracts.length > 0 && contracts.length === product.outputPorts.length,
      'every output port has a contract',
      'an output port has no contract: its schema is unknown',
    ),
    ratio(
      columns,
      (c) => c.described,
      (c) => c.name,
      'columns described',
      'no columns in its contracts',
    ),
    ratio(
      columns,
      (c) => c.logical !== undefined,
      (c) => c.name,
      'columns have a logicalType',
      'no columns in its contracts',
    ),
    ratio(
      contracts,
      (p) => Boolean(asString(asFields(p.contract?.document['description'])['purpose'])),
      (p) => p.name,
      'contracts state their purpose (ODCS description.purpose)',
      'no contract',
    ),
  ];
}

function trustworthy(product: DataProduct, runs: ScorecardRuns | undefined): ScoreReason[] {
  const contracts = product.outputPorts.filter((p) => p.contract);
  const reasons = [
    ratio(
      contracts,
      (p) => qualityRules(p) > 0,
      (p) => p.name,
      'contracts declare quality rules',
      'no contract',
    ),
    ratio(
      contracts,
      (p) => freshnessSla(p.contract) !== undefined,
      (p) => p.name,
      'contracts promise freshness (slaProperties latency)',
      'no contract',
    ),
    ratio(
      contracts,
      (p) => portColumns(p).some((c) => c.primaryKey),
      (p) => p.name,
      'contracts declare a primary key',
      'no contract',
    ),
  ];
  if (!runs) return [...reasons, notAssessed('run history not given: publishing, checks and freshness not assessed')];
  const last = runs.lastRun(product.id);
  const versions = product.outputPorts.flatMap((p) => runs.latestVersion(product.id, p.name) ?? []);
  const checks = versions.flatMap((v) => v.checks);
  const failed = checks.filter((c) => !c.passed).map((c) => c.id);
  return [
    ...reasons,
    last === undefined
      ? met(false, '', 'has never run')
      : met(
          last.status === 'published',
          `its last run (tick ${last.tick}) published version ${last.version}`,
          `its last run (tick ${last.tick}) ended ${last.status}${last.problem ? `: ${last.problem.message}` : ''}`,
        ),
    versions.length === 0
      ? met(false, '', 'no published version to check')
      : share(checks.length - failed.length, checks.length, 'checks of the newest versions pass', 'no checks measured', failed),
    versions.length === 0
      ? met(false, '', 'no published version, so no fresh data')
      : ratio(
          product.outputPorts,
          (p) => runs.freshness(product.id, p.name)?.late === false,
          (p) => p.name,
          'output ports are within their freshness SLA now',
          'no output port',
        ),
  ];
}

function qualityRules(port: OutputPort): number {
  return asList(port.contract?.document['schema']).reduce<number>((n, raw) => {
    const table = asFields(raw);
    return (
      n +
      asList(table['quality']).length +
      asList(table['properties']).reduce<number>((m, c) => m + asList(asFields(c)['quality']).length, 0)
    );
  }, 0);
}

function nativelyAccessible(mesh: Mesh, product: DataProduct, runs: ScorecardRuns | undefined): ScoreReason[] {
  const rawPorts = asList(odpsOf(mesh, product)['outputPorts']);
  const typeOf = (p: OutputPort): string | undefined => asString(asFields(rawPorts[p.index])['type']);
  const reasons = [
    met(product.outputPorts.length > 0, 'serves its output ports as SQL tables', 'no output port: nothing to read'),
    ratio(
      product.outputPorts,
      (p) => typeOf(p) !== undefined,
      (p) => p.name,
      'output ports declare their type (ODPS outputPorts[].type)',
      'no output port',
    ),
  ];
  if (!runs) return [...reasons, notAssessed('run history not given: whether data is published now not assessed')];
  return [
    ...reasons,
    ratio(
      product.outputPorts,
      (p) => runs.latestVersion(product.id, p.name) !== undefined,
      (p) => p.name,
      'output ports have a published version to query now',
      'no output port',
    ),
  ];
}

function interoperable(context: MeshContext, product: DataProduct): ScoreReason[] {
  const odps = odpsOf(context.mesh, product);
  const contracts = product.outputPorts.flatMap((p) => p.contract ?? []);
  const standard = [odps['apiVersion'] === 'v1.0.0', ...contracts.map((c) => c.document['apiVersion'] === 'v3.1.0')];
  const inputs = [
    ...product.inputPorts.map((p) => ({ name: p.name, ok: resolveInputPort(context.publishers, p) !== undefined })),
    ...(product.settings?.sources ?? []).map((s) => ({ name: s.name, ok: s.generator !== undefined || OPEN_FORMATS.has(s.format ?? '') })),
  ];
  const columns = columnsOf(product);
  const keys = new Set(
    columns.filter((c) => c.name.endsWith('_id') || portColumns(c.port).some((k) => k.primaryKey && k.name === c.name)).map((c) => c.name),
  );
  const sharedWith = [...new Set([...keys].flatMap((k) => [...(context.columnOwners.get(k) ?? [])]))]
    .filter((id) => id !== product.id)
    .sort();
  return [
    share(standard.filter(Boolean).length, standard.length, 'files follow the standards (ODPS v1.0.0, ODCS v3.1.0)', 'no files'),
    ratio(
      inputs,
      (i) => i.ok,
      (i) => i.name,
      'inputs read published contracts or open formats (CSV, JSON lines, Parquet, generators)',
      'reads no inputs',
    ),
    ratio(
      columns,
      (c) => LOGICAL_TYPES.has(c.logical ?? '') && c.physical !== undefined,
      (c) => c.name,
      'columns have an ODCS logicalType and a physicalType',
      'no columns',
    ),
    met(
      sharedWith.length > 0,
      `shares key columns with ${sharedWith.slice(0, 3).join(', ')}${sharedWith.length > 3 ? ', …' : ''}: joinable`,
      'shares no key column (…_id or primary key) with another product',
    ),
  ];
}

function valuable(context: MeshContext, product: DataProduct, inputs: ScorecardInputs): ScoreReason[] {
  const { mesh } = context;
  const downstream = context.graph.downstream(product.id);
  const archetype = product.settings?.archetype;
  const roles = new Set(product.outputPorts.flatMap((p) => contractRoles(p.contract).map((r) => r.role)));
  const users = (mesh.manifest?.personas ?? []).filter((p) => p.purposes.some((purpose) => roles.has(purpose)));
  const reasons = [
    met(
      downstream.length > 0 || archetype === 'consumer-aligned',
      downstream.length > 0 ? `read by ${downstream.join(', ')}` : 'consumer-aligned: shaped for its use',
      'no product reads it and it is not consumer-aligned',
    ),
    met(
      users.length > 0,
      `serves the purposes of ${users.map((p) => p.id).join(', ')} (ODCS roles)`,
      'no persona holds a purpose its contracts name as a role',
    ),
  ];
  const runs = inputs.runs;
  reasons.push(
    runs
      ? ratio(
          product.outputPorts,
          (p) => (runs.latestVersion(product.id, p.name)?.rows ?? 0) > 0,
          (p) => p.name,
          'output ports publish rows',
          'no output port',
        )
      : notAssessed('run history not given: whether it publishes data not assessed'),
  );
  if (inputs.usage) {
    const readers = [...new Set(inputs.usage.filter((u) => u.productId === product.id && u.queries > 0).map((u) => u.personaId))];
    reasons.push(met(readers.length > 0, `queried by ${readers.join(', ')}`, 'no persona has queried it'));
  } else reasons.push(notAssessed('usage not given: queries by personas not assessed'));
  return reasons;
}

function secure(product: DataProduct): ScoreReason[] {
  const ports = product.outputPorts.filter((p) => p.contract);
  const personal = ports.flatMap((p) => portColumns(p).filter((c) => PERSONAL.test(c.name.toLowerCase())));
  return [
    ratio(
      personal,
      (c) => c.classification !== undefined,
      (c) => c.name,
      'columns that look personal are classified',
      'no column looks personal',
    ),
    ratio(
      ports,
      (p) => contractRoles(p.contract).length > 0,
      (p) => p.name,
      'contracts declare ODCS roles, the purposes that read classified columns in clear',
      'no contract',
    ),
    met(Boolean(product.team), `team ${product.team ?? ''} is accountable for access`, 'no owning team: nobody answers for access'),
  ];
}
