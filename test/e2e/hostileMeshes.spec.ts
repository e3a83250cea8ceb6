import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipMesh } from '../../core/fs/zipMesh.ts';
import { addAttackProduct, addPolicy, makeArena, meshFiles, sqlString, yamlQuoted, type Arena } from '../security/hostileMesh.ts';
import { countingListener, type Listener } from '../security/probes.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';
import { runProblemLines } from './canvasProblems.ts';

/*
 * The hostile meshes of test/security/ in the web build, in Chromium: imported from a .zip as
 * a participant's mesh would be, then "Run all". DuckDB-WASM runs in a Web Worker, which the
 * page's CSP does not cover (a worker has its own), so the sandbox must refuse these itself.
 * The URLs lead to a listener on 127.0.0.1 that counts connections: the browser reaching it
 * at all would be a leak (the request path can carry data, whatever CORS does to the reply).
 */
const PRODUCT = '[data-testid="product-node"]';
const SANDBOX_DENIAL =
  /Permission Error|disabled (by|through)( a)? configuration|configuration has been locked|Cannot change .* setting while database is running|out of reach of a quantum/i;

let browser: Browser;
let listener: Listener;
let base: string;
beforeAll(async () => {
  browser = await launchChromium();
  listener = await countingListener();
  base = `http://127.0.0.1:${listener.port}`;
});
afterAll(async () => {
  await browser?.close();
  await listener?.close();
});

/** Imports the arena's mesh into the app from a .zip, as the start screen's "Import .zip" does. */
async function importMesh(page: Page, arena: Arena): Promise<void> {
  const zip = nodePath.join(arena.root, 'hostile.zip');
  await fsp.writeFile(zip, zipMesh(await meshFiles(arena), 'hostile-mesh'));
  await page.getByTestId('import-zip').setInputFiles(zip);
  await page.locator(`${PRODUCT}[data-product-id="orders"]`).waitFor({ timeout: 30_000 });
}

async function runAll(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Run all', exact: true });
  await button.click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await button.waitFor({ timeout: 90_000 });
}

async function rowOf(page: Page, id: string): Promise<{ status: string | null; problems: string }> {
  const row = page.locator(`${PRODUCT}[data-product-id="${id}"]`);
  return { status: await row.getAttribute('data-status'), problems: (await runProblemLines(page, id)).join('\n') };
}

/** Runs the mesh and asserts each of `ids` failed with QUANTA_E070, hello-mesh's own products published and nothing reached the listener. */
async function expectRefusedInTheBrowser(page: Page, arena: Arena, ids: readonly string[], screenshot: string): Promise<void> {
  const before = listener.connections();
  await importMesh(page, arena);
  await runAll(page);
  for (const id of ids) {
    const row = await rowOf(page, id);
    expect(row.status, `${id}: ${row.problems}`).toBe('failed');
    expect(row.problems, id).toMatch(/QUANTA_E070/);
    expect(row.problems, id).toMatch(SANDBOX_DENIAL);
  }
  expect((await rowOf(page, 'orders')).status).toBe('published');
  await saveScreenshot(page, screenshot);
  expect(listener.requests, 'requests that reached the listener').toEqual([]);
  expect(listener.connections() - before).toBe(0);
  expect(await page.content()).not.toContain(arena.token);
}

describe('hostile meshes in the web app (Chromium)', () => {
  it('refuses transforms that read files or URLs: each product failed with the sandbox message, no connection made', async () => {
    const arena = await makeArena('e2e-read');
    const reads = {
      'read-csv-absolute': `SELECT (SELECT first(secret) FROM read_csv(${sqlString(arena.secret)})) AS v`,
      'read-text-url': `SELECT (SELECT first(content) FROM read_text('${base}/secret.txt')) AS v`,
      'read-csv-url': `SELECT (SELECT count(*)::VARCHAR FROM read_csv('${base}/x.csv')) AS v`,
      'glob-outside': `SELECT (SELECT string_agg(file, ',') FROM glob(${sqlString(`${arena.outside}/*`)})) AS v`,
      'load-httpfs': `LOAD httpfs;\nSELECT 'ok' AS v`,
    };
    for (const [id, sql] of Object.entries(reads)) await addAttackProduct(arena, { id, sql });
    await withPage(browser, '', (page) => expectRefusedInTheBrowser(page, arena, Object.keys(reads), 'hostile-read'));
  }, 150_000);

  it('refuses transforms that write files: COPY, ATTACH, EXPORT DATABASE each failed with the sandbox message', async () => {
    const arena = await makeArena('e2e-write');
    const at = (name: string): string => sqlString(nodePath.join(arena.outside, name));
    const writes = {
      'copy-to-absolute': `COPY (SELECT 1 AS x) TO ${at('copied.csv')};\nSELECT 'ok' AS v`,
      'copy-to-url': `COPY (SELECT 1 AS x) TO '${base}/upload.csv';\nSELECT 'ok' AS v`,
      'attach-database-file': `ATTACH ${at('x.duckdb')} AS x;\nCREATE TABLE x.t AS SELECT 1 AS y;\nSELECT 'ok' AS v`,
      'export-database': `CREATE TABLE t AS SELECT 1 AS x;\nEXPORT DATABASE ${at('export')};\nSELECT 'ok' AS v`,
    };
    for (const [id, sql] of Object.entries(writes)) await addAttackProduct(arena, { id, sql });
    await withPage(browser, '', (page) => expectRefusedInTheBrowser(page, arena, Object.keys(writes), 'hostile-write'));
  }, 150_000);

  it('refuses a policy and a contract rule that break out of their one SELECT before they run; nothing of them reaches the network', async () => {
    const arena = await makeArena('e2e-breakout');
    const violation = "SELECT product_id, 'x' AS message FROM products";
    await addPolicy(
      arena,
      'closes-the-wrapper',
      `${violation}) AS v;\nSELECT * FROM read_csv('${base}/policy.csv');\nSELECT * FROM (${violation}`,
    );
    const rule = `SELECT 1) AS DOUBLE) AS value; SELECT * FROM read_csv('${base}/rule.csv'); SELECT CAST((SELECT 1`;
    await addAttackProduct(arena, {
      id: 'rule-closes-the-cast',
      sql: "SELECT 'ok' AS v",
      qualityYaml: ['- type: sql', `  query: ${yamlQuoted(rule)}`, '  mustBe: 1', '  severity: error'],
    });
    await withPage(browser, '', async (page) => {
      const before = listener.connections();
      await importMesh(page, arena);
      await page.getByRole('button', { name: 'Governance', exact: true }).click();
      const policy = page.locator('[data-testid="policy-result"][data-policy-id="closes-the-wrapper"]');
      await page
        .locator('[data-testid="policy-result"][data-policy-id="closes-the-wrapper"][data-status="error"]')
        .waitFor({ timeout: 60_000 });
      // The text closing the wrapper is not SQL on its own: the parser refuses it (E071, or as a syntax error).
      expect(await policy.innerText()).toMatch(/QUANTA_E071|Parser Error: syntax error/);
      await runAll(page);
      const row = await rowOf(page, 'rule-closes-the-cast');
      expect(row.status, row.problems).not.toBe('published');
      expect(row.problems).toMatch(/QUANTA_E071|Parser Error: syntax error|contract check failed/);
      await saveScreenshot(page, 'hostile-breakout');
      expect(listener.requests, 'requests that reached the listener').toEqual([]);
      expect(listener.connections() - before).toBe(0);
    });
  }, 150_000);
});
