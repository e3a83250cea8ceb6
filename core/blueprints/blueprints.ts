import { quantumServer } from '../contracts/quantumServer.ts';
import { EditError } from '../model/editError.ts';
import { joinPath } from '../fs/meshFileSystem.ts';
import { CONTRACT_SUFFIX, PRODUCT_FILE, SETTINGS_FILE, TRANSFORM_FILE } from '../load/readMeshFiles.ts';
import { ARCHETYPES, type Archetype, type Contract, type ContractTable, type Mesh, type TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import {
  constantColumns,
  constantTransform,
  copiedColumns,
  passThroughTransform,
  sourceColumns,
  sourceGenerator,
  sourceTransform,
  yamlText,
  type SkeletonColumn,
} from './skeletons.ts';

/** An output port of a product in the mesh. */
export interface PortRef {
  readonly productId: string;
  readonly port: string;
}

export interface BlueprintRequest {
  readonly domain: string;
  readonly id: string;
  readonly name: string;
  readonly archetype: Archetype;
  readonly description?: string;
  /** Output ports the new product reads; each becomes an input port. */
  readonly upstreams?: readonly PortRef[];
}

/** New products start as drafts; their port and contract share the product's version. */
export const BLUEPRINT_VERSION = '0.1.0';

/** Lowercase kebab-case, as product and domain ids are written in the samples. */
export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function checkId(kind: 'product' | 'domain', id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new EditError(
      `"${id}" cannot be a ${kind} id: use lowercase letters, digits and single hyphens, starting with a letter (e.g. weekly-revenue)`,
    );
  }
}

/**
 * The files of a new product, wired end to end so that it loads without errors and
 * publishes on its first run: product.odps.yaml (an output port, an input port per
 * upstream), the output port's ODCS contract, quanta.yaml and a transform.sql that runs.
 *
 * - source-aligned: a generator source in quanta.yaml, cast into the contract's types;
 * - aggregate / consumer-aligned with upstreams: the first upstream's columns passed
 *   through (`SELECT … FROM <input port>`), its contract's columns copied;
 * - without upstreams: one constant row matching the contract skeleton.
 */
export function blueprintFiles(request: BlueprintRequest, mesh: Mesh): Map<string, YamlSourceFile | TextSourceFile> {
  const { id, domain, archetype } = request;
  checkId('product', id);
  const name = request.name.trim();
  if (name === '') throw new EditError(`product ${id} needs a name`);
  if (!ARCHETYPES.includes(archetype))
    throw new EditError(`"${String(archetype)}" is not an archetype; use one of ${ARCHETYPES.join(', ')}`);
  const owner = mesh.domains.find((d) => d.id === domain);
  if (!owner) throw new EditError(`there is no domain "${domain}" to put product ${id} in; create the domain first`);
  const taken = mesh.products.find((p) => p.id === id);
  if (taken) throw new EditError(`a product with id "${id}" already exists (${taken.dir}); choose another id`);
  const dir = joinPath(owner.dir, id);
  if ([...mesh.files.keys()].some((path) => path.startsWith(`${dir}/`))) {
    throw new EditError(`folder ${dir} already holds files; choose another id`);
  }
  const upstreams = (request.upstreams ?? []).map((ref) => resolveUpstream(mesh, ref));
  if (archetype === 'source-aligned' && upstreams.length > 0) {
    throw new EditError(
      `source-aligned product ${id} reads sources, not other data products; make it aggregate or consumer-aligned to read ${upstreams.map((u) => u.label).join(', ')}`,
    );
  }

  const port = portName(id);
  const contractId = `${contractPrefix(mesh)}.${domain}.${id}.${port}`;
  const publishedIds = new Set(mesh.products.flatMap((p) => p.outputPorts.map((o) => o.contractId)));
  if (publishedIds.has(contractId)) throw new EditError(`contract id ${contractId} is already published; choose another product id`);

  const source = `${port}_feed`;
  const names = new Set([port, source]);
  const inputPorts = upstreams.map((u) => {
    const inputName = uniqueName(u.port, names);
    names.add(inputName);
    return { name: inputName, contractId: u.contract.id, version: u.contract.version, table: u.table };
  });

  const first = inputPorts[0];
  let columns: SkeletonColumn[];
  let transform: string;
  if (archetype === 'source-aligned') {
    columns = sourceColumns();
    transform = sourceTransform(port, source);
  } else if (first) {
    columns = copiedColumns(first.table.columns);
    if (columns.length === 0)
      throw new EditError(`the contract ${first.contractId} promises no columns, so there is nothing to read from it`);
    transform = passThroughTransform(
      port,
      first.name,
      columns,
      inputPorts.slice(1).map((p) => p.name),
    );
  } else {
    columns = constantColumns();
    transform = constantTransform(port);
  }
  const team = owner.team || undefined;

  const files = new Map<string, YamlSourceFile | TextSourceFile>();
  const add = (file: string, text: string): void => {
    const path = joinPath(dir, file);
    files.set(path, file.endsWith('.yaml') ? parseYaml(path, text) : { path, text });
  };
  add(
    PRODUCT_FILE,
    yamlText(`A ${archetype} data product, created from Quanta's blueprint.`, {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id,
      name,
      domain,
      status: 'draft',
      version: BLUEPRINT_VERSION,
      ...(request.description ? { description: { purpose: request.description } } : {}),
      ...(team ? { team: { name: team } } : {}),
      ...(inputPorts.length > 0
        ? { inputPorts: inputPorts.map((p) => ({ name: p.name, contractId: p.contractId, version: p.version })) }
        : {}),
      outputPorts: [
        { name: port, description: `${name}, as its contract describes it.`, type: 'tables', version: BLUEPRINT_VERSION, contractId },
      ],
    }),
  );
  add(`${port}${CONTRACT_SUFFIX}`, contractText({ request, name, port, contractId, columns, fromUpstream: first !== undefined }));
  add(SETTINGS_FILE, settingsText(archetype, id, source, inputPorts.length > 0));
  add(TRANSFORM_FILE, transform);
  return files;
}

interface ResolvedUpstream {
  readonly label: string;
  readonly port: string;
  readonly contract: Contract;
  readonly table: ContractTable;
}

function resolveUpstream(mesh: Mesh, ref: PortRef): ResolvedUpstream {
  const label = `${ref.productId}.${ref.port}`;
  const product = mesh.products.find((p) => p.id === ref.productId);
  if (!product) throw new EditError(`there is no product "${ref.productId}" to read from`);
  const port = product.outputPorts.find((p) => p.name === ref.port);
  if (!port) {
    const names = product.outputPorts.map((p) => p.name).join(', ') || 'none';
    throw new EditError(`product ${product.id} has no output port "${ref.port}" (its output ports: ${names})`);
  }
  const contract = port.contract;
  if (!contract || contract.id !== port.contractId) {
    throw new EditError(`output port ${label} has no valid contract (${port.name}${CONTRACT_SUFFIX}) to read; fix it first`);
  }
  const table = contract.tables.find((t) => t.name === port.name) ?? contract.tables[0] ?? { name: port.name, columns: [] };
  return { label, port: port.name, contract, table };
}

function contractText(args: {
  request: BlueprintRequest;
  name: string;
  port: string;
  contractId: string;
  columns: readonly SkeletonColumn[];
  fromUpstream: boolean;
}): string {
  const { request, port, columns } = args;
  const timestamp = columns.find((c) => c.logicalType === 'timestamp');
  const source = request.archetype === 'source-aligned';
  return yamlText(`The contract of output port ${port} of ${request.id}: what its consumers may rely on.`, {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: args.contractId,
    name: port,
    version: BLUEPRINT_VERSION,
    status: 'draft',
    domain: request.domain,
    dataProduct: request.id,
    description: { purpose: request.description ?? `${args.name}.` },
    servers: [quantumServer(request.id)],
    schema: [
      {
        name: port,
        physicalType: 'table',
        properties: columns,
        quality: [
          {
            metric: 'rowCount',
            mustBeGreaterThan: 0,
            description: args.fromUpstream ? 'An empty result means the input was empty.' : 'Every run publishes rows.',
            severity: args.fromUpstream ? 'warning' : 'error',
          },
        ],
      },
    ],
    slaProperties: [
      {
        property: 'latency',
        value: 1,
        unit: source ? 'h' : 'd',
        ...(timestamp ? { element: `${port}.${timestamp.name}` } : {}),
      },
    ],
  });
}

function settingsText(archetype: Archetype, id: string, source: string, hasInputs: boolean): string {
  if (archetype === 'source-aligned') {
    return yamlText(`Quanta's runtime settings of ${id}. The generator stands in for the real source.`, {
      apiVersion: 'quanta/v1',
      kind: 'QuantumSettings',
      archetype,
      sources: [{ name: source, description: 'Generated records until the real source is wired.', generator: sourceGenerator(seedOf(id)) }],
      schedule: { every: '1h' },
    });
  }
  return yamlText(`Quanta's runtime settings of ${id}.`, {
    apiVersion: 'quanta/v1',
    kind: 'QuantumSettings',
    archetype,
    schedule: hasInputs ? { onUpstreamPublish: true } : { every: '1d' },
  });
}

/** `weekly-report` → `weekly_report`: port names are table names in transform.sql. */
export function portName(productId: string): string {
  const name = productId.replace(/-/g, '_');
  return /^[a-z_]/.test(name) ? name : `p_${name}`;
}

export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/**
 * The first part of the mesh's contract ids (`daff` in daff.media-player.play-events.play_events),
 * taken from the contracts already there so new ones match; the mesh name otherwise.
 */
export function contractPrefix(mesh: Mesh): string {
  const counts = new Map<string, number>();
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const marker = `.${product.domain}.${product.id}`;
      const at = port.contractId?.indexOf(marker) ?? -1;
      if (port.contractId === undefined || at <= 0) continue;
      const prefix = port.contractId.slice(0, at);
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? mesh.manifest?.name ?? 'mesh';
}

/** A stable generator seed per product id, so two new products do not emit the same data. */
function seedOf(id: string): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return (hash >>> 0) % 100_000;
}
