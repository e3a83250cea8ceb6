import { isMap, isNode, isPair, isScalar } from 'yaml';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { YamlPath, YamlSourceFile } from '../../../core/yaml/sourceFile.ts';

/** The plain value at `path` in a parsed YAML value; undefined when any step is missing. */
export function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) current = typeof segment === 'number' ? current[segment] : undefined;
    else if (current !== null && typeof current === 'object') current = (current as Record<string, unknown>)[String(segment)];
    else return undefined;
  }
  return current;
}

/**
 * The lines a YAML node spans, its key's line included (a schema diagnostic about a field
 * points at its key or at its value). Undefined when the path is not in the file.
 */
export function nodeLines(file: YamlSourceFile, path: YamlPath): { readonly first: number; readonly last: number } | undefined {
  const doc = file.doc;
  if (!doc || path.length === 0 || doc.errors.length > 0) return undefined;
  const node: unknown = doc.getIn(path, true);
  const parent: unknown = doc.getIn(path.slice(0, -1), true) ?? doc.contents;
  const segment = path[path.length - 1];
  const pair = isMap(parent)
    ? parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
    : undefined;
  const keyStart = pair && isNode(pair.key) ? pair.key.range?.[0] : undefined;
  const range = isNode(node) ? node.range : undefined;
  if (!range && keyStart === undefined) return undefined;
  const start = Math.min(range?.[0] ?? Infinity, keyStart ?? Infinity);
  // A node's end offset is just past its last character (the next line's start for block nodes).
  const end = Math.max(start, (range?.[1] ?? start + 1) - 1);
  return { first: file.lineCounter.linePos(start).line, last: file.lineCounter.linePos(end).line };
}

/** Diagnostics of `file` that point inside the node at `path` (its key included). */
export function diagnosticsAt(file: YamlSourceFile, path: YamlPath, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const lines = nodeLines(file, path);
  if (!lines) return [];
  return diagnostics.filter((d) => d.file === file.path && d.line >= lines.first && d.line <= lines.last);
}
