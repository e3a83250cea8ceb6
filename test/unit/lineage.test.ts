import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { formatLineage } from '../../core/lineage/formatLineage.ts';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';

/** A mesh of products given as `id: [upstream ids]`, every product in domain `d`. */
function chainMesh(products: Record<string, string[]>): MemoryFileSystem {
  const files: Record<string, string> = {
    'mesh.yaml': 'apiVersion: quanta/v1\nkind: Mesh\nname: chain\nteams:\n  - id: t\n    name: T\n',
    'domains/d/domain.yaml': 'apiVersion: quanta/v1\nkind: Domain\nid: d\nname: D\nteam: t\n',
  };
  for (const [id, upstream] of Object.entries(products)) {
    const dir = `domains/d/${id}`;
    const inputs = upstream.map((u) => `  - name: ${u.replace(/-/g, '_')}\n    contractId: c.${u}\n    version: 1.0.0\n`).join('');
    files[`${dir}/product.odps.yaml`] =
      `apiVersion: v1.0.0\nkind: DataProduct\nid: ${id}\nname: ${id}\ndomain: d\nstatus: active\n` +
      (inputs ? `inputPorts:\n${inputs}` : '') +
      `outputPorts:\n  - name: out\n    version: 1.0.0\n    contractId: c.${id}\n`;
    files[`${dir}/out.odcs.yaml`] =
      `apiVersion: v3.1.0\nkind: DataContract\nid: c.${id}\nversion: 1.0.0\nstatus: active\nschema:\n  - name: out\n    properties:\n      - name: x\n        logicalType: integer\n`;
    files[`${dir}/quanta.yaml`] =
      `apiVersion: quanta/v1\nkind: QuantumSettings\narchetype: ${upstream.length ? 'aggregate' : 'source-aligned'}\n`;
    if (upstream.length) files[`${dir}/transform.sql`] = 'SELECT 1 AS x\n';
  }
  return new MemoryFileSystem(files);
}

describe('lineage graph', () => {
  it('derives edges from input ports and orders products so every upstream runs first', async () => {
    const { mesh, diagnostics } = await loadMesh(chainMesh({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] }));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = new LineageGraph(mesh.products);
    expect(graph.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['a->b', 'a->c', 'b->d', 'c->d']);
    expect(graph.upstream('d')).toEqual(['b', 'c']);
    expect(graph.downstream('a')).toEqual(['b', 'c']);
    expect(graph.impactSet('a')).toEqual(['b', 'c', 'd']);
    expect(graph.ancestors('d')).toEqual(['a', 'b', 'c']);
    expect(graph.impactSet('e')).toEqual([]);
    expect(graph.topologicalOrder()).toEqual({ order: ['a', 'b', 'c', 'd', 'e'], cycles: [] });
  });

  it('names every product of a cycle and leaves them out of the run order', async () => {
    const { mesh, diagnostics } = await loadMesh(chainMesh({ a: [], b: ['a', 'd'], c: ['b'], d: ['c'] }));
    const graph = new LineageGraph(mesh.products);
    expect(graph.topologicalOrder()).toEqual({ order: ['a'], cycles: [['b', 'c', 'd']] });
    const cycle = diagnostics.filter((d) => d.code === 'QUANTA_E030');
    expect(cycle).toHaveLength(1);
    expect(cycle[0]?.message).toBe('lineage cycle: b → c → d → b');
    expect(cycle[0]?.file).toBe('domains/d/b/product.odps.yaml');
  });

  it('handles a deep chain of 5,000 products without overflowing the stack', async () => {
    const products: Record<string, string[]> = { p0: [] };
    for (let i = 1; i < 5000; i++) products[`p${i}`] = [`p${i - 1}`];
    const { mesh } = await loadMesh(chainMesh(products));
    const graph = new LineageGraph(mesh.products);
    expect(graph.topologicalOrder().order).toHaveLength(5000);
    expect(graph.cycles()).toEqual([]);
    expect(graph.impactSet('p0')).toHaveLength(4999);
  });

  it('prints text, mermaid and dot with every product and edge', async () => {
    const { mesh } = await loadMesh(chainMesh({ a: [], b: ['a'] }));
    expect(formatLineage(mesh, 'text')).toContain('← a.out as a  (c.a 1.0.0)');
    expect(formatLineage(mesh, 'text').split('\n')[0]).toBe('chain: 2 products in 1 domain, 1 lineage edge');
    const mermaid = formatLineage(mesh, 'mermaid');
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('p_a -->|"out 1.0.0"| p_b');
    const dot = formatLineage(mesh, 'dot');
    expect(dot).toContain('subgraph "cluster_d"');
    expect(dot).toContain('"a" -> "b" [label="out 1.0.0"];');
  });
});
