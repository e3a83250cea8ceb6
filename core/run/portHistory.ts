import type { Mesh } from '../model/types.ts';
import type { PortVersion, RefusedCandidate } from './runTypes.ts';

/** Published versions whose Arrow bytes are kept per port; older ones keep their figures. */
export const RETAINED_VERSIONS = 3;

/**
 * What a mesh has published: every version of every output port (the newest with their
 * Arrow bytes), and per product the upstream versions its last completed run read. Kept
 * apart from the runtime that fills it so that it outlives a mesh model: an edited mesh's
 * runtime starts from `carriedTo(edited)` instead of from nothing (see MeshRuntime.withMesh).
 */
export class PortHistory {
  /** `product/port` → versions, oldest first. */
  readonly #versions: Map<string, readonly PortVersion[]>;
  /** Product → `product/port` of each upstream port → the version its last completed run read. */
  readonly #consumed: Map<string, ReadonlyMap<string, number>>;
  /**
   * `product/port` → the output of the port's newest refused run: one per port (a newer
   * refusal replaces it, a publish drops it), so refusals cost at most one port's bytes each
   * on top of the RETAINED_VERSIONS published ones. Never read as an input.
   */
  readonly #candidates: Map<string, RefusedCandidate>;

  constructor(
    versions: ReadonlyMap<string, readonly PortVersion[]> = new Map(),
    consumed: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(),
    candidates: ReadonlyMap<string, RefusedCandidate> = new Map(),
  ) {
    this.#versions = new Map(versions);
    this.#consumed = new Map(consumed);
    this.#candidates = new Map(candidates);
  }

  /** All published versions of a port, oldest first. */
  versions(product: string, port: string): readonly PortVersion[] {
    return this.#versions.get(portKey(product, port)) ?? [];
  }

  latest(product: string, port: string): PortVersion | undefined {
    return this.versions(product, port).at(-1);
  }

  /** Adds a version to its port's history; only the newest RETAINED_VERSIONS keep their bytes. */
  publish(version: PortVersion): void {
    const key = portKey(version.product, version.port);
    const history = [...(this.#versions.get(key) ?? []), version];
    const drop = history.length - RETAINED_VERSIONS;
    this.#versions.set(
      key,
      history.map((v, i) => (i < drop && v.ipc ? withoutBytes(v) : v)),
    );
    // The port published after its refusal: the refused output is history now.
    this.#candidates.delete(key);
  }

  /** Keeps a refused run's output of one port, in place of the port's previous refused candidate. */
  refuse(candidate: RefusedCandidate): void {
    this.#candidates.set(portKey(candidate.product, candidate.port), candidate);
  }

  /** The output of the port's newest refused run, unless the port has published since. */
  candidate(product: string, port: string): RefusedCandidate | undefined {
    return this.#candidates.get(portKey(product, port));
  }

  /** The upstream versions a product's last completed run read, `product/port` → version. */
  consumed(product: string): ReadonlyMap<string, number> | undefined {
    return this.#consumed.get(product);
  }

  recordConsumed(product: string, consumed: ReadonlyMap<string, number>): void {
    this.#consumed.set(product, new Map(consumed));
  }

  /**
   * This history for an edited mesh: the versions of every port that still exists (same
   * product id, same output port name) and what the products still there last read. A port
   * renamed or removed starts over, as its consumers' input no longer points at it.
   */
  carriedTo(mesh: Mesh): PortHistory {
    const ports = new Set(mesh.products.flatMap((p) => p.outputPorts.map((o) => portKey(p.id, o.name))));
    const products = new Set(mesh.products.map((p) => p.id));
    return new PortHistory(
      new Map([...this.#versions].filter(([key]) => ports.has(key))),
      new Map([...this.#consumed].filter(([product]) => products.has(product))),
      new Map([...this.#candidates].filter(([key]) => ports.has(key))),
    );
  }
}

export function portKey(product: string, port: string): string {
  return `${product}/${port}`;
}

/** A version's figures without its Arrow bytes (observability, versions past retention). */
export function withoutBytes(version: PortVersion): PortVersion {
  const rest: { -readonly [K in keyof PortVersion]?: PortVersion[K] } = { ...version };
  delete rest.ipc;
  return rest as PortVersion;
}
