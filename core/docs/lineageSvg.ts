import { html, type Html } from './html.ts';

/*
 * The lineage diagram as static SVG: products as boxes in columns by topological depth (a
 * source on the left, each product one column right of its deepest upstream), edges as curves
 * from an output to a reader. No layout library and no script: the site must open from disk
 * with scripts blocked too. Products in a cycle (an invalid mesh) go in one last column. The
 * SVG is a group, not an image, because its boxes are links (an image may not hold controls).
 */

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  /** A second line: the domain. */
  readonly detail?: string;
  /** The domain's colour class (`d-<n>`, see siteStyle.ts); anything else is ignored. */
  readonly tint?: string;
  readonly href?: string;
  /** The page's own product, drawn highlighted. */
  readonly current?: boolean;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
}

const BOX_W = 200;
const BOX_H = 50;
const GAP_X = 72;
const GAP_Y = 16;
const PAD = 12;
const MAX_LABEL = 24;
const TINT = /^d-\d+$/;

/** Column of each node: 0 for nodes no edge reaches, else one more than its deepest upstream. */
export function depths(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.from) || !ids.has(e.to) || e.from === e.to) continue;
    up.set(e.to, [...(up.get(e.to) ?? []), e.from]);
    down.set(e.from, [...(down.get(e.from) ?? []), e.to]);
  }
  const indegree = new Map([...ids].map((id) => [id, new Set(up.get(id) ?? []).size]));
  const depth = new Map<string, number>();
  const ready = [...ids].filter((id) => indegree.get(id) === 0);
  for (const id of ready) depth.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift() as string;
    for (const next of new Set(down.get(id) ?? [])) {
      depth.set(next, Math.max(depth.get(next) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const last = Math.max(-1, ...depth.values()) + 1;
  for (const id of ids) if (indegree.get(id) !== 0) depth.set(id, last);
  return depth;
}

export function lineageSvg(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[], title: string): Html {
  const depth = depths(nodes, edges);
  const columns: DiagramNode[][] = [];
  for (const node of nodes) {
    const d = depth.get(node.id) ?? 0;
    (columns[d] ??= []).push(node);
  }
  // Barycentre sweeps (down the columns by upstream, back by downstream, down again): each box
  // near the middle of its neighbours' rows, rows measured as drawn (columns centred), so edges cross less.
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  for (const e of edges) {
    (ups.get(e.to) ?? ups.set(e.to, []).get(e.to))?.push(e.from);
    (downs.get(e.from) ?? downs.set(e.from, []).get(e.from))?.push(e.to);
  }
  const row = new Map<string, number>();
  const place = (c: number): void => (columns[c] ?? []).forEach((n, i) => row.set(n.id, (tallest - (columns[c]?.length ?? 0)) / 2 + i));
  columns.forEach((_, c) => place(c));
  const sweep = (order: readonly number[], neighbours: ReadonlyMap<string, string[]>): void => {
    for (const c of order) {
      const column = columns[c] ?? [];
      const weight = new Map(
        column.map((n) => {
          const at = (neighbours.get(n.id) ?? []).flatMap((id) => (row.has(id) ? [row.get(id) as number] : []));
          return [n.id, at.length === 0 ? (row.get(n.id) ?? 0) : at.reduce((x, y) => x + y, 0) / at.length] as const;
        }),
      );
      columns[c] = [...column].sort((x, y) => (weight.get(x.id) ?? 0) - (weight.get(y.id) ?? 0) || x.id.localeCompare(y.id));
      place(c);
    }
  };
  const forward = columns.map((_, c) => c).slice(1);
  sweep(forward, ups);
  sweep(
    [...forward].reverse().map((c) => c - 1),
    downs,
  );
  sweep(forward, ups);
  const width = PAD * 2 + columns.length * BOX_W + Math.max(0, columns.length - 1) * GAP_X;
  const height = PAD * 2 + tallest * BOX_H + (tallest - 1) * GAP_Y;
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((column, c) => {
    const offset = ((tallest - (column?.length ?? 0)) * (BOX_H + GAP_Y)) / 2;
    (column ?? []).forEach((n, i) => at.set(n.id, { x: PAD + c * (BOX_W + GAP_X), y: PAD + offset + i * (BOX_H + GAP_Y) }));
  });
  const seen = new Set<string>();
  const curves = edges.flatMap((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    const key = `${e.from}\u0000${e.to}`;
    if (!a || !b || seen.has(key) || e.from === e.to) return [];
    seen.add(key);
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x - 4;
    const y2 = b.y + BOX_H / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    return [html`<path class="edge" d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" marker-end="url(#arrow)" />`];
  });
  const boxes = nodes.map((n) => {
    const p = at.get(n.id) ?? { x: 0, y: 0 };
    const tint = n.tint !== undefined && TINT.test(n.tint) ? ` ${n.tint}` : '';
    const box = html`<g class="node${tint}${n.current ? ' current' : ''}"
      ><title>${n.label}${n.detail ? ` (${n.detail})` : ''}</title>
      <rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="8" />
      <rect class="band" x="${p.x}" y="${p.y}" width="6" height="${BOX_H}" rx="3" />
      <text x="${p.x + 16}" y="${p.y + 21}" class="label">${clip(n.label)}</text>
      ${n.detail ? html`<text x="${p.x + 16}" y="${p.y + 39}" class="detail">${clip(n.detail)}</text>` : ''}</g
    >`;
    return n.href ? html`<a href="${n.href}">${box}</a>` : box;
  });
  return html`<svg class="lineage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="${title}">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0 0 L10 5 L0 10 z" class="arrow" />
      </marker>
    </defs>
    ${curves} ${boxes}
  </svg>`;
}

function clip(text: string): string {
  const chars = [...text];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : text;
}
