import type { Document } from 'yaml';
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.ts';
import { LruCache } from '../util/lruCache.ts';
import { describeYamlError, firstInvalidUtf8 } from './yamlErrors.ts';
import { findCollectionKey, findRecursiveAlias, findTooDeep } from './yamlGuards.ts';

/** Metadata files larger than this are refused: nobody hand-writes them, and parsing them would stall the UI. */
export const MAX_METADATA_BYTES = 5 * 1024 * 1024;

/**
 * Mesh files nest a handful of levels (an ODCS quality rule sits at depth 6). Far deeper
 * nesting is an attack on every recursive walk after parsing (JSON Schema validation
 * overflows the stack near 1,000 levels), so it is refused up front.
 */
export const MAX_NESTING = 64;

/** yaml's own alias-bomb guard: how many alias expansions one document may need. */
const MAX_ALIAS_COUNT = 1000;

export type YamlPath = readonly (string | number)[];

/**
 * One YAML file of a mesh, parsed with the yaml library's Document API so that comments,
 * key order, quoting and unknown fields survive edits. `text` is what was read; a file that
 * is never edited is written back as exactly that text.
 */
export interface YamlSourceFile {
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed | undefined;
  readonly lineCounter: LineCounter;
  /** Plain JS view of the document (undefined when it could not be parsed). */
  readonly value: unknown;
  /** Syntax problems found while parsing (YAML errors, empty file, not a mapping). */
  readonly diagnostics: readonly Diagnostic[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes bytes as UTF-8, refusing binary content (NUL bytes or invalid UTF-8). */
export function decodeText(path: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  if (bytes.byteLength > MAX_METADATA_BYTES) {
    return {
      diagnostic: diagnostic(
        'QUANTA_E006',
        { file: path, line: 1, column: 1 },
        `${path} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; metadata files may be at most ${MAX_METADATA_BYTES / 1024 / 1024} MB`,
      ),
    };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    // Lenient here: the prefix is valid by firstInvalidUtf8's account, but a decoder that
    // throws must never be what turns a bad file into a crash.
    const valid = lenient.decode(bytes.subarray(0, bad));
    const at = positionOfOffset(valid, valid.length);
    return {
      diagnostic: diagnostic(
        'QUANTA_E003',
        { file: path, ...at },
        `${path} is not valid UTF-8 text (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} cannot start or continue a character)`,
      ),
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const at = positionOfOffset(text, nul);
    return {
      diagnostic: diagnostic('QUANTA_E003', { file: path, ...at }, `${path} contains binary data (a NUL byte)`),
    };
  }
  return { text };
}

// Parsed files are immutable by convention (edits clone the document first), so a file whose
// path and text are unchanged can be shared between loads.
const parsed = new LruCache<string, YamlSourceFile>(4096);

export function parseYaml(path: string, text: string): YamlSourceFile {
  const key = `${path}\u0000${text}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  const file = parseYamlUncached(path, text);
  if (text.length < 256 * 1024) parsed.set(key, file);
  return file;
}

function parseYamlUncached(path: string, text: string): YamlSourceFile {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    // The parser reports problems in doc.errors; a throw here is a bug in it. Report, never crash.
    diagnostics.push(diagnostic('QUANTA_E001', { file: path, line: 1, column: 1 }, `cannot parse ${path}: ${String(error)}`));
    return { path, text, doc: undefined, lineCounter, value: undefined, diagnostics };
  }
  const syntax = describeYamlError(path, text, doc, lineCounter);
  if (syntax) diagnostics.push(syntax);
  if (doc.errors.length > 0) {
    return { path, text, doc, lineCounter, value: undefined, diagnostics };
  }
  const problem = structuralProblem(doc, path);
  if (problem) {
    const at = lineCounter.linePos(problem.offset);
    diagnostics.push(diagnostic(problem.code, { file: path, line: at.line, column: at.col }, problem.message));
    return { path, text, doc, lineCounter, value: undefined, diagnostics };
  }
  let value: unknown;
  try {
    // maxAliasCount guards against alias bombs ("billion laughs").
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    diagnostics.push(diagnostic('QUANTA_E001', { file: path, line: 1, column: 1 }, `cannot read ${path}: ${firstLine(String(error))}`));
    return { path, text, doc, lineCounter, value: undefined, diagnostics };
  }
  if (value === null || value === undefined) {
    diagnostics.push(diagnostic('QUANTA_E002', { file: path, line: 1, column: 1 }, `${path} is empty`));
  } else if (typeof value !== 'object' || Array.isArray(value)) {
    const at = doc.contents ? positionOfNode(path, lineCounter, doc.contents) : { file: path, line: 1, column: 1 };
    diagnostics.push(
      diagnostic('QUANTA_E004', at, `${path} must be a mapping of fields, found ${Array.isArray(value) ? 'a list' : typeof value}`),
    );
  }
  return { path, text, doc, lineCounter, value, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export function positionOfOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function positionOfNode(file: string, lineCounter: LineCounter, node: Node): SourcePosition {
  const offset = node.range?.[0] ?? 0;
  const at = lineCounter.linePos(offset);
  return { file, line: at.line, column: at.col };
}

/**
 * Where a value sits in the file. With `key: true`, where its key sits (better for
 * "unknown field" messages). Walks as far down the path as exists, so a missing field is
 * reported at its parent mapping.
 */
export function locate(file: YamlSourceFile, path: YamlPath, options: { key?: boolean } = {}): SourcePosition {
  const fallback = { file: file.path, line: 1, column: 1 };
  const doc = file.doc;
  if (!doc || !isNode(doc.contents)) return fallback;
  let node: Node = doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    let next: Node | undefined;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair && isNode(pair.value)) next = pair.value;
      if (pair && isNode(pair.key)) keyNode = pair.key;
      if (pair && !next && keyNode) next = keyNode; // `key:` with no value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (isNode(item)) next = item;
    }
    if (!next) break;
    node = next;
  }
  const target = options.key && keyNode ? keyNode : node;
  return positionOfNode(file.path, file.lineCounter, target);
}

/**
 * What would make the document unsafe to turn into a value, first found first: an alias
 * inside the collection it names (a value that never ends), nesting past MAX_NESTING (the
 * schema validator's stack), a collection as a mapping key (the yaml library's warning).
 */
function structuralProblem(
  doc: Document.Parsed,
  path: string,
): { readonly code: 'QUANTA_E050' | 'QUANTA_E051' | 'QUANTA_E001'; readonly offset: number; readonly message: string } | undefined {
  const recursive = findRecursiveAlias(doc);
  if (recursive) {
    const message = `the alias *${recursive.anchor} refers to the mapping or list that contains it, so ${path} would never end`;
    return { code: 'QUANTA_E050', offset: recursive.offset, message };
  }
  const tooDeep = findTooDeep(doc, MAX_NESTING);
  if (tooDeep) {
    const message = `this mapping or list is nested more than ${MAX_NESTING} levels deep; mesh files may nest at most ${MAX_NESTING} levels`;
    return { code: 'QUANTA_E051', offset: tooDeep.offset, message };
  }
  const collectionKey = findCollectionKey(doc);
  if (collectionKey) {
    return {
      code: 'QUANTA_E001',
      offset: collectionKey.offset,
      message: 'this mapping key is a list or a mapping; keys in mesh files are plain text',
    };
  }
  return undefined;
}
