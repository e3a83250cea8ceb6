import { promises as fsp, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { unzipMesh } from '../../core/fs/zipMesh.ts';
import { runCli } from '../../core/node/cli.ts';
import { REPO, tempDir } from '../helpers.ts';

/*
 * What the editor specs do again and again, done the way a user does it: make a new mesh,
 * run it, wait for the save, export it, scan the screen with axe-core.
 */
export const PRODUCT = '[data-testid="product-node"]';
export const DOMAIN = '[data-testid="domain-node"]';

export const productNode = (page: Page, id: string): Locator => page.locator(`${PRODUCT}[data-product-id="${id}"]`);

/** Makes a new mesh from the start screen and waits for its starter domain on the canvas. */
export async function newMesh(page: Page, title: string): Promise<void> {
  await page.getByPlaceholder('Name of a new mesh').fill(title);
  await page.getByRole('button', { name: 'New mesh' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  await page.locator(DOMAIN).first().waitFor();
}

/** Clicks Run all and waits until the pass is over (the button says Run all again). */
export async function runAll(page: Page, timeout = 120_000): Promise<void> {
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout });
}

/** Waits until the toolbar says every change is saved. */
export async function waitSaved(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved',
    undefined,
    { timeout },
  );
}

/** The open mesh as Export .zip gives it, unzipped into a new folder. */
export async function exportedMesh(page: Page, label: string): Promise<{ dir: string; paths: string[] }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .zip' }).click();
  const file = await (await download).path();
  const files = unzipMesh(new Uint8Array(await fsp.readFile(file)), 'mesh.zip');
  const dir = await tempDir(label);
  for (const [path, bytes] of files) {
    await fsp.mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
    await fsp.writeFile(nodePath.join(dir, path), bytes);
  }
  return { dir, paths: [...files.keys()].sort() };
}

/** `quanta validate <dir>`: its exit code and everything it printed. */
export async function quantaValidate(dir: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['validate', dir], { out: (t) => (out += t), err: (t) => (out += t), cwd: REPO });
  return { code, out };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations on the page as it is now, one line each (rule: targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface Results {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<Results> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
