import type { DataProduct, InputPort, OutputPort } from '../model/types.ts';

/**
 * Lineage is derived, never stored: an input port names a contract id and version, and the
 * output port publishing that contract is its upstream.
 */
export interface LineageEdge {
  readonly from: string;
  readonly outputPort: string;
  readonly contractId: string;
  readonly version: string;
  readonly to: string;
  readonly inputPort: string;
}

export interface ContractPublisher {
  readonly product: DataProduct;
  readonly port: OutputPort;
}

export function contractKey(id: string, version: string): string {
  return `${id}@${version}`;
}

/** Every output port's contract by `id@version`; a key with two publishers is ambiguous. */
export function indexPublishers(products: readonly DataProduct[]): Map<string, ContractPublisher[]> {
  const index = new Map<string, ContractPublisher[]>();
  for (const product of products) {
    for (const port of product.outputPorts) {
      if (port.contractId === undefined) continue;
      const key = contractKey(port.contractId, port.version);
      index.set(key, [...(index.get(key) ?? []), { product, port }]);
    }
  }
  return index;
}

export function resolveInputPort(index: ReadonlyMap<string, ContractPublisher[]>, port: InputPort): ContractPublisher | undefined {
  const publishers = index.get(contractKey(port.contractId, port.version));
  return publishers?.length === 1 ? publishers[0] : undefined;
}

export class LineageGraph {
  readonly products: readonly string[];
  readonly edges: readonly LineageEdge[];
  readonly #up = new Map<string, Set<string>>();
  readonly #down = new Map<string, Set<string>>();

  constructor(products: readonly DataProduct[]) {
    this.products = [...new Set(products.map((p) => p.id))].sort();
    const index = indexPublishers(products);
    const edges: LineageEdge[] = [];
    for (const product of products) {
      for (const port of product.inputPorts) {
        const publisher = resolveInputPort(index, port);
        if (!publisher) continue;
        edges.push({
          from: publisher.product.id,
          outputPort: publisher.port.name,
          contractId: port.contractId,
          version: port.version,
          to: product.id,
          inputPort: port.name,
        });
      }
    }
    this.edges = edges;
    for (const id of this.products) {
      this.#up.set(id, new Set());
      this.#down.set(id, new Set());
    }
    for (const edge of edges) {
      this.#up.get(edge.to)?.add(edge.from);
      this.#down.get(edge.from)?.add(edge.to);
    }
  }

  /** Products this product reads from directly. */
  upstream(id: string): string[] {
    return [...(this.#up.get(id) ?? [])].sort();
  }

  /** Products that read this product directly. */
  downstream(id: string): string[] {
    return [...(this.#down.get(id) ?? [])].sort();
  }

  /** Everything downstream of the product, transitively: what a change to it can break. */
  impactSet(id: string): string[] {
    return this.#reach(id, (p) => this.downstream(p));
  }

  /** Everything the product depends on, transitively. */
  ancestors(id: string): string[] {
    return this.#reach(id, (p) => this.upstream(p));
  }

  #reach(start: string, next: (id: string) => string[]): string[] {
    const seen = new Set<string>();
    const stack = next(start);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...next(id));
    }
    seen.delete(start);
    return [...seen].sort();
  }

  /**
   * Kahn's algorithm, ties broken by id so the order is deterministic. Products in or behind
   * a cycle are left out of `order` and reported in `cycles`.
   */
  topologicalOrder(): { order: string[]; cycles: string[][] } {
    const indegree = new Map(this.products.map((id) => [id, this.upstream(id).length]));
    const ready = this.products.filter((id) => indegree.get(id) === 0);
    const order: string[] = [];
    while (ready.length > 0) {
      ready.sort();
      const id = ready.shift() as string;
      order.push(id);
      for (const next of this.downstream(id)) {
        const left = (indegree.get(next) ?? 0) - 1;
        indegree.set(next, left);
        if (left === 0) ready.push(next);
      }
    }
    return { order, cycles: order.length === this.products.length ? [] : this.cycles() };
  }

  /** Each cycle once, as the list of products around it starting from its smallest id. */
  cycles(): string[][] {
    const cycles: string[][] = [];
    for (const component of this.#stronglyConnected()) {
      const members = new Set(component);
      const first = [...component].sort()[0];
      if (first === undefined) continue;
      if (component.length === 1 && !this.downstream(first).includes(first)) continue;
      cycles.push(this.#cycleThrough(first, members));
    }
    return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  }

  #cycleThrough(start: string, members: ReadonlySet<string>): string[] {
    // Breadth-first search back to `start` inside the component gives the shortest cycle through it.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      for (const next of this.downstream(id)) {
        if (!members.has(next)) continue;
        if (next === start) {
          const path = [id];
          while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
          return path;
        }
        if (!previous.has(next)) {
          previous.set(next, id);
          queue.push(next);
        }
      }
    }
    return [start];
  }

  #stronglyConnected(): string[][] {
    // Tarjan's algorithm, iterative so a deep mesh cannot overflow the stack.
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const components: string[][] = [];
    for (const root of this.products) {
      if (index.has(root)) continue;
      const work: { id: string; next: string[] }[] = [];
      const enter = (id: string): void => {
        index.set(id, counter);
        low.set(id, counter);
        counter++;
        stack.push(id);
        onStack.add(id);
        work.push({ id, next: this.downstream(id) });
      };
      enter(root);
      while (work.length > 0) {
        const frame = work[work.length - 1] as { id: string; next: string[] };
        const child = frame.next.shift();
        if (child !== undefined) {
          if (!index.has(child)) enter(child);
          else if (onStack.has(child)) low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(child) ?? 0));
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
        if (low.get(frame.id) === index.get(frame.id)) {
          const component: string[] = [];
          let member: string | undefined;
          do {
            member = stack.pop();
            if (member === undefined) break;
            onStack.delete(member);
            component.push(member);
          } while (member !== frame.id);
          components.push(component);
        }
      }
    }
    return components;
  }
}
