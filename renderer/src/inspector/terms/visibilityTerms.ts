import { portVisibility, type Visibility } from '../../../../core/governance/access/access.ts';
import { appliesTo, resolvePolicies, type EffectivePolicy } from '../../../../core/governance/policy/policies.ts';
import type { MeshEdit } from '../../../../core/edits/meshEdits.ts';
import { LineageGraph } from '../../../../core/lineage/lineageGraph.ts';
import type { DataProduct, Mesh, OutputPort, Persona } from '../../../../core/model/types.ts';
import type { YamlPath } from '../../../../core/yaml/sourceFile.ts';
import { valueAt } from '../fileDiagnostics.ts';

/**
 * The visibility of an output port: ODPS output port `customProperties: [{property:
 * visibility, value}]` in product.odps.yaml, read by access.ts `portVisibility` and the
 * governance catalog (`ports.visibility`), and what each choice would cut off.
 */

export const CROSS_DOMAIN_POLICY = 'quanta.no-cross-domain-private-ports';

export const VISIBILITIES: readonly (readonly [Visibility, string])[] = [
  ['public', 'Every persona of the mesh may read it, and any domain may build on it (the default).'],
  ['domain', 'Only teams of its domain read it; products of other domains may not consume it.'],
  ['private', 'Only the owning team reads it; products of other domains may not consume it.'],
];

export { portVisibility };

function customPropertiesPath(port: OutputPort): YamlPath {
  return ['outputPorts', port.index, 'customProperties'];
}

/**
 * The edit that writes `visibility` into the port's customProperties: the entry's value when
 * there is one, else a new entry at the end of the list, else a new list. Other custom
 * properties are kept. Undefined when nothing changes or the port is not a mapping in the file.
 */
export function visibilityEdit(mesh: Mesh, product: DataProduct, port: OutputPort, visibility: Visibility): MeshEdit | undefined {
  const file = mesh.files.get(product.file);
  const value = file && 'doc' in file && file.diagnostics.length === 0 ? file.value : undefined;
  const raw = valueAt(value, ['outputPorts', port.index]);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const list = valueAt(raw, ['customProperties']);
  const path = customPropertiesPath(port);
  const entry = { property: 'visibility', value: visibility };
  if (!Array.isArray(list)) {
    if (list !== undefined) return undefined;
    if (visibility === 'public') return undefined; // absent already means public
    return { kind: 'setField', file: product.file, path, value: [entry] };
  }
  const at = list.findIndex((p) => valueAt(p, ['property']) === 'visibility');
  if (at < 0) {
    if (visibility === 'public') return undefined;
    return { kind: 'setField', file: product.file, path: [...path, list.length], value: entry };
  }
  if (valueAt(list[at], ['value']) === visibility) return undefined;
  return { kind: 'setField', file: product.file, path: [...path, at, 'value'], value: visibility };
}

/** A product of another domain reading the port, and the policy that flags it when the port is not public. */
export interface CutOffConsumer {
  readonly product: string;
  readonly domain: string;
  readonly inputPort: string;
  /** The policy in force for the consumer that flags the read, if one is. */
  readonly policy?: EffectivePolicy;
}

/** Consumers of `port` in other domains: a non-public port cuts them off, as quanta.no-cross-domain-private-ports says. */
export function crossDomainConsumers(mesh: Mesh, product: DataProduct, port: OutputPort): CutOffConsumer[] {
  const policies = resolvePolicies(mesh).policies.filter((p) => p.id === CROSS_DOMAIN_POLICY || p.uses === CROSS_DOMAIN_POLICY);
  const domains = new Map(mesh.products.map((p) => [p.id, p.domain]));
  return new LineageGraph(mesh.products).edges
    .filter((e) => e.from === product.id && e.outputPort === port.name)
    .flatMap((e) => {
      const domain = domains.get(e.to) ?? '';
      if (domain === product.domain) return [];
      const policy = policies.find((p) => appliesTo(p, domain));
      return [{ product: e.to, domain, inputPort: e.inputPort, ...(policy ? { policy } : {}) }];
    });
}

/** Personas of mesh.yaml who could no longer read the port with this visibility (access.ts rules 2 and 3). */
export function personasShutOut(mesh: Mesh, product: DataProduct, visibility: Visibility): Persona[] {
  if (visibility === 'public') return [];
  const teams = new Set<string>();
  if (product.team) teams.add(product.team);
  if (visibility === 'domain') {
    const owner = mesh.domains.find((d) => d.id === product.domain)?.team;
    if (owner) teams.add(owner);
    for (const p of mesh.products) if (p.domain === product.domain && p.team) teams.add(p.team);
  }
  return (mesh.manifest?.personas ?? []).filter((p) => p.team === undefined || !teams.has(p.team));
}
