import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { buildMesh } from '../load/buildMesh.ts';
import { isDay } from '../load/buildDiscovery.ts';
import { FEEDBACK_SUFFIX } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import type { Mesh, MeshFiles, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { deepEqual } from './meshEdits.ts';

/*
 * Leaving feedback on a product (issue 16): one entry appended to
 * feedback/<product>.feedback.yaml. Appended as text, not re-serialized, so every byte the
 * file had stays as it was (comments, quoting, blank lines) and the diff is the new lines
 * only. When the file's shape does not allow a plain append (entries is not the last field,
 * or a flow list), the Document API writes it instead: comments survive, layout may not.
 */

export interface NewFeedback {
  readonly product: string;
  readonly team?: string;
  readonly persona?: string;
  readonly port?: string;
  readonly rating: number;
  readonly comment?: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

export const MAX_COMMENT_CHARS = 2000;

export function feedbackPath(product: string): string {
  return `feedback/${product}${FEEDBACK_SUFFIX}`;
}

/**
 * The files after adding one entry: appended to feedback/<product>.feedback.yaml (created when
 * absent), every other byte of the file unchanged. Throws EditError on bad input.
 */
export function addFeedback(files: MeshFiles, entry: NewFeedback, mesh: Mesh = buildMesh(files).mesh): FileMap {
  checkEntry(mesh, entry);
  const path = feedbackPath(entry.product);
  const existing = files.get(path);
  let text: string;
  if (existing === undefined) {
    text = newFile(entry);
  } else if (!('doc' in existing) || !existing.doc || existing.doc.errors.length > 0 || !isMap(existing.doc.contents)) {
    // Never overwrite what someone wrote, even to add to it.
    throw new EditError(`${path} cannot be read, so the feedback is not added; fix the file first (quanta validate shows where)`);
  } else {
    text = appended(existing, entry) ?? rewritten(existing.doc, entry);
  }
  const next = new Map(files);
  next.set(path, parseYaml(path, text));
  return next;
}

function checkEntry(mesh: Mesh, entry: NewFeedback): void {
  const product = mesh.products.find((p) => p.id === entry.product);
  if (!product) throw new EditError(`there is no data product "${entry.product}" to leave feedback on`);
  if ((entry.team === undefined) === (entry.persona === undefined))
    throw new EditError('feedback is given by exactly one team or one persona; choose one');
  if (entry.team !== undefined && !mesh.manifest?.teams.some((t) => t.id === entry.team))
    throw new EditError(`team "${entry.team}" is not declared in mesh.yaml`);
  if (entry.persona !== undefined && !mesh.manifest?.personas.some((p) => p.id === entry.persona))
    throw new EditError(`persona "${entry.persona}" is not declared in mesh.yaml`);
  if (entry.port !== undefined && !product.outputPorts.some((p) => p.name === entry.port))
    throw new EditError(`"${entry.port}" is not an output port of ${product.id}`);
  if (!Number.isInteger(entry.rating) || entry.rating < 1 || entry.rating > 5)
    throw new EditError(`a rating is a whole number from 1 to 5, not ${String(entry.rating)}`);
  if (!isDay(entry.date)) throw new EditError(`the date must be a YYYY-MM-DD calendar day, not "${entry.date.slice(0, 40)}"`);
  if (entry.comment !== undefined && entry.comment.length > MAX_COMMENT_CHARS)
    throw new EditError(`a comment is at most ${MAX_COMMENT_CHARS} characters; this one has ${entry.comment.length}`);
}

/** The entry's fields in file order, values written so YAML reads them back as the same strings and number. */
function entryLines(entry: NewFeedback): string[] {
  const lines: string[] = [];
  if (entry.team !== undefined) lines.push(`team: ${entry.team}`);
  if (entry.persona !== undefined) lines.push(`persona: ${entry.persona}`);
  if (entry.port !== undefined) lines.push(`port: ${JSON.stringify(entry.port)}`);
  lines.push(`rating: ${entry.rating}`);
  // JSON strings are YAML double-quoted strings: any comment text (quotes, colons, newlines) stays one scalar.
  if (entry.comment !== undefined) lines.push(`comment: ${JSON.stringify(entry.comment)}`);
  lines.push(`date: ${entry.date}`);
  return lines;
}

function itemText(entry: NewFeedback, indent: string): string {
  return entryLines(entry)
    .map((line, i) => `${indent}${i === 0 ? '- ' : '  '}${line}\n`)
    .join('');
}

function newFile(entry: NewFeedback): string {
  return `# Consumers' feedback on ${entry.product} (docs/discovery.md): one entry per rating, newest last.
apiVersion: quanta/v1
kind: Feedback
product: ${entry.product}
entries:
${itemText(entry, '  ')}`;
}

/** The file with the entry's lines after its last byte, when that keeps every old byte and reads back right. */
function appended(file: YamlSourceFile, entry: NewFeedback): string | undefined {
  const doc = file.doc;
  if (!doc || !isMap(doc.contents)) return undefined;
  const pairs = doc.contents.items;
  const last = pairs[pairs.length - 1];
  const entries = doc.get('entries', true);
  if (!last || String((last.key as { value?: unknown } | null)?.value) !== 'entries' || !isSeq(entries) || entries.flow) return undefined;
  const indent = indentOf(file.text, entries);
  if (indent === undefined) return undefined;
  const base = file.text.length === 0 || file.text.endsWith('\n') ? file.text : `${file.text}\n`;
  const text = `${base}${itemText(entry, indent)}`;
  // Proof, not hope: the appended text must read back as the old entries plus exactly this one.
  const before = asEntries(file.value);
  const after = asEntries(parseDocument(text).toJS());
  const expected = Object.fromEntries(
    Object.entries({ ...entry, product: undefined }).filter(([k, v]) => v !== undefined && k !== 'product'),
  );
  return after.length === before.length + 1 && deepEqual(after.slice(0, -1), before) && deepEqual(after[after.length - 1], expected)
    ? text
    : undefined;
}

/** The indentation of the list's dashes, when its first dash starts a line after only spaces. */
function indentOf(text: string, seq: YAMLSeq): string | undefined {
  const start = seq.range?.[0];
  if (start === undefined || seq.items.length === 0) return undefined;
  let lineStart = start;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const before = text.slice(lineStart, start);
  // `range` starts at the first dash; only spaces may stand before it on its line.
  return /^ *$/.test(before) && text[start] === '-' ? before : undefined;
}

function asEntries(value: unknown): unknown[] {
  const entries = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['entries'] : undefined;
  return Array.isArray(entries) ? entries : [];
}

function rewritten(original: Document.Parsed, entry: NewFeedback): string {
  const doc = original.clone();
  const fields = Object.fromEntries(Object.entries(entry).filter(([k, v]) => v !== undefined && k !== 'product'));
  const entries = doc.get('entries', true);
  if (isSeq(entries)) {
    // `entries: []` is a flow list; the entries added to it read better as a block list.
    if (entries.items.length === 0) entries.flow = false;
    entries.add(doc.createNode(fields));
  } else doc.set('entries', doc.createNode([fields]));
  return doc.toString({ lineWidth: 0 });
}
