import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../core/export/openLineage.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * What the run log's Download OpenLineage saves, through the app store on the in-process host
 * (test/e2e/openLineage.spec.ts downloads it in Chromium and checks it against the official
 * schema): Run all, Run one, Tick ×N and a scenario's setup are all recorded, each product run
 * as a START and its end; Reset forgets them. The run after an edit is described by the edit.
 */
afterAll(disposeDriverHosts);

type Event = {
  eventType: string;
  run: { runId: string; facets?: { errorMessage?: { message: string } } };
  job: { name: string; facets: { sql?: { query: string } } };
};

function asEvents(events: readonly RunEvent[]): Event[] {
  return events as unknown as Event[];
}

function expectPairs(events: readonly Event[]): void {
  const byRun = new Map<string, string[]>();
  for (const e of events) byRun.set(e.run.runId, [...(byRun.get(e.run.runId) ?? []), e.eventType]);
  for (const [runId, types] of byRun) expect(types, runId).toEqual(['START', expect.stringMatching(/^(COMPLETE|FAIL|ABORT)$/)]);
}

const SCENARIO = 'scenarios/renamed-amount.scenario.yaml';
const TRANSFORM = 'domains/sales/orders/transform.sql';
const scenario = `apiVersion: quanta/v1
kind: Scenario
id: renamed-amount
title: The shop renames a column
principle: incident
minutes: 10
briefing: The shop's export now calls the amount column \`amount\`.
setup:
  - fault: { kind: renameColumn, product: orders, table: orders_csv, column: amount_eur, to: amount }
  - run: all
steps:
  - title: Orders publishes again
    goals:
      - kind: status
        product: orders
        is: published
`;

describe('the OpenLineage events of an app session', () => {
  it('records Run all, Run one and Tick ×2 as START and COMPLETE pairs, and forgets them on Reset', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    expect(app.state.hasOpenLineage()).toBe(false);
    expect(app.state.openLineageEvents()).toEqual([]);

    await app.state.runDocument();
    const afterRunAll = asEvents(app.state.openLineageEvents());
    expect(app.state.hasOpenLineage()).toBe(true);
    expect(afterRunAll.map((e) => `${e.job.name} ${e.eventType}`).sort()).toEqual(
      ['daily-revenue COMPLETE', 'daily-revenue START', 'orders COMPLETE', 'orders START'].sort(),
    );

    await app.state.runProduct('orders');
    await app.state.tickDocument(2);
    const all = asEvents(app.state.openLineageEvents());
    expectPairs(all);
    expect(all.slice(0, afterRunAll.length)).toEqual(afterRunAll);
    // Run all, Run one, then whatever the two ticks had due.
    expect(all.filter((e) => e.job.name === 'orders' && e.eventType === 'COMPLETE').length).toBeGreaterThanOrEqual(2);
    const runLogRuns = (app.runs()?.log ?? []).filter((entry) => entry.run !== undefined && entry.run.skipped === undefined).length;
    expect(all.filter((e) => e.eventType !== 'START')).toHaveLength(runLogRuns);

    app.state.resetRuns();
    expect(app.state.hasOpenLineage()).toBe(false);
    expect(app.state.openLineageEvents()).toEqual([]);
  });

  it("records a scenario's setup run (orders FAIL with the fault's error) and the run after the fix (the edited transform)", async () => {
    const app = await StoreDriver.sample('hello-mesh', { scenarioDelayMs: 10 });
    app.write(SCENARIO, scenario);
    await app.state.startScenario('renamed-amount');
    await app.until((s) => !s.scenario?.evaluating && (s.scenario?.state?.goals.length ?? 0) > 0);
    const setup = asEvents(app.state.openLineageEvents());
    expectPairs(setup);
    const failed = setup.find((e) => e.job.name === 'orders' && e.eventType === 'FAIL');
    expect(failed?.run.facets?.errorMessage?.message).toMatch(/amount_eur/);

    app.replace(TRANSFORM, 'CAST(amount_eur AS', 'CAST(amount AS');
    await app.runAll();
    const after = asEvents(app.state.openLineageEvents());
    expectPairs(after);
    const fixed = after.filter((e) => e.job.name === 'orders' && e.eventType === 'COMPLETE').at(-1);
    expect(fixed?.job.facets.sql?.query).toContain('CAST(amount AS');
    expect(setup.find((e) => e.job.name === 'orders')?.job.facets.sql?.query).toContain('CAST(amount_eur AS');
  });
});
