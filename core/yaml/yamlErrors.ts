import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLError } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';

/*
 * The yaml parser reports where it *noticed* a problem, often a line or more after the
 * mistake (an unclosed quote is noticed at the end of the file), in words meant for
 * programmers. Users need the place of the mistake and its name. So: one diagnostic per
 * file — the first error, as later ones are usually echoes of it — moved to the culprit
 * and described in plain words. The parser's own text is kept after a dash.
 */
export function describeYamlError(path: string, text: string, doc: Document.Parsed, lineCounter: LineCounter): Diagnostic | undefined {
  const error = doc.errors[0];
  if (!error) return undefined;
  const detail = parserDetail(error);
  const at = (offset: number): { file: string; line: number; column: number } => {
    const pos = lineCounter.linePos(Math.min(Math.max(0, offset), text.length));
    return { file: path, line: pos.line, column: pos.col };
  };

  if (error.code === 'DUPLICATE_KEY') {
    const duplicate = findDuplicateKey(doc.contents);
    if (duplicate) {
      const first = at(duplicate.first);
      return diagnostic(
        'QUANTA_E007',
        at(duplicate.second),
        `key "${duplicate.key}" appears twice in the same mapping (first at line ${first.line})`,
      );
    }
    return diagnostic('QUANTA_E007', at(error.pos[0]), `a key appears twice in the same mapping — ${detail}`);
  }
  if (error.code === 'MISSING_CHAR' && /closing ["']?quote/i.test(error.message)) {
    const quote = /closing '/.test(error.message) || /'quote/.test(error.message) ? "'" : '"';
    const opening = findUnclosed(text, error.pos[0], quote, quote);
    return diagnostic('QUANTA_E001', at(opening ?? error.pos[0]), `unclosed quote: the string starting here never ends with ${quote}`);
  }
  if (error.code === 'BAD_INDENT' && /Flow (sequence|mapping)/.test(error.message)) {
    const [open, close] = /Flow sequence/.test(error.message) ? ['[', ']'] : ['{', '}'];
    const opening = findUnclosed(text, error.pos[0], open, close);
    return diagnostic('QUANTA_E001', at(opening ?? error.pos[0]), `unclosed "${open}": this list never ends with "${close}" on its line`);
  }
  if (error.code === 'TAB_AS_INDENT') {
    return diagnostic('QUANTA_E001', at(error.pos[0]), 'a tab is used for indentation; YAML indents with spaces only');
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return diagnostic(
      'QUANTA_E001',
      at(error.pos[0]),
      'the file holds more than one YAML document (a second "---"); a mesh file holds exactly one',
    );
  }
  if (['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR', 'UNEXPECTED_TOKEN'].includes(error.code)) {
    // A multi-line "implicit key" means the next line is indented deeper than it should be.
    // An "implicit key" error means a value ran on into the next line: that line is indented
    // deeper than it should be, so it is the culprit.
    const implicitKey = error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY';
    const offset = lineStart(text, error.pos[0], implicitKey ? 1 : 0);
    return diagnostic('QUANTA_E001', at(firstNonBlank(text, offset, error.pos[0])), `indentation does not line up — ${detail}`);
  }
  return diagnostic('QUANTA_E001', at(error.pos[0]), detail);
}

function parserDetail(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/** Offset of the start of the line `delta` lines after the one holding `offset`. */
function lineStart(text: string, offset: number, delta: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  for (let i = 0; i < delta; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) break;
    start = next + 1;
  }
  return start;
}

/** The first non-blank character of the line starting at `start` — unless the error is already past it. */
function firstNonBlank(text: string, start: number, errorOffset: number): number {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return start === lineStart(text, errorOffset, 0) && errorOffset > i ? errorOffset : i;
}

/**
 * The opening delimiter left unclosed before `limit`: the first line whose delimiters do not
 * balance (quotes inside comments are ignored). Heuristic, good for the usual one-line slip.
 */
function findUnclosed(text: string, limit: number, open: string, close: string): number | undefined {
  let lineOffset = 0;
  for (const line of text.slice(0, Math.max(limit, 1)).split('\n')) {
    const body = stripComment(line);
    let depth = 0;
    let lastOpen = -1;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (open === close) {
        if (ch === open && body[i - 1] !== '\\') {
          depth = depth === 0 ? 1 : 0;
          if (depth === 1) lastOpen = i;
        }
      } else if (ch === open) {
        depth++;
        lastOpen = i;
      } else if (ch === close) depth = Math.max(0, depth - 1);
    }
    if (depth > 0 && lastOpen >= 0) return lineOffset + lastOpen;
    lineOffset += line.length + 1;
  }
  return undefined;
}

function stripComment(line: string): string {
  const hash = line.search(/(^|\s)#/);
  return hash < 0 ? line : line.slice(0, hash);
}

function findDuplicateKey(node: unknown): { key: string; first: number; second: number } | undefined {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.range) {
        const key = String(pair.key.value);
        const first = seen.get(key);
        if (first !== undefined) return { key, first, second: pair.key.range[0] };
        seen.set(key, pair.key.range[0]);
      }
      const inner = findDuplicateKey(pair.value);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findDuplicateKey(item as Node);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // The second byte's range after E0, ED, F0 and F4 excludes overlong forms, UTF-16
    // surrogates (ED A0..BF, found by the fuzz) and code points past U+10FFFF.
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) {
      return i;
    }
    i += need + 1;
  }
  return -1;
}
