import { promises as fsp } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';

import { cases, DAILY_REVENUE, ORDERS_SETTINGS } from './badInputCases.ts';

/*
 * The bad-input corpus: every folder of test/fixtures/broken/ is hello-mesh broken in exactly
 * one way (see its README.md). Each must load without throwing and give exactly one error,
 * with the right code, at the file, line and column of the offending key or value, and a
 * message that names the offending thing. Positions were read off the fixture files.
 */

const HERE = nodePath.dirname(fileURLToPath(import.meta.url));
const BROKEN = nodePath.resolve(HERE, '../fixtures/broken');

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** `file:line:col code message` per diagnostic, so a failure shows everything the loader said. */
function describeAll(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.severity}: ${d.message}`);
}

async function fixtureFolders(): Promise<string[]> {
  const entries = await fsp.readdir(BROKEN, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe('bad input corpus', () => {
  for (const c of cases) {
    it(`reports ${c.code} at ${c.file}:${c.line}:${c.column} for ${c.what}`, { timeout: 10_000 }, async () => {
      const loading = loadMesh(new NodeFileSystem(nodePath.join(BROKEN, c.fixture)));
      await expect(loading, 'loadMesh never throws').resolves.toBeDefined();
      const { diagnostics } = await loading;

      // One comparison, so a failure shows every error the loader reported: count, place and message.
      const errors = errorsOf(diagnostics).map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column, message: d.message }));
      expect(errors).toEqual([
        {
          code: c.code,
          file: c.file,
          line: c.line,
          column: c.column,
          message: c.message ? expect.stringMatching(c.message) : expect.any(String),
        },
      ]);
    });
  }

  it('holds at least 24 cases, one fixture each', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
    const fixtures = cases.map((c) => c.fixture);
    expect(new Set(fixtures).size).toBe(fixtures.length);
  });

  it('has a case for every fixture folder and a folder for every case', async () => {
    const folders = await fixtureFolders();
    expect(folders).toEqual(cases.map((c) => c.fixture).sort());
    for (const folder of folders) expect(folder).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('describes every fixture in README.md', async () => {
    const readme = await fsp.readFile(nodePath.join(BROKEN, 'README.md'), 'utf8');
    const missing = (await fixtureFolders()).filter((folder) => !readme.includes(`\`${folder}\``));
    expect(missing).toEqual([]);
  });

  it('keeps the binary fixtures binary (no editor or tool has "repaired" them)', async () => {
    const garbage = await fsp.readFile(nodePath.join(BROKEN, 'binary-garbage-product-file', DAILY_REVENUE));
    expect(garbage.includes(0)).toBe(true);
    const latin1 = await fsp.readFile(nodePath.join(BROKEN, 'invalid-utf8', DAILY_REVENUE));
    expect(latin1.includes(0xe9)).toBe(true);
  });
});

describe('seed files behind symlinks', () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const dir of temps) await fsp.rm(dir, { recursive: true, force: true });
  });

  /**
   * A valid mesh under os.tmpdir(): a copy of the seed-file-missing fixture with its one break
   * undone. Built from the committed fixture, not from sample-meshes/, so edits to the sample
   * cannot move the positions expected here.
   */
  async function validCopy(): Promise<string> {
    const dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'quanta-bad-input-'));
    temps.push(dir);
    const mesh = nodePath.join(dir, 'mesh');
    await fsp.cp(nodePath.join(BROKEN, 'seed-file-missing'), mesh, { recursive: true });
    const settings = nodePath.join(mesh, ORDERS_SETTINGS);
    const text = await fsp.readFile(settings, 'utf8');
    await fsp.writeFile(settings, text.replace('file: data/order.csv', 'file: data/orders.csv'));
    return mesh;
  }

  it('starts from a fixture that is valid once its one break is undone', async () => {
    const { diagnostics } = await loadMesh(new NodeFileSystem(await validCopy()));
    expect(describeAll(diagnostics)).toEqual([]);
  });

  // Creating symlinks on Windows needs extra privileges; the check itself is platform-independent.
  it.skipIf(process.platform === 'win32')(
    `reports QUANTA_E031 at ${ORDERS_SETTINGS}:7:11 for a seed file that is a symlink to /etc/passwd`,
    async () => {
      const mesh = await validCopy();
      const seed = nodePath.join(mesh, 'domains/sales/orders/data/orders.csv');
      await fsp.rm(seed);
      await fsp.symlink('/etc/passwd', seed);

      const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));

      const errors = errorsOf(diagnostics);
      expect(describeAll(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'QUANTA_E031', file: ORDERS_SETTINGS, line: 7, column: 11 });
      expect(errors[0]?.message).toMatch(/"data\/orders\.csv"/);
    },
  );

  it.skipIf(process.platform === 'win32')(
    `reports QUANTA_E031 at ${ORDERS_SETTINGS}:7:11 for a data folder that is a symlink out of the mesh`,
    async () => {
      const mesh = await validCopy();
      const outside = nodePath.join(nodePath.dirname(mesh), 'outside');
      const data = nodePath.join(mesh, 'domains/sales/orders/data');
      await fsp.rename(data, outside);
      await fsp.symlink(outside, data, 'dir');

      const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));

      const errors = errorsOf(diagnostics);
      expect(describeAll(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'QUANTA_E031', file: ORDERS_SETTINGS, line: 7, column: 11 });
      expect(errors[0]?.message).toMatch(/"data\/orders\.csv"/);
    },
  );
});
