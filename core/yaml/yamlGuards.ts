import { isAlias, isCollection, isNode, isPair, type Document, type Node } from 'yaml';

/**
 * YAML lets an alias point at the node that contains it (`kind: &k {self: *k}`); the yaml
 * library then builds a circular JS value, and every later walk over it (JSON Schema
 * validation, JSON.stringify in a message, the editor) loops or throws. Such a document
 * means nothing in the mesh format, so it is refused before it is turned into a value.
 *
 * Returns the offset of the first alias that refers to one of its own ancestors. The walk
 * is iterative (a deeply nested file must not overflow the stack here) and does not follow
 * aliases, so it is linear in the size of the document.
 */
export function findRecursiveAlias(doc: Document.Parsed): { offset: number; anchor: string } | undefined {
  if (!isNode(doc.contents)) return undefined;
  // Each entry: a node and the ancestors above it (collections only: anchors sit on them).
  const stack: { node: unknown; ancestors: readonly Node[] }[] = [{ node: doc.contents, ancestors: [] }];
  while (stack.length > 0) {
    const { node, ancestors } = stack.pop() as { node: unknown; ancestors: readonly Node[] };
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target && ancestors.includes(target)) return { offset: node.range?.[0] ?? 0, anchor: node.source };
      continue;
    }
    if (isPair(node)) {
      stack.push({ node: node.value, ancestors }, { node: node.key, ancestors });
      continue;
    }
    if (isCollection(node)) {
      const below = node.anchor === undefined ? ancestors : [...ancestors, node];
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], ancestors: below });
    }
  }
  return undefined;
}

/** The first collection nested deeper than `limit` levels, if any; iterative, for the same reason. */
export function findTooDeep(doc: Document.Parsed, limit: number): { offset: number } | undefined {
  if (!isNode(doc.contents)) return undefined;
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
    } else if (isCollection(node)) {
      if (depth > limit) return { offset: node.range?.[0] ?? 0 };
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * A mapping key that is itself a list or mapping (`? [a, b]: 1`). Mesh files never need one,
 * and turning it into a JS value makes the yaml library print a process warning.
 */
export function findCollectionKey(doc: Document.Parsed): { offset: number } | undefined {
  if (!isNode(doc.contents)) return undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      if (isCollection(node.key)) return { offset: node.key.range?.[0] ?? 0 };
      if (isAlias(node.key) && isCollection(node.key.resolve(doc))) return { offset: node.key.range?.[0] ?? 0 };
      stack.push(node.value, node.key);
    } else if (isCollection(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}
