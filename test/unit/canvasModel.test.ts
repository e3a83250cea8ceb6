import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { syntheticMeshFiles } from '../../core/generate/syntheticMesh.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { findProducts } from '../../renderer/src/canvas/CanvasSearch.tsx';
import { fromElkGraph, gridLayout, toElkGraph, type MeshLayout } from '../../renderer/src/canvas/elkGraph.ts';
import { PRODUCT_WIDTH, productHeight, type Box } from '../../renderer/src/canvas/geometry.ts';
import {
  layoutInput,
  layoutKey,
  meshToFlow,
  type CanvasNode,
  type DomainFlowNode,
  type ProductFlowNode,
} from '../../renderer/src/canvas/meshToFlow.ts';
import { shareUnchanged } from '../../renderer/src/canvas/stableNodes.ts';
import { loadSample } from '../helpers.ts';

/*
 * The canvas's pure half: mesh → React Flow nodes and edges, the elk graph and its answer
 * (real elk, in this thread), node sharing across updates, search. The component itself is
 * tested in Chromium (test/e2e/canvas.spec.ts).
 */
async function elkLayout(mesh: Mesh): Promise<MeshLayout> {
  const input = layoutInput(mesh);
  return fromElkGraph(input, await new ELK().layout(toElkGraph(input)));
}

const products = (nodes: readonly CanvasNode[]) => nodes.filter((n): n is ProductFlowNode => n.type === 'product');
const domains = (nodes: readonly CanvasNode[]) => nodes.filter((n): n is DomainFlowNode => n.type === 'domain');

function absoluteBoxes(nodes: readonly CanvasNode[]): Map<string, Box> {
  const parents = new Map(domains(nodes).map((d) => [d.id, d]));
  return new Map(
    products(nodes).map((p) => {
      const parent = parents.get(p.parentId ?? '');
      return [
        p.id,
        {
          x: (parent?.position.x ?? 0) + p.position.x,
          y: (parent?.position.y ?? 0) + p.position.y,
          width: PRODUCT_WIDTH,
          height: p.initialHeight ?? 0,
        },
      ];
    }),
  );
}

const contains = (outer: Box, inner: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('mesh → canvas nodes and edges', () => {
  it('puts every daff product in its domain node, with a handle per port and an edge per lineage link labelled with its version', async () => {
    const { mesh } = await loadSample('daff');
    const flow = meshToFlow(mesh, { 'play-events': 'published' }, {}, await elkLayout(mesh));

    expect(domains(flow.nodes).map((d) => d.data.domainId)).toEqual(mesh.domains.map((d) => d.id));
    // Parents come before their children, as React Flow requires.
    const firstProduct = flow.nodes.findIndex((n) => n.type === 'product');
    expect(flow.nodes.slice(firstProduct).every((n) => n.type === 'product')).toBe(true);
    for (const product of mesh.products) {
      const node = products(flow.nodes).find((n) => n.id === product.id);
      expect(node?.parentId).toBe(`domain:${product.domain}`);
      expect(node?.data.inputs).toEqual(product.inputPorts.map((p) => p.name));
      expect(node?.data.outputs).toEqual(product.outputPorts.map((p) => p.name));
    }
    expect(products(flow.nodes).find((n) => n.id === 'play-events')?.data.status).toBe('published');
    expect(
      new Set(
        products(flow.nodes)
          .filter((n) => n.id !== 'play-events')
          .map((n) => n.data.status),
      ),
    ).toEqual(new Set(['idle']));

    const lineage = new LineageGraph(mesh.products);
    expect(flow.edges).toHaveLength(lineage.edges.length);
    for (const edge of lineage.edges) {
      expect(flow.edges).toContainEqual(
        expect.objectContaining({
          source: edge.from,
          sourceHandle: `out:${edge.outputPort}`,
          target: edge.to,
          targetHandle: `in:${edge.inputPort}`,
          label: edge.version,
        }),
      );
    }
  });

  it('lays daff out with elk: products inside their domain boxes, no two products or domains overlapping', async () => {
    const { mesh } = await loadSample('daff');
    const flow = meshToFlow(mesh, {}, {}, await elkLayout(mesh));
    const boxes = absoluteBoxes(flow.nodes);
    const domainBoxes = new Map(domains(flow.nodes).map((d) => [d.id, { ...d.position, width: d.width ?? 0, height: d.height ?? 0 }]));
    for (const node of products(flow.nodes)) {
      expect(contains(domainBoxes.get(node.parentId ?? '') as Box, boxes.get(node.id) as Box), `${node.id} inside its domain`).toBe(true);
    }
    const all = [...boxes.values()];
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    const areas = [...domainBoxes.values()];
    for (const [i, a] of areas.entries()) for (const b of areas.slice(i + 1)) expect(overlap(a, b)).toBe(false);
  });

  it('prefers saved positions over the layout, and draws the domain box around the moved product', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const layout = gridLayout(layoutInput(mesh));
    const flow = meshToFlow(mesh, {}, { orders: { x: 1000, y: -500 } }, layout);
    const orders = absoluteBoxes(flow.nodes).get('orders');
    expect(orders).toMatchObject({ x: 1000, y: -500 });
    const sales = domains(flow.nodes).find((d) => d.data.domainId === 'sales');
    expect(contains({ ...(sales as DomainFlowNode).position, width: sales?.width ?? 0, height: sales?.height ?? 0 }, orders as Box)).toBe(
      true,
    );
    // The other product keeps the layout's position.
    expect(absoluteBoxes(flow.nodes).get('daily-revenue')).toMatchObject(layout.products['daily-revenue'] ?? {});
  });

  it('grows a domain box around a card taller than estimated (a run that reports problems)', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const layout = gridLayout(layoutInput(mesh));
    const sales = (heights: Record<string, number>) =>
      domains(meshToFlow(mesh, {}, {}, layout, { heights }).nodes).find((d) => d.data.domainId === 'sales');
    const estimated = sales({})?.height ?? 0;
    const orders = layout.products.orders as { y: number };
    const tall = 400;
    expect(sales({ orders: tall })?.height).toBe(estimated - productHeight(0, 1) + tall);
    expect((sales({ orders: tall })?.position.y ?? 0) + (sales({ orders: tall })?.height ?? 0)).toBeGreaterThanOrEqual(orders.y + tall);
  });

  it('places a product the layout has not seen yet below everything, instead of dropping it', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const layout = gridLayout(layoutInput({ ...mesh, products: mesh.products.filter((p) => p.id !== 'orders') }));
    const boxes = absoluteBoxes(meshToFlow(mesh, {}, {}, layout).nodes);
    const revenue = boxes.get('daily-revenue') as Box;
    expect((boxes.get('orders') as Box).y).toBeGreaterThan(revenue.y + revenue.height);
  });

  it('keeps the layout key when only statuses or positions change, and changes it when lineage does', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const key = layoutKey(layoutInput(mesh));
    expect(layoutKey(layoutInput({ ...mesh }))).toBe(key);
    const withoutConsumer = { ...mesh, products: mesh.products.filter((p) => p.id !== 'daily-revenue') };
    expect(layoutKey(layoutInput(withoutConsumer))).not.toBe(key);
  });

  it('shows problem counts and highlights only where asked, and marks the selected product and its edges', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const flow = meshToFlow(mesh, {}, {}, gridLayout(layoutInput(mesh)), {
      problems: { orders: { count: 2, severity: 'error' } },
      highlighted: new Set(['daily-revenue']),
      selected: 'orders',
    });
    const byId = new Map(products(flow.nodes).map((n) => [n.id, n]));
    expect([byId.get('orders')?.data.problems, byId.get('daily-revenue')?.data.problems]).toEqual([2, 0]);
    expect(byId.get('orders')?.data.problemSeverity).toBe('error');
    expect([byId.get('orders')?.data.highlighted, byId.get('daily-revenue')?.data.highlighted]).toEqual([false, true]);
    expect([byId.get('orders')?.selected, byId.get('daily-revenue')?.selected]).toEqual([true, false]);
    expect(flow.edges.map((e) => e.className)).toEqual(['lineage-idle lineage-selected']);
  });

  it("draws each edge in its producer's run status, never animated (an animation repaints every frame on the quanta's cores)", async () => {
    const { mesh } = await loadSample('hello-mesh');
    const running = meshToFlow(mesh, { orders: 'running' }, {}, gridLayout(layoutInput(mesh)));
    expect(running.edges.map((e) => [e.className, e.animated === true])).toEqual([['lineage-running', false]]);
    const refused = meshToFlow(mesh, { orders: 'refused' }, {}, gridLayout(layoutInput(mesh)));
    expect(refused.edges.map((e) => [e.className, e.animated === true])).toEqual([['lineage-refused', false]]);
  });
});

describe('elk layout of a generated mesh', () => {
  it('lays out 200 products in four domain clusters without overlaps', async () => {
    const { mesh } = await loadMesh(new MemoryFileSystem(syntheticMeshFiles(200)));
    const layout = await elkLayout(mesh);
    expect(Object.keys(layout.products)).toHaveLength(200);
    const flow = meshToFlow(mesh, {}, {}, layout);
    const boxes = [...absoluteBoxes(flow.nodes).values()].sort((a, b) => a.x - b.x || a.y - b.y);
    // Sorted by x, a product can only overlap the ones after it that start before it ends.
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        if (b.x >= a.x + a.width) break;
        expect(overlap(a, b)).toBe(false);
      }
    }
    expect(domains(flow.nodes)).toHaveLength(4);
    expect(productHeight(1, 1)).toBe((flow.nodes.find((n) => n.id === 'p1') as ProductFlowNode).initialHeight);
  }, 60_000);
});

describe('node sharing across updates', () => {
  it('keeps the node objects of products whose status did not change, so React Flow re-renders only the changed one', async () => {
    const { mesh } = await loadSample('daff');
    const layout = gridLayout(layoutInput(mesh));
    const before = meshToFlow(mesh, {}, {}, layout).nodes.map((n) => ({ ...n, measured: { width: PRODUCT_WIDTH, height: 120 } }));
    const after = shareUnchanged(before, meshToFlow(mesh, { 'play-events': 'running' }, {}, layout).nodes);
    const changed = after.filter((node, i) => node !== before[i]).map((n) => n.id);
    expect(changed).toEqual(['play-events']);
    // The changed node keeps its measured size, so it is not measured from scratch.
    expect(after.find((n) => n.id === 'play-events')?.measured).toEqual({ width: PRODUCT_WIDTH, height: 120 });
  });
});

describe('canvas search', () => {
  const list = [
    { id: 'orders', name: 'Orders' },
    { id: 'daily-revenue', name: 'Daily revenue' },
    { id: 'order-lines', name: 'Lines of an order' },
  ];

  it('matches ids and names ignoring case, an exact id first', () => {
    expect(findProducts(list, 'REVENUE').map((p) => p.id)).toEqual(['daily-revenue']);
    expect(findProducts(list, 'order').map((p) => p.id)).toEqual(['orders', 'order-lines']);
    expect(findProducts([{ id: 'order-lines-v2', name: 'Lines, v2' }, ...list], 'Order-Lines').map((p) => p.id)).toEqual([
      'order-lines',
      'order-lines-v2',
    ]);
    expect(findProducts(list, '  ')).toEqual([]);
    expect(findProducts(list, 'nothing')).toEqual([]);
  });
});
