import { stringify } from 'yaml';
import { blueprintFiles, checkId, uniqueName, type BlueprintRequest, type PortRef } from '../blueprints/blueprints.ts';
import { joinPath } from '../fs/meshFileSystem.ts';
import { asFields, asList } from '../model/read.ts';
import { LineageGraph } from '../lineage/lineageGraph.ts';
import { buildMesh } from '../load/buildMesh.ts';
import { DOMAIN_FILE, MESH_FILE, PRODUCT_FILE } from '../load/readMeshFiles.ts';
import type { DataProduct, Mesh, MeshFiles, NodePosition, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { removePositions, setPositions } from './layout.ts';
import { EditError } from '../model/editError.ts';
import { applyEdit } from './meshEdits.ts';
import { deleteDomain, discoveryFilesOf, renameDomain } from './domainEdits.ts';
import {
  addPersona,
  addTeam,
  removePersona,
  removeTeam,
  updatePersona,
  updateTeam,
  type PersonaFields,
  type TeamFields,
} from './teamEdits.ts';

/**
 * What the editor does to a mesh, as plain data: one change is one user action and one
 * undo entry. `applyChange` turns it into file edits (meshEdits.ts), so comments and unknown
 * fields survive and untouched files keep their identity.
 */
export type MeshChange =
  | {
      readonly kind: 'createDomain';
      readonly id: string;
      readonly name: string;
      /** A team of mesh.yaml; without one, the team `<id>-team` (added to mesh.yaml when missing). */
      readonly team?: string;
      readonly description?: string;
    }
  | (BlueprintRequest & { readonly kind: 'createProduct'; readonly position?: NodePosition })
  | { readonly kind: 'connectPorts'; readonly from: PortRef; readonly to: string }
  | { readonly kind: 'disconnectPort'; readonly productId: string; readonly inputPort: string }
  | { readonly kind: 'renameProduct'; readonly productId: string; readonly name: string }
  | {
      readonly kind: 'renameDomain';
      readonly domainId: string;
      readonly name: string;
      /** A new id: the folder moves and everything that names the domain follows (domainEdits.ts). */
      readonly newId?: string;
      /** A team of mesh.yaml to own the domain. */
      readonly team?: string;
    }
  | { readonly kind: 'deleteDomain'; readonly domainId: string }
  | { readonly kind: 'deleteProduct'; readonly productId: string }
  | { readonly kind: 'addTeam'; readonly team: TeamFields }
  | { readonly kind: 'updateTeam'; readonly team: TeamFields }
  | { readonly kind: 'removeTeam'; readonly teamId: string }
  | { readonly kind: 'addPersona'; readonly persona: PersonaFields }
  | { readonly kind: 'updatePersona'; readonly persona: PersonaFields }
  | { readonly kind: 'removePersona'; readonly personaId: string }
  | { readonly kind: 'moveNodes'; readonly positions: Readonly<Record<string, NodePosition>> };

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

/** The words of the undo menu: "Undo Create product weekly-report". */
export function changeLabel(change: MeshChange): string {
  switch (change.kind) {
    case 'createDomain':
      return `Create domain ${change.id}`;
    case 'createProduct':
      return `Create product ${change.id}`;
    case 'connectPorts':
      return `Connect ${change.from.productId}.${change.from.port} to ${change.to}`;
    case 'disconnectPort':
      return `Disconnect ${change.inputPort} from ${change.productId}`;
    case 'renameProduct':
      return `Rename product ${change.productId}`;
    case 'renameDomain':
      return change.newId !== undefined && change.newId !== change.domainId
        ? `Rename domain ${change.domainId} to ${change.newId}`
        : `Rename domain ${change.domainId}`;
    case 'deleteDomain':
      return `Delete domain ${change.domainId}`;
    case 'deleteProduct':
      return `Delete product ${change.productId}`;
    case 'addTeam':
      return `Add team ${change.team.id}`;
    case 'updateTeam':
      return `Edit team ${change.team.id}`;
    case 'removeTeam':
      return `Remove team ${change.teamId}`;
    case 'addPersona':
      return `Add persona ${change.persona.id}`;
    case 'updatePersona':
      return `Edit persona ${change.persona.id}`;
    case 'removePersona':
      return `Remove persona ${change.personaId}`;
    case 'moveNodes': {
      const ids = Object.keys(change.positions);
      return ids.length === 1 ? `Move ${ids[0] ?? ''}` : `Move ${ids.length} products`;
    }
  }
}

/**
 * Applies a change and returns the new file map; the old one is untouched. Throws
 * `EditError`, with a message for the user, when the change is impossible. `mesh` is the
 * model of `files` when the caller has it (saves rebuilding it).
 */
export function applyChange(files: MeshFiles, change: MeshChange, mesh: Mesh = buildMesh(files).mesh): FileMap {
  switch (change.kind) {
    case 'createDomain':
      return createDomain(files, mesh, change);
    case 'createProduct': {
      const next = new Map(files);
      for (const [path, file] of blueprintFiles(change, mesh)) next.set(path, file);
      return change.position ? setPositions(next, new Map([[change.id, change.position]])) : next;
    }
    case 'connectPorts':
      return connectPorts(files, mesh, change.from, change.to);
    case 'disconnectPort': {
      const product = productOf(mesh, change.productId);
      const port = product.inputPorts.find((p) => p.name === change.inputPort);
      if (!port) throw new EditError(`product ${product.id} has no input port "${change.inputPort}"`);
      // The last port goes with its key: an empty `inputPorts:` would be null, which ODPS refuses.
      // Counted in the file, so an entry the model skipped (a port without a name) is never lost.
      const file = files.get(product.file);
      const written = file && 'doc' in file ? asList(asFields(file.value)['inputPorts']).length : 0;
      const path = written === 1 ? ['inputPorts'] : ['inputPorts', port.index];
      return applyEdit(files, { kind: 'deleteField', file: product.file, path });
    }
    case 'renameProduct': {
      const product = productOf(mesh, change.productId);
      return applyEdit(files, {
        kind: 'setField',
        file: product.file,
        path: ['name'],
        value: displayName(change.name, `product ${product.id}`),
      });
    }
    case 'renameDomain':
      return renameDomain(files, mesh, change);
    case 'deleteDomain':
      return deleteDomain(files, mesh, change.domainId);
    case 'addTeam':
      return addTeam(files, mesh, change.team);
    case 'updateTeam':
      return updateTeam(files, mesh, change.team);
    case 'removeTeam':
      return removeTeam(files, mesh, change.teamId);
    case 'addPersona':
      return addPersona(files, mesh, change.persona);
    case 'updatePersona':
      return updatePersona(files, mesh, change.persona);
    case 'removePersona':
      return removePersona(files, mesh, change.personaId);
    case 'deleteProduct': {
      const product = productOf(mesh, change.productId);
      const next = new Map(files);
      for (const path of files.keys()) if (path.startsWith(`${product.dir}/`)) next.delete(path);
      for (const path of discoveryFilesOf(mesh, new Set([product.id]))) next.delete(path);
      return removePositions(next, [product.id]);
    }
    case 'moveNodes': {
      const positions = new Map(Object.entries(change.positions));
      if (positions.size === 0) return new Map(files);
      for (const id of positions.keys()) productOf(mesh, id);
      return setPositions(files, positions);
    }
  }
}

/** One input port that loses its upstream when a product is deleted. */
export interface BrokenConsumer {
  readonly productId: string;
  readonly inputPort: string;
  readonly contractId: string;
  readonly version: string;
}

/** The consumers whose input ports read `productId`: what deleting it breaks, for the confirmation. */
export function consumersBrokenBy(mesh: Mesh, productId: string): BrokenConsumer[] {
  return new LineageGraph(mesh.products).edges
    .filter((edge) => edge.from === productId && edge.to !== productId)
    .map((edge) => ({ productId: edge.to, inputPort: edge.inputPort, contractId: edge.contractId, version: edge.version }))
    .sort((a, b) => a.productId.localeCompare(b.productId) || a.inputPort.localeCompare(b.inputPort));
}

/**
 * Product folders that `after` no longer has (a product was deleted). The file map holds only
 * the files Quanta reads, so saving must also remove what else is in those folders (seed
 * data under data/), or the folder lingers as "not a product" (QUANTA_W037).
 */
export function removedProductFolders(before: MeshFiles, after: MeshFiles): string[] {
  const folders = new Set<string>();
  for (const path of after.keys()) {
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) folders.add(path.slice(0, i));
  }
  return [...before.keys()]
    .filter((path) => path.startsWith('domains/') && path.endsWith(`/${PRODUCT_FILE}`))
    .map((path) => path.slice(0, -PRODUCT_FILE.length - 1))
    .filter((dir) => !folders.has(dir))
    .sort();
}

function connectPorts(files: MeshFiles, mesh: Mesh, from: PortRef, to: string): FileMap {
  const upstream = productOf(mesh, from.productId);
  const consumer = productOf(mesh, to);
  const port = upstream.outputPorts.find((p) => p.name === from.port);
  if (!port) {
    const names = upstream.outputPorts.map((p) => p.name).join(', ') || 'none';
    throw new EditError(`product ${upstream.id} has no output port "${from.port}" (its output ports: ${names})`);
  }
  if (port.contractId === undefined)
    throw new EditError(`output port ${upstream.id}.${port.name} names no contract, so nothing can read it`);
  if (upstream.id === consumer.id)
    throw new EditError(`${consumer.id} cannot read its own output port ${port.name}: data cannot flow in a circle`);
  const already = consumer.inputPorts.find((p) => p.contractId === port.contractId);
  if (already) {
    throw new EditError(
      `${consumer.id} already reads ${upstream.id}.${port.name} (contract ${port.contractId}) through its input port "${already.name}"`,
    );
  }
  const graph = new LineageGraph(mesh.products);
  const path = pathDownstream(graph, consumer.id, upstream.id);
  if (path) {
    throw new EditError(
      `${consumer.id} cannot read ${upstream.id}.${port.name}: ${upstream.id} already depends on ${consumer.id} (${path.join(' → ')}), so this would make a lineage cycle`,
    );
  }
  const taken = new Set([
    ...consumer.inputPorts.map((p) => p.name),
    ...consumer.outputPorts.map((p) => p.name),
    ...(consumer.settings?.sources.map((s) => s.name) ?? []),
  ]);
  return applyEdit(files, {
    kind: 'addInputPort',
    productDir: consumer.dir,
    port: { name: uniqueName(port.name, taken), contractId: port.contractId, version: port.version },
  });
}

/** The shortest lineage path from `start` down to `goal`, or undefined when there is none. */
function pathDownstream(graph: LineageGraph, start: string, goal: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (id === goal) {
      const path = [goal];
      while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
      return path;
    }
    for (const next of graph.downstream(id)) {
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, id);
      queue.push(next);
    }
  }
  return undefined;
}

const DOMAIN_COLORS = ['#2f7ed8', '#8a5cc2', '#1db954', '#e8833a', '#d64550', '#14a3a3', '#c9a227', '#6b7a8f'];

function createDomain(
  files: MeshFiles,
  mesh: Mesh,
  change: { readonly id: string; readonly name: string; readonly team?: string; readonly description?: string },
): FileMap {
  const { id } = change;
  checkId('domain', id);
  const name = displayName(change.name, `domain ${id}`);
  const dir = joinPath('domains', id);
  if (mesh.domains.some((d) => d.id === id) || [...files.keys()].some((p) => p.startsWith(`${dir}/`))) {
    throw new EditError(`a domain "${id}" already exists (${dir}); choose another id`);
  }
  const teams = mesh.manifest?.teams ?? [];
  let next: FileMap = new Map(files);
  let team = change.team;
  if (team !== undefined) {
    if (mesh.manifest && !teams.some((t) => t.id === team)) {
      const known = teams.map((t) => t.id).join(', ') || 'none yet';
      throw new EditError(`mesh.yaml declares no team "${team}" to own domain ${id} (its teams: ${known})`);
    }
  } else {
    // A domain is owned by a team; a new domain gets its own unless that team already exists.
    team = `${id}-team`;
    if (!teams.some((t) => t.id === team)) {
      if (!mesh.manifest)
        throw new EditError(`${MESH_FILE} cannot be read, so a team for domain ${id} cannot be declared; fix ${MESH_FILE} first`);
      // Append after every item written, valid or not, so no hand-written entry is overwritten.
      const manifest = files.get(MESH_FILE);
      const declared = manifest && 'doc' in manifest ? asList(asFields(manifest.value)['teams']).length : 0;
      next = applyEdit(next, { kind: 'setField', file: MESH_FILE, path: ['teams', declared], value: { id: team, name } });
    }
  }
  const used = new Set(mesh.domains.map((d) => d.color));
  const color = DOMAIN_COLORS.find((c) => !used.has(c)) ?? DOMAIN_COLORS[mesh.domains.length % DOMAIN_COLORS.length] ?? '#6b7a8f';
  const path = joinPath(dir, DOMAIN_FILE);
  const document = {
    apiVersion: 'quanta/v1',
    kind: 'Domain',
    id,
    name,
    team,
    ...(change.description ? { description: change.description } : {}),
    color,
  };
  next.set(path, parseYaml(path, stringify(document, { lineWidth: 0 })));
  return next;
}

function productOf(mesh: Mesh, id: string): DataProduct {
  const product = mesh.products.find((p) => p.id === id);
  if (!product) throw new EditError(`there is no product "${id}" in this mesh`);
  return product;
}

function displayName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new EditError(`${what} needs a name that is not empty`);
  return trimmed;
}
