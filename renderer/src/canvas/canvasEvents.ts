import type { ProductStatus } from '../../../core/run/runTypes.ts';
import type { Point } from './geometry.ts';
import type { CanvasNode } from './meshToFlow.ts';

/* The canvas's event plumbing, kept apart from the component: positions, pointer and key targets. */

export const NO_POSITIONS: Readonly<Record<string, Point>> = {};

export function asRecord(
  positions: Readonly<Record<string, Point>> | ReadonlyMap<string, Point> | undefined,
): Readonly<Record<string, Point>> {
  if (positions === undefined) return NO_POSITIONS;
  return positions instanceof Map ? Object.fromEntries(positions) : (positions as Readonly<Record<string, Point>>);
}

/** Absolute top-left of the products a drag moved: dragged products, or every product of a dragged domain. */
export function absolutePositions(nodes: readonly CanvasNode[], dragged: readonly CanvasNode[]): Record<string, Point> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of dragged) byId.set(n.id, n);
  const result: Record<string, Point> = {};
  const put = (product: CanvasNode, parent: CanvasNode | undefined) => {
    result[product.id] = {
      x: Math.round((parent?.position.x ?? 0) + product.position.x),
      y: Math.round((parent?.position.y ?? 0) + product.position.y),
    };
  };
  for (const node of dragged) {
    if (node.type === 'product') put(node, node.parentId === undefined ? undefined : byId.get(node.parentId));
    else for (const child of byId.values()) if (child.type === 'product' && child.parentId === node.id) put(child, node);
  }
  return result;
}

/** The product under the pointer where a connection was dropped (on the card, not only on a handle). */
export function productUnder(event: MouseEvent | TouchEvent): string | undefined {
  const point = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!point) return undefined;
  const element = document.elementFromPoint(point.clientX, point.clientY);
  return element?.closest<HTMLElement>('[data-testid="product-node"]')?.dataset.productId;
}

export function isTextField(target: EventTarget): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function minimapColor(node: CanvasNode): string {
  if (node.type === 'domain') return `${node.data.color}22`;
  return MINIMAP_STATUS[node.data.status];
}

/** Design tokens (styles/base.css): the minimap paints with an inline `fill` style, so they follow the theme. */
const MINIMAP_STATUS: Readonly<Record<ProductStatus, string>> = {
  idle: 'var(--status-idle)',
  running: 'var(--status-running)',
  published: 'var(--valid)',
  refused: 'var(--invalid)',
  failed: 'var(--invalid)',
  stale: 'var(--warning)',
};
