import type { Edge, Node } from '@xyflow/react';
import { LineageGraph } from '../../../core/lineage/lineageGraph.ts';
import type { Archetype, DataProduct, Domain, Mesh } from '../../../core/model/types.ts';
import type { ProductStatus } from '../../../core/run/runTypes.ts';
import { groupByDomain } from '../samples/meshSummary.ts';
import type { ProductRunState } from '../store/meshRuns.ts';
import type { LayoutInput, MeshLayout } from './elkGraph.ts';
import {
  DOMAIN_HEADER,
  DOMAIN_PADDING,
  PRODUCT_WIDTH,
  domainNodeId,
  inputHandle,
  outputHandle,
  productHeight,
  type Box,
  type Point,
} from './geometry.ts';

export interface ProductNodeData extends Record<string, unknown> {
  readonly name: string;
  readonly archetype: Archetype | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly status: ProductStatus;
  /** The product's last run, when the canvas is given runs: shown under the ports. */
  readonly run: ProductRunState | undefined;
  /** Diagnostics, violations and run problems (problems.ts); the card shows the count when > 0. */
  readonly problems: number;
  readonly problemSeverity: 'error' | 'warning';
  /** Faults injected into the product, in words (a trainer's Faults tab, a scenario): a badge on the card. */
  readonly faults: readonly string[];
  readonly highlighted: boolean;
  readonly color: string;
}

export interface DomainNodeData extends Record<string, unknown> {
  /** Undefined for the group of products whose domain is not declared. */
  readonly domainId: string | undefined;
  readonly name: string;
  readonly team: string | undefined;
  readonly color: string;
  readonly productCount: number;
}

export type ProductFlowNode = Node<ProductNodeData, 'product'>;
export type DomainFlowNode = Node<DomainNodeData, 'domain'>;
export type CanvasNode = ProductFlowNode | DomainFlowNode;
export type LineageFlowEdge = Edge<{ readonly contractId: string; readonly version: string }>;

/** View state shown on the nodes; all optional, so tests can map a bare mesh. */
export interface CanvasView {
  readonly runs?: Readonly<Record<string, ProductRunState>> | undefined;
  /** Product id → its problem count and worst severity (problems.ts problemCounts). */
  readonly problems?: Readonly<Record<string, { readonly count: number; readonly severity: 'error' | 'warning' }>> | undefined;
  readonly highlighted?: ReadonlySet<string> | undefined;
  /** Product id → the faults in force on it, in words. */
  readonly faults?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly selected?: string | undefined;
  /** Heights React Flow measured, should a card be taller than geometry.ts says: domain boxes enclose them. */
  readonly heights?: Readonly<Record<string, number>> | undefined;
}

export interface MeshFlow {
  /** Domain nodes first: React Flow needs a parent before its children. */
  readonly nodes: CanvasNode[];
  readonly edges: LineageFlowEdge[];
  /** Absolute top-left of every product, wherever it came from. */
  readonly productPositions: Readonly<Record<string, Point>>;
}

const COLOR = /^#[0-9a-f]{3,8}$/i;
const PALETTE = ['#2f6f8f', '#8a5a9e', '#3d7d4f', '#b0662a', '#a33b5b', '#4b5fa6', '#6b7a2a', '#2a7f7a'];
const UNDECLARED = '(undeclared)';
const NO_FAULTS: readonly string[] = [];

interface Group {
  readonly key: string;
  readonly domain: Domain | undefined;
  readonly products: readonly DataProduct[];
}

function groups(mesh: Mesh): Group[] {
  return groupByDomain(mesh.domains, mesh.products).map((group) => ({ key: group.domain?.id ?? UNDECLARED, ...group }));
}

/** The sizes and lineage elk lays out; changes only when products, ports or edges do. */
export function layoutInput(mesh: Mesh): LayoutInput {
  return {
    domains: groups(mesh).map((group) => ({
      id: group.key,
      products: group.products.map((product) => ({
        id: product.id,
        height: productHeight(product.inputPorts.length, product.outputPorts.length),
        inputs: product.inputPorts.map((port) => port.name),
        outputs: product.outputPorts.map((port) => port.name),
      })),
    })),
    edges: new LineageGraph(mesh.products).edges.map((edge) => ({
      from: edge.from,
      fromPort: edge.outputPort,
      to: edge.to,
      toPort: edge.inputPort,
    })),
  };
}

/** Equal keys mean the same layout problem: statuses, names and positions are not in it. */
export function layoutKey(input: LayoutInput): string {
  return JSON.stringify(input);
}

/**
 * The mesh as React Flow nodes and edges. A product's position is, in order: `positions` (saved
 * or dragged), the elk `layout`, else a row under everything (a product elk has not seen yet).
 * A domain box is drawn around its products, so it follows them when they move; an empty
 * domain keeps elk's box.
 */
export function meshToFlow(
  mesh: Mesh,
  statuses: Readonly<Record<string, ProductStatus>>,
  positions: Readonly<Record<string, Point>>,
  layout: MeshLayout | undefined,
  view: CanvasView = {},
): MeshFlow {
  const all = groups(mesh);
  const absolute: Record<string, Point> = {};
  const unplaced: DataProduct[] = [];
  for (const product of mesh.products) {
    const at = positions[product.id] ?? layout?.products[product.id];
    if (at) absolute[product.id] = { x: at.x, y: at.y };
    else unplaced.push(product);
  }
  const productBox = (product: DataProduct, at: Point): Box => ({
    ...at,
    width: PRODUCT_WIDTH,
    height: view.heights?.[product.id] ?? productHeight(product.inputPorts.length, product.outputPorts.length),
  });
  const placedBoxes = mesh.products.filter((p) => absolute[p.id]).map((p) => productBox(p, absolute[p.id] as Point));
  const bottom = Math.max(0, ...placedBoxes.map((b) => b.y + b.height), ...Object.values(layout?.domains ?? {}).map((b) => b.y + b.height));
  unplaced.forEach((product, i) => {
    absolute[product.id] = { x: i * (PRODUCT_WIDTH + 3 * DOMAIN_PADDING), y: bottom + DOMAIN_HEADER + 2 * DOMAIN_PADDING };
  });

  const domainNodes: DomainFlowNode[] = [];
  const productNodes: ProductFlowNode[] = [];
  let emptyX = 0;
  all.forEach((group, index) => {
    const color =
      group.domain?.color !== undefined && COLOR.test(group.domain.color)
        ? group.domain.color
        : (PALETTE[index % PALETTE.length] as string);
    const box =
      group.products.length > 0
        ? around(group.products.map((p) => productBox(p, absolute[p.id] as Point)))
        : (layout?.domains[group.key] ?? {
            x: (emptyX += PRODUCT_WIDTH + 3 * DOMAIN_PADDING) - PRODUCT_WIDTH,
            y: bottom + 200,
            width: PRODUCT_WIDTH,
            height: 70,
          });
    const id = domainNodeId(group.key);
    domainNodes.push({
      id,
      type: 'domain',
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      selectable: false,
      data: {
        domainId: group.domain?.id,
        name: group.domain?.name ?? 'Products without a declared domain',
        team: group.domain?.team,
        color,
        productCount: group.products.length,
      },
    });
    for (const product of group.products) {
      const at = absolute[product.id] as Point;
      productNodes.push({
        id: product.id,
        type: 'product',
        parentId: id,
        position: { x: at.x - box.x, y: at.y - box.y },
        width: PRODUCT_WIDTH,
        initialHeight: productHeight(product.inputPorts.length, product.outputPorts.length),
        selected: view.selected === product.id,
        data: {
          name: product.name,
          archetype: product.settings?.archetype,
          inputs: product.inputPorts.map((port) => port.name),
          outputs: product.outputPorts.map((port) => port.name),
          status: statuses[product.id] ?? 'idle',
          run: view.runs?.[product.id],
          problems: view.problems?.[product.id]?.count ?? 0,
          problemSeverity: view.problems?.[product.id]?.severity ?? 'warning',
          faults: view.faults?.[product.id] ?? NO_FAULTS,
          highlighted: view.highlighted?.has(product.id) ?? false,
          color,
        },
      });
    }
  });

  const edges: LineageFlowEdge[] = new LineageGraph(mesh.products).edges.map((edge) => ({
    id: `${edge.from}.${edge.outputPort}→${edge.to}.${edge.inputPort}`,
    source: edge.from,
    sourceHandle: outputHandle(edge.outputPort),
    target: edge.to,
    targetHandle: inputHandle(edge.inputPort),
    label: edge.version,
    ariaLabel: `${edge.from}.${edge.outputPort} to ${edge.to}.${edge.inputPort}, contract ${edge.contractId} version ${edge.version}`,
    data: { contractId: edge.contractId, version: edge.version },
    // An edge shows what flows along it: its producer's status. A running producer's edges are
    // drawn, not animated: React Flow's `animated` repaints every edge path on every frame, and
    // on a 2-core machine those paints took the CPU the quanta run on (Run all of daff in
    // Chromium 8 % slower with it; ARCHITECTURE.md, "Speed work").
    className: [
      `lineage-${statuses[edge.from] ?? 'idle'}`,
      ...(view.selected !== undefined && (edge.from === view.selected || edge.to === view.selected) ? ['lineage-selected'] : []),
    ].join(' '),
  }));
  return { nodes: [...domainNodes, ...productNodes], edges, productPositions: absolute };
}

function around(boxes: readonly Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return {
    x: left - DOMAIN_PADDING,
    y: top - DOMAIN_HEADER,
    width: right - left + 2 * DOMAIN_PADDING,
    height: bottom - top + DOMAIN_HEADER + DOMAIN_PADDING,
  };
}
