import type { Node } from '@xyflow/react';

/**
 * Keeps the previous object of every node that did not change, so React Flow re-renders only
 * the nodes whose status, position or data did (a run changes one product at a time; on a
 * 500-product mesh re-rendering all of them per event would stall the canvas). A changed node
 * keeps the size React Flow measured, or it would be measured again from scratch.
 */
export function shareUnchanged<N extends Node>(previous: readonly N[], next: readonly N[]): N[] {
  if (previous.length === 0) return [...next];
  const before = new Map(previous.map((node) => [node.id, node]));
  return next.map((node) => {
    const old = before.get(node.id);
    if (!old) return node;
    if (sameNode(old, node)) return old;
    return old.measured ? { ...node, measured: old.measured } : node;
  });
}

function sameNode(a: Node, b: Node): boolean {
  return (
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    (a.selected ?? false) === (b.selected ?? false) &&
    shallowEqual(a.data, b.data)
  );
}

function shallowEqual(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.is(a[key], b[key]) || (Array.isArray(a[key]) && sameArray(a[key], b[key])));
}

function sameArray(a: readonly unknown[], b: unknown): boolean {
  return Array.isArray(b) && a.length === b.length && a.every((item, i) => Object.is(item, b[i]));
}
