import { isMap, isSeq, type Document } from 'yaml';
import { joinPath } from '../fs/meshFileSystem.ts';
import { PRODUCT_FILE } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import type { MeshFiles, TextSourceFile } from '../model/types.ts';
import { deleteInText, setInText } from '../yaml/patchYaml.ts';
import { parseYaml, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';

/**
 * Edits are data: each is a plain object applied by a pure function that returns a new
 * file map and leaves the old one untouched. Unchanged files keep their identity, so undo is
 * keeping the previous map, and saving writes only the files whose text changed.
 * YAML edits go through the yaml Document API, so comments, key order and fields Quanta
 * does not know survive.
 */
export type MeshEdit =
  | { readonly kind: 'setField'; readonly file: string; readonly path: YamlPath; readonly value: unknown }
  | { readonly kind: 'deleteField'; readonly file: string; readonly path: YamlPath }
  | { readonly kind: 'setText'; readonly file: string; readonly text: string }
  | { readonly kind: 'deleteFile'; readonly file: string }
  | {
      readonly kind: 'addInputPort';
      readonly productDir: string;
      readonly port: { readonly name: string; readonly contractId: string; readonly version: string };
    };

export function applyEdit(files: MeshFiles, edit: MeshEdit): Map<string, YamlSourceFile | TextSourceFile> {
  const next = new Map(files);
  switch (edit.kind) {
    case 'setField':
      next.set(
        edit.file,
        editYaml(
          files,
          edit.file,
          (doc) => doc.setIn(edit.path, doc.createNode(edit.value)),
          (text, parsed) => setInText(text, edit.path, edit.value, parsed),
        ),
      );
      return next;
    case 'deleteField':
      next.set(
        edit.file,
        editYaml(
          files,
          edit.file,
          (doc) => {
            doc.deleteIn(edit.path);
          },
          (text, parsed) => deleteInText(text, edit.path, parsed),
        ),
      );
      return next;
    case 'setText':
      next.set(edit.file, isYamlPath(edit.file) ? parseYaml(edit.file, edit.text) : { path: edit.file, text: edit.text });
      return next;
    case 'deleteFile':
      next.delete(edit.file);
      return next;
    case 'addInputPort': {
      const file = joinPath(edit.productDir, PRODUCT_FILE);
      const port = { name: edit.port.name, contractId: edit.port.contractId, version: edit.port.version };
      next.set(
        file,
        editYaml(
          files,
          file,
          (doc) => {
            const ports = doc.get('inputPorts', true);
            if (isSeq(ports)) ports.add(doc.createNode(port));
            else doc.set('inputPorts', doc.createNode([port]));
          },
          (text, parsed) => {
            const existing = parsed.get('inputPorts', true);
            const count = isSeq(existing) ? existing.items.length : 0;
            return count > 0 ? setInText(text, ['inputPorts', count], port, parsed) : setInText(text, ['inputPorts'], [port], parsed);
          },
        ),
      );
      return next;
    }
  }
}

export function applyEdits(files: MeshFiles, edits: readonly MeshEdit[]): Map<string, YamlSourceFile | TextSourceFile> {
  let current: MeshFiles = files;
  for (const edit of edits) current = applyEdit(current, edit);
  return new Map(current);
}

/**
 * Applies a change to a YAML file: first as a text splice that touches only the edited
 * value (a minimal git diff); the splice is kept only if it parses to exactly what the
 * Document API edit gives, otherwise the Document API's output is used.
 */
function editYaml(
  files: MeshFiles,
  path: string,
  change: (doc: Document) => void,
  splice: (text: string, parsed: Document.Parsed) => string | undefined,
): YamlSourceFile {
  const file = files.get(path);
  if (!file || !('doc' in file)) throw new EditError(`${path} is not a loaded YAML file`);
  if (!file.doc || file.doc.errors.length > 0 || !isMap(file.doc.contents)) {
    throw new EditError(`${path} has syntax errors; fix them (or edit the text) before editing fields`);
  }
  const spliced = splice(file.text, file.doc);
  const doc = file.doc.clone();
  change(doc);
  const expected: unknown = doc.toJS();
  if (spliced !== undefined) {
    const candidate = parseYaml(path, spliced);
    if (candidate.diagnostics.length === 0 && deepEqual(candidate.value, expected)) return candidate;
  }
  // Re-parse the new text so positions and diagnostics describe exactly what will be saved.
  return parseYaml(path, doc.toString());
}

/** Structural equality of plain YAML values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function isYamlPath(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}
