import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/buildCli.mjs';
import { tempDir } from '../helpers.ts';

/*
 * What a `quanta run` loads before it runs anything: the entry's static import graph. A module
 * the CLI imports dynamically (the dbt export's Spark rewrites, which import polyglot's SQL
 * transpiler: ~130 MB of RSS and 0.2 s) must stay out of it — bundled inline, its imports were
 * hoisted to the top, and cold `quanta run daff` went from ~400 to ~490 MB (ARCHITECTURE,
 * "Speed work").
 */
let dir: string;
beforeAll(async () => {
  dir = await tempDir('cli-bundle');
  await buildCli(dir);
}, 120_000);

const STATIC_IMPORT = /^\s*import\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm;

/** Every specifier the bundle file `entry` loads at start-up, through the chunks it imports statically. */
async function startupImports(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const specifiers = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await fsp.readFile(nodePath.join(dir, file), 'utf8');
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) {
      if (specifier === undefined) continue;
      specifiers.add(specifier);
      if (specifier.startsWith('./')) await visit(specifier.slice(2));
    }
  };
  await visit(entry);
  return specifiers;
}

describe('the CLI bundle', () => {
  it('loads polyglot only in the chunk quanta export imports when it runs, not when the CLI starts', async () => {
    for (const entry of ['quanta.mjs', 'quantum.worker.mjs']) {
      const imports = await startupImports(entry);
      expect(imports.size).toBeGreaterThan(0);
      expect([...imports].filter((s) => s.startsWith('@polyglot-sql'))).toEqual([]);
    }
    const files = (await fsp.readdir(dir)).filter((f) => f.endsWith('.mjs'));
    const lazy = [];
    for (const file of files)
      if ((await fsp.readFile(nodePath.join(dir, file), 'utf8')).includes('from "@polyglot-sql/sdk"')) lazy.push(file);
    expect(lazy.length).toBeGreaterThan(0); // it is still bundled, as a chunk of its own
  });

  it("leaves no earlier build's chunks behind for npm pack to ship", async () => {
    await fsp.writeFile(nodePath.join(dir, 'chunk-EARLIER1.mjs'), 'export {};\n');
    await fsp.writeFile(nodePath.join(dir, 'chunk-EARLIER1.mjs.map'), '{}\n');
    await buildCli(dir);
    const files = await fsp.readdir(dir);
    expect(files.filter((f) => f.includes('EARLIER'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['quanta.mjs', 'quantum.worker.mjs', 'build.json']));
  }, 120_000);
});
