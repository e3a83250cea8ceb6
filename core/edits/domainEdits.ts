import { checkId } from '../blueprints/blueprints.ts';
import { joinPath } from '../fs/meshFileSystem.ts';
import { LineageGraph } from '../lineage/lineageGraph.ts';
import { EditError } from '../model/editError.ts';
import { asFields, asString } from '../model/read.ts';
import type { Domain, Mesh, MeshFiles, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { removePositions } from './layout.ts';
import { applyEdit, type MeshEdit } from './meshEdits.ts';

/*
 * Renaming and deleting a whole domain. A domain's id is its folder (domains/<id>/), and
 * other files name it: each product's `domain`, contract ids (`<mesh>.<domain>.<product>.<port>`)
 * and the input ports across the mesh that read them, policy scopes `domain:<id>` and
 * scenario references. A new id rewrites all of them in one change, so one undo restores
 * the lot. Positions in layout.yaml are keyed by product id and stay as they are.
 */

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

/** A contract id before and after the rename. */
export interface ContractIdChange {
  readonly from: string;
  readonly to: string;
}

/** What renaming a domain's id changes, listed for the dialog before anything happens. */
export interface DomainRenamePlan {
  readonly from: string;
  readonly to: string;
  readonly folder: { readonly from: string; readonly to: string };
  /** The text files that move into the new folder (seed data under data/ moves with them). */
  readonly movedFiles: readonly string[];
  /** Products whose `domain` field changes. */
  readonly products: readonly string[];
  readonly contracts: readonly ContractIdChange[];
  /** Input ports, anywhere in the mesh, that read a renamed contract. */
  readonly inputPorts: readonly { readonly productId: string; readonly inputPort: string; readonly contractId: string }[];
  /** Policies scoped `domain:<old>`. */
  readonly policies: readonly string[];
  /** Policies whose check quotes the old id (`p.domain = 'songs'`): SQL is not rewritten, so someone must look. */
  readonly review: readonly string[];
  /** Scenarios that name the domain, its folder or a renamed contract. */
  readonly scenarios: readonly string[];
}

/** The domain, or an EditError naming what exists. */
export function domainOf(mesh: Mesh, id: string): Domain {
  const domain = mesh.domains.find((d) => d.id === id);
  if (!domain) throw new EditError(`there is no domain "${id}" in this mesh`);
  return domain;
}

/**
 * What giving domain `domainId` the id `newId` changes. Throws EditError when the new id is
 * not a valid id or another domain (or folder) already has it.
 */
export function planDomainRename(mesh: Mesh, domainId: string, newId: string): DomainRenamePlan {
  const domain = domainOf(mesh, domainId);
  checkId('domain', newId);
  const from = domain.dir;
  const to = joinPath('domains', newId);
  if (newId !== domainId) {
    const clash = mesh.domains.find((d) => d.id === newId);
    if (clash) throw new EditError(`there is already a domain "${newId}" (${clash.name}); choose another id`);
    if ([...mesh.files.keys()].some((p) => p.startsWith(`${to}/`))) {
      throw new EditError(`the folder ${to}/ already holds files; choose another id`);
    }
  }
  const contracts = contractChanges(mesh, domainId, newId);
  const renamed = new Map(contracts.map((c) => [c.from, c.to]));
  const published = new Set(
    mesh.products.filter((p) => p.domain !== domainId).flatMap((p) => p.outputPorts.map((o) => o.contractId ?? '')),
  );
  const taken = contracts.find((c) => published.has(c.to));
  if (taken) throw new EditError(`contract id ${taken.to} is already published by another product; choose another domain id`);
  const scenarios = mesh.scenarios
    .filter((s) => scenarioEdits(mesh.files.get(s.file), domainId, newId, renamed).length > 0)
    .map((s) => s.id);
  return {
    from: domainId,
    to: newId,
    folder: { from, to },
    movedFiles: [...mesh.files.keys()].filter((p) => p.startsWith(`${from}/`)).sort(),
    products: mesh.products.filter((p) => p.domain === domainId).map((p) => p.id),
    contracts,
    inputPorts: mesh.products.flatMap((p) =>
      p.inputPorts
        .filter((port) => renamed.has(port.contractId))
        .map((port) => ({ productId: p.id, inputPort: port.name, contractId: port.contractId })),
    ),
    policies: mesh.policies.filter((p) => p.scope === `domain:${domainId}`).map((p) => p.id),
    review: mesh.policies.filter((p) => `${p.check.sql ?? ''} ${p.check.expression ?? ''}`.includes(`'${domainId}'`)).map((p) => p.id),
    scenarios,
  };
}

export interface DomainRename {
  readonly domainId: string;
  readonly name: string;
  /** The new id (and folder); absent or the same id renames the display name only. */
  readonly newId?: string;
  /** A team of mesh.yaml to own the domain from now on. */
  readonly team?: string;
}

/** Renames a domain: its name, optionally its owning team and its id with everything that names it. */
export function renameDomain(files: MeshFiles, mesh: Mesh, change: DomainRename): FileMap {
  const domain = domainOf(mesh, change.domainId);
  const name = change.name.trim();
  if (name === '') throw new EditError(`domain ${domain.id} needs a name that is not empty`);
  const newId = change.newId ?? domain.id;
  const edits: MeshEdit[] = [];
  if (change.team !== undefined && change.team !== domain.team) {
    const teams = mesh.manifest?.teams ?? [];
    if (!teams.some((t) => t.id === change.team)) {
      const known = teams.map((t) => t.id).join(', ') || 'none yet';
      throw new EditError(`mesh.yaml declares no team "${change.team}" to own domain ${domain.id} (its teams: ${known})`);
    }
  }
  if (newId === domain.id) {
    edits.push({ kind: 'setField', file: domain.file, path: ['name'], value: name });
    if (change.team !== undefined && change.team !== domain.team)
      edits.push({ kind: 'setField', file: domain.file, path: ['team'], value: change.team });
    return apply(files, edits);
  }

  const plan = planDomainRename(mesh, domain.id, newId);
  const renamed = new Map(plan.contracts.map((c) => [c.from, c.to]));
  const moved = (path: string): string =>
    path.startsWith(`${plan.folder.from}/`) ? plan.folder.to + path.slice(plan.folder.from.length) : path;

  // Every file of the folder moves (parsed again, so diagnostics name the new path); edits then go to the new paths.
  let next: FileMap = new Map();
  for (const [path, file] of files) {
    const target = moved(path);
    if (target === path) next.set(path, file);
    else next.set(target, 'doc' in file ? parseYaml(target, file.text) : { path: target, text: file.text });
  }

  const domainFile = moved(domain.file);
  edits.push({ kind: 'setField', file: domainFile, path: ['id'], value: newId });
  edits.push({ kind: 'setField', file: domainFile, path: ['name'], value: name });
  if (change.team !== undefined && change.team !== domain.team)
    edits.push({ kind: 'setField', file: domainFile, path: ['team'], value: change.team });

  for (const product of mesh.products) {
    const file = moved(product.file);
    const raw = asFields(yamlValue(files, product.file));
    if (product.domain === domain.id && raw['domain'] !== newId) edits.push({ kind: 'setField', file, path: ['domain'], value: newId });
    for (const port of product.outputPorts) {
      const to = port.contractId === undefined ? undefined : renamed.get(port.contractId);
      if (to !== undefined) edits.push({ kind: 'setField', file, path: ['outputPorts', port.index, 'contractId'], value: to });
      const contract = port.contract;
      if (product.domain !== domain.id || !contract) continue;
      const doc = asFields(contract.document);
      const contractTo = renamed.get(contract.id);
      if (contractTo !== undefined && doc['id'] === contract.id)
        edits.push({ kind: 'setField', file: moved(contract.file), path: ['id'], value: contractTo });
      if (doc['domain'] === domain.id) edits.push({ kind: 'setField', file: moved(contract.file), path: ['domain'], value: newId });
    }
    for (const port of product.inputPorts) {
      const to = renamed.get(port.contractId);
      if (to !== undefined) edits.push({ kind: 'setField', file, path: ['inputPorts', port.index, 'contractId'], value: to });
    }
  }

  for (const policy of mesh.policies) {
    if (policy.scope === `domain:${domain.id}`)
      edits.push({ kind: 'setField', file: policy.file, path: ['scope'], value: `domain:${newId}` });
  }
  for (const scenario of mesh.scenarios) {
    for (const [path, value] of scenarioEdits(files.get(scenario.file), domain.id, newId, renamed)) {
      edits.push({ kind: 'setField', file: scenario.file, path, value });
    }
  }
  next = apply(next, edits);
  return next;
}

/** Whether a change moves a domain's folder, and from where to where: seed data (not in the file map) must move with it. */
export function movedDomainFolder(change: {
  readonly kind: string;
  readonly domainId?: string;
  readonly newId?: string;
}): { from: string; to: string } | undefined {
  const { kind, domainId, newId } = change;
  if (kind !== 'renameDomain' || domainId === undefined || newId === undefined || newId === domainId) return undefined;
  return { from: joinPath('domains', domainId), to: joinPath('domains', newId) };
}

/** One product that goes with its domain. */
export interface DeletedProduct {
  readonly id: string;
  readonly name: string;
  readonly dir: string;
  /** The text files of its folder (seed data under data/ goes too). */
  readonly files: readonly string[];
}

/** What deleting a domain removes and breaks, for the confirmation. */
export interface DomainDeletePlan {
  readonly domain: Domain;
  readonly products: readonly DeletedProduct[];
  /** Every text file that goes: domain.yaml, the products' files, the domain's own policies. */
  readonly files: readonly string[];
  /** Policies scoped to the domain: they would name a domain that no longer exists, so they go too. */
  readonly policies: readonly { readonly id: string; readonly file: string }[];
  /** Input ports of products in other domains that lose their upstream. */
  readonly broken: readonly {
    readonly productId: string;
    readonly inputPort: string;
    readonly contractId: string;
    readonly from: string;
  }[];
  /** Generated columns of products in other domains that draw their values from a deleted product (`references: music-catalog/tracks.track_id`). */
  readonly references: readonly { readonly productId: string; readonly column: string; readonly from: string }[];
  /** Scenarios whose goals or events name a deleted product. */
  readonly scenarios: readonly string[];
}

export function planDomainDelete(mesh: Mesh, domainId: string): DomainDeletePlan {
  const domain = domainOf(mesh, domainId);
  const inside = mesh.products.filter((p) => p.domain === domainId);
  const ids = new Set(inside.map((p) => p.id));
  const prefix = `${domain.dir}/`;
  const policies = mesh.policies.filter((p) => p.scope === `domain:${domainId}`).map((p) => ({ id: p.id, file: p.file }));
  const broken = new LineageGraph(mesh.products).edges
    .filter((edge) => ids.has(edge.from) && !ids.has(edge.to))
    .map((edge) => ({ productId: edge.to, inputPort: edge.inputPort, contractId: edge.contractId, from: edge.from }))
    .sort((a, b) => a.productId.localeCompare(b.productId) || a.inputPort.localeCompare(b.inputPort));
  return {
    domain,
    products: inside.map((p) => ({
      id: p.id,
      name: p.name,
      dir: p.dir,
      files: [...mesh.files.keys()].filter((path) => path.startsWith(`${p.dir}/`)).sort(),
    })),
    files: [
      ...[...mesh.files.keys()].filter((path) => path.startsWith(prefix)).sort(),
      ...policies.map((p) => p.file),
      ...discoveryFilesOf(mesh, ids),
    ],
    policies,
    broken,
    references: mesh.products
      .filter((p) => !ids.has(p.id))
      .flatMap((p) =>
        (p.settings?.sources ?? []).flatMap((source) =>
          (source.generator?.columns ?? []).flatMap((column) => {
            const from = /^([a-z0-9][a-z0-9-]*)\//.exec(column.references ?? '')?.[1];
            return column.type === 'reference' && from !== undefined && ids.has(from)
              ? [{ productId: p.id, column: `${source.name}.${column.name}`, from }]
              : [];
          }),
        ),
      ),
    scenarios: mesh.scenarios.filter((s) => namesAny(mesh.files.get(s.file), ids)).map((s) => s.id),
  };
}

/** The feedback and usage files about these products (they would only be warnings once the products are gone). */
export function discoveryFilesOf(mesh: Mesh, productIds: ReadonlySet<string>): string[] {
  return [...mesh.feedback, ...mesh.usage].filter((f) => productIds.has(f.product)).map((f) => f.file);
}

/** Deletes a domain: its folder with every product in it, its positions, its own policies and the feedback and usage files about its products. */
export function deleteDomain(files: MeshFiles, mesh: Mesh, domainId: string): FileMap {
  const plan = planDomainDelete(mesh, domainId);
  const gone = new Set(plan.files);
  const next: FileMap = new Map();
  for (const [path, file] of files) if (!gone.has(path)) next.set(path, file);
  return removePositions(
    next,
    plan.products.map((p) => p.id),
  );
}

/**
 * The contract ids of the domain's output ports with the domain's segment replaced:
 * `daff.songs.music-catalog.tracks` → `daff.catalog.music-catalog.tracks`. An id that does not
 * name the domain before its product (chosen by hand) stays.
 */
function contractChanges(mesh: Mesh, domainId: string, newId: string): ContractIdChange[] {
  if (domainId === newId) return [];
  const out: ContractIdChange[] = [];
  for (const product of mesh.products) {
    if (product.domain !== domainId) continue;
    for (const port of product.outputPorts) {
      if (port.contractId === undefined) continue;
      const parts = port.contractId.split('.');
      const at = parts.findIndex((part, i) => part === domainId && parts[i + 1] === product.id);
      if (at < 0) continue;
      parts[at] = newId;
      out.push({ from: port.contractId, to: parts.join('.') });
    }
  }
  return out;
}

/**
 * Values of a scenario that name the domain: a role's or a change's `domain`, a change's
 * `domainId`, a path under domains/<old>/ and a renamed contract id (as a whole value). Prose
 * (briefings, instructions) and file texts a step writes are not rewritten.
 */
function scenarioEdits(
  file: YamlSourceFile | TextSourceFile | undefined,
  domainId: string,
  newId: string,
  contracts: ReadonlyMap<string, string>,
): [YamlPath, string][] {
  if (!file || !('doc' in file) || file.value === undefined || domainId === newId) return [];
  const out: [YamlPath, string][] = [];
  const folder = `domains/${domainId}/`;
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const at = [...path, key];
      const text = asString(item);
      if (text === undefined) {
        visit(item, at);
      } else if ((key === 'domain' || key === 'domainId') && text === domainId) {
        out.push([at, newId]);
      } else if ((key === 'file' || key === 'path') && text.startsWith(folder)) {
        out.push([at, `domains/${newId}/${text.slice(folder.length)}`]);
      } else if (key !== 'text' && contracts.has(text)) {
        out.push([at, contracts.get(text) as string]);
      }
    }
  };
  visit(file.value, []);
  return out;
}

/** Whether a YAML file holds one of `values` as a whole string value anywhere. */
function namesAny(file: YamlSourceFile | TextSourceFile | undefined, values: ReadonlySet<string>): boolean {
  const visit = (value: unknown): boolean =>
    typeof value === 'string'
      ? values.has(value)
      : value !== null && typeof value === 'object' && Object.values(value as Record<string, unknown>).some(visit);
  return file !== undefined && 'doc' in file && visit(file.value);
}

function yamlValue(files: MeshFiles, path: string): unknown {
  const file = files.get(path);
  return file && 'doc' in file ? file.value : undefined;
}

function apply(files: MeshFiles, edits: readonly MeshEdit[]): FileMap {
  let current: MeshFiles = files;
  for (const edit of edits) current = applyEdit(current, edit);
  return new Map(current);
}
