import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import { LAYOUT_FILE } from '../load/readMeshFiles.ts';
import type { MeshFiles, NodePosition, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { EditError } from '../model/editError.ts';

/*
 * Node positions live in one mesh-root file, layout.yaml, so the standard files (ODPS,
 * ODCS) never carry editor state and a moved node touches one file only. The file is
 * Quanta's own, so it is written through the Document API (comments survive) in one
 * canonical shape: a flow mapping per product, `orders: { x: 120, y: 40 }`. Re-serializing a
 * file in that shape reproduces it, so moving one node is a one-line diff.
 */
const NEW_LAYOUT = `# Where the Quanta editor draws each data product. Quanta-only: the standard files stay free
# of editor state. Safe to delete; moving a node writes it again.
apiVersion: quanta/v1
kind: Layout
products: {}
`;

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

/** Sets the positions of products in layout.yaml, creating the file when the mesh has none. */
export function setPositions(files: MeshFiles, positions: ReadonlyMap<string, NodePosition>): FileMap {
  for (const [id, position] of positions) {
    if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) {
      throw new EditError(`the position of ${id} must be two finite numbers, got x=${position.x}, y=${position.y}`);
    }
  }
  return editLayout(files, (doc, products) => {
    for (const [id, position] of positions) {
      // Whole pixels: sub-pixel offsets from a drag only add noise to the file's history.
      const node = doc.createNode({ x: Math.round(position.x), y: Math.round(position.y) });
      node.flow = true;
      products.set(id, node);
    }
  });
}

/** Drops the positions of products that no longer exist; no file is created for that. */
export function removePositions(files: MeshFiles, productIds: readonly string[]): FileMap {
  const file = files.get(LAYOUT_FILE);
  const products = file && 'doc' in file ? file.doc?.get('products', true) : undefined;
  if (!isMap(products) || !productIds.some((id) => products.has(id))) return new Map(files);
  return editLayout(files, (_doc, map) => {
    for (const id of productIds) map.delete(id);
  });
}

function editLayout(files: MeshFiles, change: (doc: Document, products: YAMLMap) => void): FileMap {
  const existing = files.get(LAYOUT_FILE);
  let doc: Document;
  if (existing === undefined) {
    doc = parseDocument(NEW_LAYOUT);
  } else if (!('doc' in existing) || !existing.doc || existing.doc.errors.length > 0 || !isMap(existing.doc.contents)) {
    // Never overwrite what the user wrote, even in a file this unimportant.
    throw new EditError(`${LAYOUT_FILE} cannot be read, so node positions are not saved; fix the file or delete it`);
  } else {
    doc = existing.doc.clone();
  }
  let products = doc.get('products', true);
  if (products === undefined || (isScalar(products) && products.value === null)) {
    products = doc.createNode({});
    doc.set('products', products);
  }
  if (!isMap(products)) {
    throw new EditError(`"products" in ${LAYOUT_FILE} is not a mapping of product ids to positions; fix it or delete the file`);
  }
  products.flow = false;
  change(doc, products);
  const next = new Map(files);
  next.set(LAYOUT_FILE, parseYaml(LAYOUT_FILE, doc.toString({ lineWidth: 0 })));
  return next;
}
