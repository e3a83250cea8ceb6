import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { DOMAIN_HEADER, DOMAIN_PADDING, PRODUCT_WIDTH, portY, type Box, type Point } from './geometry.ts';

/** What the layout needs to know about a mesh: sizes and lineage only, plain data (it crosses to a worker). */
export interface LayoutInput {
  readonly domains: readonly LayoutDomain[];
  readonly edges: readonly LayoutEdge[];
}

export interface LayoutDomain {
  readonly id: string;
  readonly products: readonly LayoutProduct[];
}

export interface LayoutProduct {
  readonly id: string;
  readonly height: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface LayoutEdge {
  readonly from: string;
  readonly fromPort: string;
  readonly to: string;
  readonly toPort: string;
}

/** Where elk put things, in absolute canvas coordinates. */
export interface MeshLayout {
  readonly products: Readonly<Record<string, Point>>;
  readonly domains: Readonly<Record<string, Box>>;
}

const EMPTY_DOMAIN = { width: PRODUCT_WIDTH, height: 70 };

/**
 * elk's layered algorithm with the domains as compound nodes laid out together with their
 * products (INCLUDE_CHILDREN), so lineage edges between domains shape the whole picture. Elk ids
 * are positional (`d0`, `d0p3`, `d0p3o1`), which keeps any product or port name out of them.
 * Thoroughness drops on big meshes: 500 products take ~2 s instead of ~5 s, with a few more crossings.
 */
export function toElkGraph(input: LayoutInput): ElkNode {
  const productCount = input.domains.reduce((n, d) => n + d.products.length, 0);
  const portIds = new Map<string, string>();
  const children: ElkNode[] = input.domains.map((domain, d) => ({
    id: `d${d}`,
    layoutOptions: {
      'elk.padding': `[top=${DOMAIN_HEADER},left=${DOMAIN_PADDING},bottom=${DOMAIN_PADDING},right=${DOMAIN_PADDING}]`,
    },
    ...(domain.products.length === 0 ? EMPTY_DOMAIN : {}),
    children: domain.products.map((product, p): ElkNode => {
      const id = `d${d}p${p}`;
      const port = (side: 'WEST' | 'EAST', kind: 'i' | 'o', name: string, k: number): ElkPort => {
        const portId = `${id}${kind}${k}`;
        portIds.set(`${product.id}\n${kind}\n${name}`, portId);
        return {
          id: portId,
          x: side === 'WEST' ? 0 : PRODUCT_WIDTH,
          y: portY(k),
          width: 1,
          height: 1,
          layoutOptions: { 'elk.port.side': side },
        };
      };
      return {
        id,
        width: PRODUCT_WIDTH,
        height: product.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        ports: [
          ...product.inputs.map((name, k) => port('WEST', 'i', name, k)),
          ...product.outputs.map((name, k) => port('EAST', 'o', name, k)),
        ],
      };
    }),
  }));
  const edges: ElkExtendedEdge[] = [];
  for (const edge of input.edges) {
    const source = portIds.get(`${edge.from}\no\n${edge.fromPort}`);
    const target = portIds.get(`${edge.to}\ni\n${edge.toPort}`);
    if (source !== undefined && target !== undefined) edges.push({ id: `e${edges.length}`, sources: [source], targets: [target] });
  }
  return {
    id: 'mesh',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '72',
      'elk.spacing.componentComponent': '48',
      'elk.layered.thoroughness': productCount > 100 ? '1' : '7',
    },
    children,
    edges,
  };
}

/** Reads elk's answer back into product and domain positions, by the ids of `input`. */
export function fromElkGraph(input: LayoutInput, graph: ElkNode): MeshLayout {
  const products: Record<string, Point> = {};
  const domains: Record<string, Box> = {};
  input.domains.forEach((domain, d) => {
    const box = graph.children?.find((child) => child.id === `d${d}`);
    if (!box) return;
    const origin = { x: box.x ?? 0, y: box.y ?? 0 };
    domains[domain.id] = { ...origin, width: box.width ?? EMPTY_DOMAIN.width, height: box.height ?? EMPTY_DOMAIN.height };
    domain.products.forEach((product, p) => {
      const node = box.children?.find((child) => child.id === `d${d}p${p}`);
      if (node) products[product.id] = { x: origin.x + (node.x ?? 0), y: origin.y + (node.y ?? 0) };
    });
  });
  return { products, domains };
}

/**
 * Used when elk fails (it should not): domains side by side, products stacked in each. Ugly
 * but complete, so the mesh is never hidden behind a layout error.
 */
export function gridLayout(input: LayoutInput): MeshLayout {
  const products: Record<string, Point> = {};
  const domains: Record<string, Box> = {};
  let x = 0;
  for (const domain of input.domains) {
    let y = DOMAIN_HEADER;
    for (const product of domain.products) {
      products[product.id] = { x: x + DOMAIN_PADDING, y };
      y += product.height + 28;
    }
    const height = Math.max(EMPTY_DOMAIN.height, y + DOMAIN_PADDING - 28);
    domains[domain.id] = { x, y: 0, width: PRODUCT_WIDTH + 2 * DOMAIN_PADDING, height };
    x += PRODUCT_WIDTH + 2 * DOMAIN_PADDING + 48;
  }
  return { products, domains };
}
