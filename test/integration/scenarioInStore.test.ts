import { afterAll, describe, expect, it } from 'vitest';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * A scenario played in the app (issue 13 item 4): the store is the engine's host, so the
 * setup's fault is the Faults tab's, its run the Run button's, and a participant's fix in the
 * inspector is judged by the goals after the edit and the run. Reset puts the files back byte
 * for byte and forgets the runs.
 */
afterAll(disposeDriverHosts);

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
      - kind: status
        product: daily-revenue
        is: published
    hints:
      - The Transform tab of orders reads amount_eur.
      - Read amount instead.
    solution:
      - edit: { kind: setText, file: ${TRANSFORM}, text: "SELECT order_id, CAST(ordered_at AS TIMESTAMP) AS ordered_at, lower(customer_email) AS customer_email, CAST(amount AS DECIMAL(10, 2)) AS amount_eur FROM orders_csv" }
`;

describe('a scenario played in the app store', () => {
  it('starts with its setup, judges the goals after a fix and a run, and resets the files byte for byte', async () => {
    const app = await StoreDriver.sample('hello-mesh', { scenarioDelayMs: 10 });
    app.write(SCENARIO, scenario);
    const before = new Map([...app.doc().files].map(([path, file]) => [path, file.text]));

    await app.state.startScenario('renamed-amount');
    const started = app.state.scenario;
    expect(started?.error).toBeUndefined();
    expect(app.state.faults[app.key]?.map((f) => f.fault.kind)).toEqual(['renameColumn']);
    // The setup ran the mesh with the fault in: orders failed, daily-revenue has nothing to read.
    const failing = await app.until((s) => !s.scenario?.evaluating && (s.scenario?.state?.goals.length ?? 0) > 0);
    expect(failing.scenario?.state?.goals.map((g) => g.holds)).toEqual([false, false]);
    expect(failing.scenario?.state?.goals[0]?.why).toMatch(/orders/);

    app.state.revealHint();
    await app.until((s) => s.scenario?.state?.hintsShown === 1);

    app.replace(TRANSFORM, 'CAST(amount_eur AS', 'CAST(amount AS');
    await app.runAll();
    const solved = await app.until((s) => s.scenario?.state?.finishedAt !== undefined);
    expect(solved.scenario?.state?.done.map((d) => d.step)).toEqual([0]);

    await app.state.resetScenario();
    expect(app.state.scenario).toBeUndefined();
    expect(new Map([...app.doc().files].map(([path, file]) => [path, file.text]))).toEqual(before);
    expect(app.runs()).toBeUndefined();
    expect(app.state.faults[app.key]).toEqual([]);
  });

  it('says why a scenario cannot start when its setup names a table the product does not read', async () => {
    const app = await StoreDriver.sample('hello-mesh', { scenarioDelayMs: 10 });
    app.write(SCENARIO, scenario.replace('table: orders_csv', 'table: shipments'));
    await app.state.startScenario('renamed-amount');
    expect(app.state.scenario?.error).toMatch(/setup event 1 of renamed-amount: orders reads no table "shipments"/);
  });
});
