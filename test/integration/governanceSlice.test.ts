import { afterAll, describe, expect, it } from 'vitest';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * The app's policy path in Node: the store's governance slice evaluates the open mesh's
 * policies through core's policy gate after every edit and run, and the runtime refuses a
 * publish its blocking violations forbid — what `quanta run` does with the same gate.
 */
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const CLASSIFIED = '        classification: personal\n';
afterAll(disposeDriverHosts);

const governedHello = () => StoreDriver.sample('hello-mesh', { quanta: 2, policies: { delayMs: 10 } });

describe('governance in the app store', () => {
  it('evaluates the open mesh, again after an edit, and a blocking violation refuses the publish', async () => {
    const app = await governedHello();
    const first = await app.governed();
    expect(first.governance.report?.blocking).toBe(0);

    app.replace(CONTRACT, CLASSIFIED, '');
    const violated = await app.governed((report) => report.blocking > 0);
    const policy = violated.governance.report?.policies.find((p) => p.id === 'personal-data-classified');
    expect(policy?.violations.map((v) => [v.product, v.column])).toEqual([['orders', 'customer_email']]);

    await app.runAll();
    expect(app.product('orders')?.status).toBe('refused');
    expect(app.product('orders')?.last?.checks.find((c) => c.id === 'policy:personal-data-classified')?.passed).toBe(false);
  });

  it('evaluates a what-if draft apart from the saved mesh, which keeps deciding publishes', async () => {
    const app = await governedHello();
    await app.governed();
    app.state.startDraft();
    // Edits go to the draft while it is open.
    app.replace(CONTRACT, CLASSIFIED, '');
    expect(app.doc().files.get(CONTRACT)?.text).toContain(CLASSIFIED);
    const state = await app.until((s) => (s.draftGovernance?.report?.blocking ?? 0) > 0 && !s.draftGovernance?.evaluating);
    expect(state.governance.report?.blocking).toBe(0);
    await app.runAll();
    expect(app.product('orders')?.status).toBe('published');
    // Discarded: nothing to compare any more.
    app.state.discardDraft();
    expect(app.state.draftGovernance).toBeUndefined();
  });
});
