import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { USAGE_SUFFIX } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { MeshFiles, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';

/*
 * `quanta run --record-usage` (issue 16): a run's reads added to usage/<product>.usage.yaml, so
 * the ranking learns from runs. Counts are added, never replaced; an existing file is changed
 * through the Document API (comments and the other fields stay) and one that cannot be read is
 * left alone with an EditError, never overwritten.
 */

export interface PortReads {
  /** The product whose output port was read. */
  readonly product: string;
  readonly port: string;
  readonly reads: number;
}

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

export function usagePath(product: string): string {
  return `usage/${product}${USAGE_SUFFIX}`;
}

/**
 * The files with `reads` added to each product's usage file (created when absent) and `ticks`
 * added to its ticks; `changed` lists the files written, in order.
 */
export function recordUsage(files: MeshFiles, reads: readonly PortReads[], ticks: number): { files: FileMap; changed: string[] } {
  if (!Number.isSafeInteger(ticks) || ticks < 1) throw new EditError(`a run covers a whole number of ticks ≥ 1, not ${String(ticks)}`);
  const byProduct = new Map<string, Map<string, number>>();
  for (const r of reads) {
    if (!Number.isSafeInteger(r.reads) || r.reads < 0) throw new EditError(`reads of ${r.product}.${r.port} must be a whole number ≥ 0`);
    const ports = byProduct.get(r.product) ?? new Map<string, number>();
    ports.set(r.port, (ports.get(r.port) ?? 0) + r.reads);
    byProduct.set(r.product, ports);
  }
  const next = new Map(files);
  const changed: string[] = [];
  for (const [product, ports] of [...byProduct].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = usagePath(product);
    const existing = files.get(path);
    const doc = existing === undefined ? parseDocument(newFile(product)) : documentOf(existing, path);
    add(doc, ports, ticks, path);
    next.set(path, parseYaml(path, doc.toString({ lineWidth: 0 })));
    changed.push(path);
  }
  return { files: next, changed };
}

function newFile(product: string): string {
  return `# Counted use of ${product} (docs/discovery.md): reads by consumer products' runs, added by
# quanta run --record-usage, and persona queries; over \`ticks\` simulated ticks.
apiVersion: quanta/v1
kind: Usage
product: ${product}
ticks: 0
ports: []
`;
}

function documentOf(file: YamlSourceFile | TextSourceFile, path: string): Document {
  if (!('doc' in file) || !file.doc || file.diagnostics.length > 0 || !isMap(file.doc.contents))
    throw new EditError(
      `${path} cannot be read, so this run's reads are not added to it; fix the file first (quanta validate shows where)`,
    );
  const ticks = asFields(file.value)['ticks'];
  if (typeof ticks !== 'number' || !Number.isSafeInteger(ticks) || ticks < 0)
    throw new EditError(`${path} has no whole number of ticks, so this run's reads are not added to it; fix the file first`);
  return file.doc.clone();
}

function add(doc: Document, ports: ReadonlyMap<string, number>, ticks: number, path: string): void {
  const raw = asFields(doc.toJS());
  doc.set('ticks', capped(Number(raw['ticks'] ?? 0) + ticks, path));
  let list = doc.get('ports', true);
  if (!isSeq(list)) {
    list = doc.createNode([]);
    doc.set('ports', list);
  }
  if (!isSeq(list)) return;
  // A list written `ports: []` is flow style; entries added to it read better as a block list.
  if (list.items.length === 0) list.flow = false;
  const listed = asList(raw['ports']).map((p) => asString(asFields(p)['port']));
  for (const [port, reads] of [...ports].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const index = listed.indexOf(port);
    if (index < 0) {
      list.add(doc.createNode({ port, reads }));
      listed.push(port);
      continue;
    }
    const before = asFields(asList(raw['ports'])[index])['reads'];
    doc.setIn(['ports', index, 'reads'], capped((typeof before === 'number' ? before : 0) + reads, path));
  }
}

function capped(n: number, path: string): number {
  if (!Number.isSafeInteger(n)) throw new EditError(`the counts of ${path} would pass ${Number.MAX_SAFE_INTEGER}; start a new period`);
  return n;
}
