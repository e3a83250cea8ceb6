import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../core/node/cli.ts';
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

/** What the bundle file `entry` loads at start-up: the chunks it imports statically (itself included) and every specifier they import. */
async function startup(entry: string): Promise<{ files: Set<string>; specifiers: Set<string> }> {
  const files = new Set<string>();
  const specifiers = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (files.has(file)) return;
    files.add(file);
    const text = await fsp.readFile(nodePath.join(dir, file), 'utf8');
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) {
      if (specifier === undefined) continue;
      specifiers.add(specifier);
      if (specifier.startsWith('./')) await visit(specifier.slice(2));
    }
  };
  await visit(entry);
  return { files, specifiers };
}

async function startupImports(entry: string): Promise<Set<string>> {
  return (await startup(entry)).specifiers;
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

  it('loads each command when it runs: none is in what the CLI loads at start-up, and each is in a chunk', async () => {
    const { files } = await startup('quanta.mjs');
    const atStart = (await Promise.all([...files].map((f) => fsp.readFile(nodePath.join(dir, f), 'utf8')))).join('\n');
    const all = (
      await Promise.all((await fsp.readdir(dir)).filter((f) => f.endsWith('.mjs')).map((f) => fsp.readFile(nodePath.join(dir, f), 'utf8')))
    ).join('\n');
    // esbuild marks each module's code in the bundle with a comment naming its source file.
    for (const command of ['docs', 'importDbt', 'discover', 'run', 'scenario', 'validate']) {
      const marker = `// core/node/commands/${command}.ts`;
      expect(atStart.includes(marker), marker).toBe(false);
      expect(all.includes(marker), marker).toBe(true);
    }
  });

  it('names each lazily loaded command as the module it loads names itself', async () => {
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
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
