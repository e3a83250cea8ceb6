import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.ts';
import type { DataProduct } from '../model/types.ts';
import type { YamlPath } from '../yaml/sourceFile.ts';

interface Reference {
  readonly to: string;
  readonly file: string;
  readonly path: YamlPath;
}

/**
 * Generated sources that reference each other in a loop (A's column is a foreign key into
 * B, B's into A) cannot be generated: each waits for the other. The run finds this when it
 * generates; validation finds it first (QUANTA_E059), at the reference that closes the loop.
 * Within one product a reference must name an earlier source (QUANTA_E034), so every loop
 * crosses products. Iterative depth-first search: linear, and no recursion to overflow.
 */
export function checkGeneratorCycles(
  products: readonly DataProduct[],
  at: (path: string, yamlPath: YamlPath) => SourcePosition,
): Diagnostic[] {
  const edges = new Map<string, Reference[]>();
  for (const product of products) {
    const settings = product.settings;
    if (!settings) continue;
    for (const source of settings.sources) {
      source.generator?.columns.forEach((column, columnIndex) => {
        if (column.type !== 'reference' || column.references === undefined) return;
        const match = /^(?:([^/]+)\/)?([^.]+)\./.exec(column.references);
        if (!match) return;
        const to = `${match[1] ?? product.id}/${match[2] ?? ''}`;
        const from = `${product.id}/${source.name}`;
        const list = edges.get(from) ?? [];
        list.push({ to, file: settings.file, path: ['sources', source.index, 'generator', 'columns', columnIndex, 'references'] });
        edges.set(from, list);
      });
    }
  }

  const out: Diagnostic[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    // The path from `start` to the current node, each with the index of its next edge.
    const path: { node: string; next: number; via?: Reference }[] = [{ node: start, next: 0 }];
    state.set(start, 'open');
    while (path.length > 0) {
      const top = path[path.length - 1] as (typeof path)[number];
      const reference = edges.get(top.node)?.[top.next];
      if (!reference) {
        state.set(top.node, 'done');
        path.pop();
        continue;
      }
      top.next++;
      const seen = state.get(reference.to);
      if (seen === undefined) {
        state.set(reference.to, 'open');
        path.push({ node: reference.to, next: 0, via: reference });
      } else if (seen === 'open') {
        const from = path.findIndex((p) => p.node === reference.to);
        const loop = [...path.slice(from).map((p) => p.node), reference.to];
        out.push(
          diagnostic(
            'QUANTA_E059',
            at(reference.file, reference.path),
            `generated sources reference each other in a loop: ${loop.join(' → ')}, so none of them can be generated first`,
          ),
        );
      }
    }
  }
  return out;
}
