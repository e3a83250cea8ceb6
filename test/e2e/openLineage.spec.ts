import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample } from '../helpers.ts';
import { BASE_URL, launchChromium, SCREENSHOT_DIR, withPage } from './browser.ts';
import { SIZES, THEMES, themedContext } from './screenTour.ts';
import { openLineageValidators } from '../support/openLineageSchemas.ts';

/*
 * "Download OpenLineage" in the app's run log (issue 17): daff runs in the browser (Run all,
 * then Tick ×1), the downloaded `<mesh>-openlineage.jsonl` is read from disk and every event
 * is validated against the official OpenLineage 2-0-2 JSON Schema and each facet against its
 * own (../shared/standards/openlineage, the ajv 2020 setup of test/integration/openLineage.test.ts).
 * Every product run has a START and a COMPLETE (or FAIL / ABORT), every product that published
 * in the app has its COMPLETE, and the columnLineage facet shows polyglot's wasm ran in the page.
 */
const PRODUCT = '[data-testid="product-node"]';
const DOWNLOAD = 'Download OpenLineage';

type Event = {
  eventType: string;
  producer: string;
  run: { runId: string };
  job: { name: string; namespace: string };
  outputs: { name: string; facets: Record<string, { _schemaURL: string }> }[];
};

let browser: Browser;
let validateEvent: (value: unknown) => string[];
let validateFacet: (schemaUrl: string, value: unknown) => string[] | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  ({ validateEvent, validateFacet } = await openLineageValidators());
});
afterAll(async () => {
  await browser?.close();
});

async function runAll(page: Page, timeoutMs: number): Promise<void> {
  const button = page.getByRole('button', { name: 'Run all', exact: true });
  await button.click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await button.waitFor({ timeout: timeoutMs });
}

/** Clicks `trigger`, waits for the download and returns its file name and its events. */
async function downloaded(page: Page, trigger: () => Promise<void>): Promise<{ name: string; events: Event[] }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), trigger()]);
  const path = await download.path();
  const text = await fsp.readFile(path, 'utf8');
  return {
    name: download.suggestedFilename(),
    events: text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event),
  };
}

function problemsOf(events: readonly Event[]): { problems: string[]; facetsChecked: Set<string> } {
  const problems = events.flatMap((e, i) => validateEvent(e).map((p) => `event ${i} (${e.eventType} ${e.job.name}): ${p}`));
  const facetsChecked = new Set<string>();
  for (const event of events)
    for (const facet of event.outputs.flatMap((o) => Object.values(o.facets))) {
      const found = validateFacet(facet._schemaURL, facet);
      if (found === undefined) continue;
      facetsChecked.add(facet._schemaURL.split('#')[0] ?? '');
      problems.push(...found.map((p) => `${event.job.name} ${facet._schemaURL}: ${p}`));
    }
  return { problems, facetsChecked };
}

function byRun(events: readonly Event[]): Map<string, Event[]> {
  const runs = new Map<string, Event[]>();
  for (const e of events) runs.set(e.run.runId, [...(runs.get(e.run.runId) ?? []), e]);
  return runs;
}

describe('Download OpenLineage from the run log', () => {
  it('saves daff runs (Run all, then Tick ×1) as OpenLineage events that all validate, START and COMPLETE per product run', async () => {
    const { mesh } = await loadSample('daff');
    await withPage(browser, '?sample=daff', async (page) => {
      await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
      const button = page.getByRole('button', { name: DOWNLOAD });
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toMatch(/nothing has run yet/);

      await runAll(page, 300_000);
      expect(await button.isEnabled()).toBe(true);
      const published = await page.$$eval(`${PRODUCT}[data-status="published"]`, (rows) =>
        rows.map((row) => (row as HTMLElement).dataset.productId ?? ''),
      );
      expect(published.length).toBeGreaterThan(0);
      const first = await downloaded(page, () => button.click());
      expect(first.name).toBe(`${mesh.manifest?.name ?? 'daff'}-openlineage.jsonl`);
      await expect.poll(() => page.getByText(/^Saved \d+ OpenLineage events to /).count()).toBe(1);

      const { problems, facetsChecked } = problemsOf(first.events);
      expect(problems).toEqual([]);
      // Schema, data quality, version, ownership and column lineage at least (documentation where a port has a description).
      expect(facetsChecked.size).toBeGreaterThanOrEqual(5);
      for (const [runId, pair] of byRun(first.events))
        expect(
          pair.map((e) => e.eventType),
          runId,
        ).toEqual(['START', expect.stringMatching(/^(COMPLETE|FAIL|ABORT)$/)]);
      // One pair per product of Run all; the products the canvas shows published end in COMPLETE.
      expect(new Set(first.events.map((e) => e.job.name))).toEqual(new Set(mesh.products.map((p) => p.id)));
      for (const id of published)
        expect(
          first.events.filter((e) => e.job.name === id).map((e) => e.eventType),
          id,
        ).toEqual(['START', 'COMPLETE']);
      expect(new Set(first.events.map((e) => e.producer))).toEqual(new Set(['urn:quanta:app']));
      // polyglot's wasm ran in the page: the transforms' column lineage is there.
      const lineage = first.events.flatMap((e) => e.outputs).filter((o) => o.facets['columnLineage'] !== undefined);
      expect(lineage.length).toBeGreaterThan(0);

      // A tick is recorded too; the palette's command saves the session so far.
      await page.getByRole('button', { name: 'Tick ×1' }).click();
      await page.getByText(/^Clock advanced to tick 1 /).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByRole('button', { name: 'Tick ×1' }).isEnabled(), { timeout: 300_000 }).toBe(true);
      const second = await downloaded(page, async () => {
        await page.keyboard.press('Control+K');
        await page.getByRole('dialog').getByRole('combobox').fill('Download OpenLineage');
        await page.keyboard.press('Enter');
      });
      expect(second.events.slice(0, first.events.length)).toEqual(first.events);
      expect(second.events.length).toBeGreaterThan(first.events.length);
      expect(problemsOf(second.events).problems).toEqual([]);
      for (const [runId, pair] of byRun(second.events))
        expect(
          pair.map((e) => e.eventType),
          runId,
        ).toEqual(['START', expect.stringMatching(/^(COMPLETE|FAIL|ABORT)$/)]);
    });
  }, 900_000);

  it('shows the button in the run log at 1280×720 and 1920×1080 in both themes', async () => {
    await fsp.mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const theme of THEMES) {
      for (const size of SIZES) {
        const context = await themedContext(browser, theme, size);
        try {
          const page = await context.newPage();
          await page.goto(new URL('?sample=hello-mesh', BASE_URL).href);
          await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
          await runAll(page, 120_000);
          const button = page.getByRole('button', { name: DOWNLOAD });
          await button.waitFor();
          expect(await button.isVisible()).toBe(true);
          await page.waitForTimeout(400);
          const name = `openlineage-run-log-${theme}-${size.width}x${size.height}`;
          await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `${name}.png`) });
          // And with what the click saved, in the log's status line.
          await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), button.click()]);
          await page.getByText(/^Saved \d+ OpenLineage events to hello-mesh-openlineage\.jsonl$/).waitFor();
          await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `${name}-saved.png`) });
        } finally {
          await context.close();
        }
      }
    }
  }, 600_000);
});
