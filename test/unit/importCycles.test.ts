import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * What the lint rule (import-x/no-cycle) does not see: it skips type-only imports and knows
 * nothing of folders. This reads every relative import of the sources (type-only ones
 * included) and asks for no cycle between files, and none between the folders of core/,
 * renderer/src/, workers/ and electron/ (core/load ↔ core/governance and core/edits ↔ core/blueprints were
 * the last). A cycle is printed with the imports that close it.
 */

const REPO = nodePath.resolve(import.meta.dirname, '..', '..');
const ROOTS = ['core', 'renderer/src', 'workers', 'electron'] as const;
// `import … from`, `export … from`, `import './x'` and `import('./x')`: a dynamic import does not hide a cycle.
const IMPORT = /(?:(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+|(?:^|\n)\s*import\s+|\bimport\(\s*)'(\.[^']+)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = nodePath.join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = ROOTS.flatMap((root) => sources(nodePath.join(REPO, root)));
const known = new Set(files);
const rel = (path: string): string => nodePath.relative(REPO, path);
const imports = new Map(
  files.map((file) => {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((m) => nodePath.resolve(nodePath.dirname(file), m[1] ?? ''))
      .filter((target) => known.has(target) && existsSync(target));
    return [file, targets] as const;
  }),
);

/** Cycles of a graph (Tarjan's strongly connected components of more than one node, or a self-loop). */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let top: string | undefined;
    do {
      top = stack.pop();
      if (top !== undefined) component.push(top);
    } while (top !== undefined && top !== node);
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** `core/load`, `workers/quantum`, `electron` (a file at a root's top belongs to the root). */
function folderOf(file: string): string {
  const path = rel(file);
  const root = ROOTS.find((r) => path.startsWith(`${r}/`)) ?? '';
  const rest = path.slice(root.length + 1).split('/');
  return rest.length > 1 ? `${root}/${rest[0] ?? ''}` : root;
}

describe('the sources have no import cycles', () => {
  it('between files, type-only imports included', () => {
    expect(cycles(imports).map((c) => c.map(rel))).toEqual([]);
  });

  it('between the folders of core/, renderer/src/, workers/ and electron/', () => {
    const folders = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const [file, targets] of imports) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to === from) continue;
        folders.set(from, (folders.get(from) ?? new Set()).add(to));
        why.set(`${from} ${to}`, `${rel(file)} → ${rel(target)}`);
      }
    }
    const graph = new Map([...folders].map(([from, to]) => [from, [...to]] as const));
    const explained = cycles(graph).map((c) =>
      c.flatMap((from) => c.flatMap((to) => (why.has(`${from} ${to}`) ? [why.get(`${from} ${to}`)] : []))),
    );
    expect(explained).toEqual([]);
  });

  it('finds a cycle when there is one (the finder itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['self', ['self']]]))).toEqual([['self']]);
  });
});
