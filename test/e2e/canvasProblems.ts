import type { Page } from 'playwright-core';

/**
 * A product's run problem lines as the canvas's problem list shows them: the list is opened
 * for the reading and closed again, so it covers nothing the test clicks next. Empty when the
 * mesh has no problems (the list's button is not shown then).
 */
export async function runProblemLines(page: Page, productId: string): Promise<string[]> {
  const toggle = page.locator('.canvas-problems-toggle');
  if ((await toggle.count()) === 0) return [];
  const wasOpen = (await toggle.getAttribute('aria-expanded')) === 'true';
  if (!wasOpen) await toggle.click();
  const lines = await page.locator(`[data-testid="problem-group"][data-product-id="${productId}"] .run-problems li`).allInnerTexts();
  if (!wasOpen) await toggle.click();
  return lines;
}
