import { isMap, isNode, isScalar, isSeq, parseDocument, Scalar, stringify, type Document, type Node, type Pair } from 'yaml';
import type { YamlPath } from './sourceFile.ts';

/*
 * Surgical YAML edits. Re-serializing a whole document reformats it (sequence indentation,
 * line folding, flow spacing), so a one-field edit would rewrite the file and bury the
 * change in a noisy git diff. Instead these functions splice text: only the edited value's
 * characters change; comments, blank lines and layout elsewhere stay byte for byte.
 * They return undefined when a case is beyond splicing (flow collections, say); the caller
 * then falls back to the Document API, which still keeps comments and unknown fields.
 */

/** `parsed` may pass the document already parsed from exactly this text, to save a parse. */
export function setInText(text: string, path: YamlPath, value: unknown, parsed?: Document.Parsed): string | undefined {
  const doc = parsed ?? parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents) || path.length === 0) return undefined;
  // Replacing one scalar with another is a pure splice, even inside a flow collection.
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && existing.range && !isCollection(value)) return replaceScalar(text, existing, value);
  let parent: Node = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth] as string | number;
    const isLast = depth === path.length - 1;
    const rest = path.slice(depth + 1);
    if (isMap(parent)) {
      if (parent.flow) return undefined;
      const pair: Pair | undefined = parent.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return insertIntoMap(text, parent.items, String(segment), nest(rest, value));
      if (isLast || !isNode(pair.value) || isScalar(pair.value)) {
        return isLast ? replacePairValue(text, pair, value) : replacePairValue(text, pair, nest(rest, value));
      }
      parent = pair.value;
    } else if (isSeq(parent)) {
      if (parent.flow || typeof segment !== 'number') return undefined;
      const item: unknown = parent.items[segment];
      if (item === undefined) {
        return segment === parent.items.length ? appendToSeq(text, parent.items, nest(rest, value)) : undefined;
      }
      if (!isNode(item)) return undefined;
      if (isLast) return isScalar(item) && !isCollection(value) ? replaceScalar(text, item, value) : undefined;
      if (isScalar(item)) return undefined;
      parent = item;
    } else {
      return undefined;
    }
  }
  return undefined;
}

export function deleteInText(text: string, path: YamlPath, parsed?: Document.Parsed): string | undefined {
  const doc = parsed ?? parseDocument(text);
  if (doc.errors.length > 0 || path.length === 0) return undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent) && !parent.flow) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
    if (!pair || !isNode(pair.key)) return text;
    const start = lineStartIfBlank(text, rangeOf(pair.key)[0]);
    const end = isNode(pair.value) ? rangeOf(pair.value)[2] : rangeOf(pair.key)[2];
    return text.slice(0, start) + text.slice(endOfLine(text, end));
  }
  if (isSeq(parent) && !parent.flow && typeof last === 'number') {
    const item = parent.items[last];
    if (!isNode(item)) return text;
    const dash = text.lastIndexOf('-', rangeOf(item)[0]);
    const start = lineStartIfBlank(text, dash);
    return text.slice(0, start) + text.slice(endOfLine(text, rangeOf(item)[2]));
  }
  return undefined;
}

function rangeOf(node: Node): [number, number, number] {
  const range = node.range;
  if (!range) throw new Error('node without a source range');
  return range;
}

function isCollection(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function nest(keys: YamlPath, value: unknown): unknown {
  return keys.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineStartIfBlank(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(start, offset)) ? start : offset;
}

/** Extends an offset to just past the end of its line (the newline included). */
function endOfLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function scalarText(value: unknown, style?: Scalar['type']): string {
  if (typeof value === 'string') {
    if (value.includes('\n')) return JSON.stringify(value); // a JSON string is a valid double-quoted YAML scalar
    if (style === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** A value written after `key:` — inline for scalars, an indented block for collections. */
function valueText(value: unknown, indent: number): string {
  if (!isCollection(value)) return ` ${scalarText(value)}`;
  if (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0) {
    return Array.isArray(value) ? ' []' : ' {}';
  }
  return `\n${indentBlock(stringify(value, { lineWidth: 0 }), indent)}`;
}

function indentBlock(block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return block
    .trimEnd()
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

function replaceScalar(text: string, node: Scalar, value: unknown): string {
  const [start, end] = rangeOf(node);
  const replacement = scalarText(value, node.type);
  const keepNewline = text[end - 1] === '\n' ? '\n' : '';
  return text.slice(0, start) + replacement + keepNewline + text.slice(end);
}

function replacePairValue(text: string, pair: Pair, value: unknown): string | undefined {
  if (!isNode(pair.key)) return undefined;
  if (isScalar(pair.value) && !isCollection(value)) return replaceScalar(text, pair.value, value);
  const colon = text.indexOf(':', rangeOf(pair.key)[1]);
  if (colon < 0) return undefined;
  const end = isNode(pair.value) ? rangeOf(pair.value)[1] : colon + 1;
  const indent = columnOf(text, rangeOf(pair.key)[0]) + 2;
  const replacement = valueText(value, indent);
  const keepNewline = text[end - 1] === '\n' ? '\n' : '';
  return text.slice(0, colon + 1) + replacement + keepNewline + text.slice(end);
}

function insertIntoMap(text: string, items: readonly Pair[], key: string, value: unknown): string | undefined {
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last || !isNode(first.key) || !isNode(last.key)) return undefined;
  const indent = columnOf(text, rangeOf(first.key)[0]);
  const after = isNode(last.value) ? rangeOf(last.value)[2] : rangeOf(last.key)[2];
  const at = endOfLine(text, after);
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  const entry = `${' '.repeat(indent)}${scalarText(key)}:${valueText(value, indent + 2)}\n`;
  return text.slice(0, at) + prefix + entry + text.slice(at);
}

function appendToSeq(text: string, items: readonly unknown[], value: unknown): string | undefined {
  const first = items[0];
  const last = items[items.length - 1];
  if (!isNode(first) || !isNode(last)) return undefined;
  const dash = text.lastIndexOf('-', rangeOf(first)[0]);
  if (dash < 0) return undefined;
  const dashColumn = columnOf(text, dash);
  const itemIndent = columnOf(text, rangeOf(first)[0]);
  const block = isCollection(value) ? stringify(value, { lineWidth: 0 }).trimEnd() : scalarText(value);
  const [firstLine = '', ...more] = block.split('\n');
  const lines = [
    `${' '.repeat(dashColumn)}-${' '.repeat(Math.max(1, itemIndent - dashColumn - 1))}${firstLine}`,
    ...more.map((l) => (l ? ' '.repeat(itemIndent) + l : l)),
  ];
  const at = endOfLine(text, rangeOf(last)[2]);
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return `${text.slice(0, at)}${prefix}${lines.join('\n')}\n${text.slice(at)}`;
}
