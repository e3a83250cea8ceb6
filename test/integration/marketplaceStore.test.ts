import { afterAll, describe, expect, it } from 'vitest';
import { addFeedbackChange } from '../../renderer/src/discovery/feedbackChange.ts';
import { liveReads, marketCards, runFactsOf } from '../../renderer/src/discovery/marketModel.ts';
import { productPageOf, sessionRuns } from '../../renderer/src/discovery/pageModel.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * The marketplace and the product page over the app store in Node, after a real run of daff
 * on DuckDB-WASM quanta: freshness badges and trust from the run, the page's versions, latest
 * check results and measured SLAs from the runtime, and feedback as an undoable, autosaved edit.
 */
afterAll(disposeDriverHosts);

describe('the marketplace over a running mesh', () => {
  it('shows what the run measured, and takes feedback through the store as an edit', { timeout: 240_000 }, async () => {
    const app = await StoreDriver.sample('daff', { autosaveMs: 60_000 });
    await app.runAll();
    const doc = app.doc();
    const run = app.runs();
    if (!run) throw new Error('daff did not run');
    const runtime = sessionRuns(app.state.queryTarget());
    if (!runtime) throw new Error('the query target is not a runtime');
    const facts = runFactsOf(doc.mesh, run.products, (product, port) => runtime.freshness(product, port));
    expect(facts.length).toBe(doc.mesh.products.length);
    const cards = marketCards(doc.mesh, '', {}, facts, { reads: liveReads(doc.mesh, run.log), ticks: 1 });
    expect(cards.every((c) => c.freshness.tone !== 'none')).toBe(true);
    expect(cards.filter((c) => c.freshness.tone === 'fresh' || c.freshness.tone === 'late').length).toBeGreaterThan(0);
    expect(cards.some((c) => c.whyRank.includes('checks'))).toBe(true);

    const page = productPageOf(doc.mesh, 'listener-registrations', runtime, facts);
    const port = page?.outputs[0];
    expect(port?.versions.map((v) => v.version)).toEqual([1]);
    expect(port?.quality.some((q) => q.latest?.passed === true)).toBe(true);

    // Feedback: an edit of the open document (unsaved until autosave), one undo away.
    const lowest = cards[cards.length - 1]?.id as string;
    const change = addFeedbackChange(doc, lowest, { team: 'finance-team', rating: 5, comment: 'Spot on' }, '2026-12-03');
    if ('refused' in change) throw new Error(change.refused);
    expect(app.state.change(change.change, change.label)).toBe(true);
    expect(app.state.saveState.status).toBe('unsaved');
    expect(app.text(`feedback/${lowest}.feedback.yaml`)).toContain('comment: "Spot on"');
    expect(productPageOf(app.doc().mesh, lowest, runtime, facts)?.feedback.entries[0]).toMatchObject({ team: 'finance-team', rating: 5 });
    app.state.undo();
    expect(productPageOf(app.doc().mesh, lowest, runtime, facts)?.feedback.entries.some((e) => e.comment === 'Spot on')).toBe(false);
  });
});
