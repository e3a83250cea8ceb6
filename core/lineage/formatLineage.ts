import type { DataProduct, Mesh } from '../model/types.ts';
import { LineageGraph } from './lineageGraph.ts';

export type LineageFormat = 'text' | 'mermaid' | 'dot';
export const LINEAGE_FORMATS: readonly LineageFormat[] = ['text', 'mermaid', 'dot'];

interface DomainGroup {
  readonly id: string;
  readonly name: string;
  readonly products: readonly DataProduct[];
}

function groupByDomain(mesh: Mesh): DomainGroup[] {
  const ids = [...new Set([...mesh.domains.map((d) => d.id), ...mesh.products.map((p) => p.domain)])].sort();
  return ids.map((id) => ({
    id,
    name: mesh.domains.find((d) => d.id === id)?.name ?? id,
    products: mesh.products.filter((p) => p.domain === id).sort((a, b) => a.id.localeCompare(b.id)),
  }));
}

export function formatLineage(mesh: Mesh, format: LineageFormat): string {
  const graph = new LineageGraph(mesh.products);
  const groups = groupByDomain(mesh);
  switch (format) {
    case 'text':
      return formatText(mesh, graph, groups);
    case 'mermaid':
      return formatMermaid(graph, groups);
    case 'dot':
      return formatDot(graph, groups);
  }
}

function formatText(mesh: Mesh, graph: LineageGraph, groups: DomainGroup[]): string {
  const title = mesh.manifest?.title ?? 'mesh';
  const lines = [
    `${title}: ${count(mesh.products.length, 'product')} in ${count(groups.length, 'domain')}, ${count(graph.edges.length, 'lineage edge')}`,
    '',
  ];
  for (const group of groups) {
    lines.push(`${group.name} (${group.id})`);
    if (group.products.length === 0) lines.push('  (no products)');
    for (const product of group.products) {
      lines.push(`  ${product.id}  [${product.settings?.archetype ?? 'archetype?'}]`);
      for (const edge of graph.edges.filter((e) => e.to === product.id)) {
        lines.push(`    ← ${edge.from}.${edge.outputPort} as ${edge.inputPort}  (${edge.contractId} ${edge.version})`);
      }
      for (const port of product.outputPorts) {
        const readers = graph.edges.filter((e) => e.from === product.id && e.outputPort === port.name).map((e) => e.to);
        lines.push(
          `    → ${port.name}  (${port.contractId ?? 'no contract'} ${port.version})${readers.length ? `: read by ${readers.join(', ')}` : ''}`,
        );
      }
    }
    lines.push('');
  }
  const { order, cycles } = graph.topologicalOrder();
  lines.push(`Run order: ${order.join(', ') || '(none)'}`);
  for (const cycle of cycles) lines.push(`Cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  return `${lines.join('\n')}\n`;
}

/** Mermaid ids must be plain words; a prefix also avoids keywords such as `end`. */
function mermaidId(id: string): string {
  return `p_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function formatMermaid(graph: LineageGraph, groups: DomainGroup[]): string {
  const lines = ['flowchart LR'];
  for (const group of groups) {
    lines.push(`  subgraph ${mermaidId(`domain_${group.id}`)}["${mermaidText(group.name)}"]`);
    for (const product of group.products) lines.push(`    ${mermaidId(product.id)}["${mermaidText(product.name)}"]`);
    lines.push('  end');
  }
  for (const edge of graph.edges) {
    lines.push(`  ${mermaidId(edge.from)} -->|"${mermaidText(`${edge.outputPort} ${edge.version}`)}"| ${mermaidId(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotText(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function formatDot(graph: LineageGraph, groups: DomainGroup[]): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const group of groups) {
    lines.push(`  subgraph ${dotText(`cluster_${group.id}`)} {`, `    label=${dotText(group.name)};`);
    for (const product of group.products) lines.push(`    ${dotText(product.id)} [label=${dotText(product.name)}];`);
    lines.push('  }');
  }
  for (const edge of graph.edges) {
    lines.push(`  ${dotText(edge.from)} -> ${dotText(edge.to)} [label=${dotText(`${edge.outputPort} ${edge.version}`)}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** `1 lineage edge`, `2 domains`. */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
