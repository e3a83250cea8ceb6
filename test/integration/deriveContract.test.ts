import { afterAll, describe, expect, it } from 'vitest';
import { applyProposals, deriveContract } from '../../core/contracts/deriveContract.ts';
import { factsOfVersion } from '../../core/contracts/deriveFacts.ts';
import { draftImpact } from '../../core/governance/whatIf.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

afterAll(disposeDriverHosts);

const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

/*
 * "Derive contract from output" as the Contract tab does it, on hello-mesh in the app store
 * with real DuckDB-WASM quanta: run, derive from orders' newest version, diff, apply as one
 * undoable edit, run again.
 */
describe('deriving the orders contract from its published data', () => {
  it('proposes what the data shows, applies as one undoable edit that keeps the contract valid, and the next run publishes', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    // A contract written loosely by hand: amount_eur without required nor physical type.
    app.replace(CONTRACT, '        physicalType: DECIMAL(10,2)\n        required: true\n', '');
    await app.runAll();
    const version = app.state.portHistory('orders', 'orders').at(-1);
    expect(version?.ipc).toBeDefined();
    if (!version) return;
    const facts = factsOfVersion(version);
    if ('error' in facts) throw new Error(facts.error);
    const file = app.doc().files.get(CONTRACT) as YamlSourceFile;
    const derivation = deriveContract(file, 'orders', facts.facts);
    if ('error' in derivation) throw new Error(derivation.error);
    const ids = derivation.proposals.map((p) => p.id);
    // order_id is already the key; customer_email is classified (no value list of e-mail addresses);
    // distinct amounts and timestamps are not proposed as unique.
    expect(ids).toEqual(['amount_eur:physicalType', 'amount_eur:required']);
    expect(derivation.proposals[0]?.value).toBe('DECIMAL(10,2)');

    const applied = applyProposals(file, derivation, new Set(ids));
    const draft = buildMesh(new Map(app.doc().files).set(CONTRACT, applied)).mesh;
    const impact = draftImpact(buildMesh(app.doc().files).mesh, draft).contracts.find((c) => c.productId === 'orders');
    expect(impact?.diff.refused).toBe(false);
    expect(impact?.diff.changes.map((c) => c.ruleId)).toEqual(expect.arrayContaining(['required-added']));

    const before = app.text(CONTRACT);
    app.write(CONTRACT, applied.text, 'Derive contract of orders');
    const after = app.text(CONTRACT);
    // Two lines spliced into amount_eur; every other line as it was.
    expect(after.split('\n').length - before.split('\n').length).toBe(2);
    const amount = (app.doc().files.get(CONTRACT) as YamlSourceFile).value as { schema: { properties: { name: string }[] }[] };
    expect(amount.schema[0]?.properties.find((p) => p.name === 'amount_eur')).toMatchObject({
      logicalType: 'number',
      physicalType: 'DECIMAL(10,2)',
      required: true,
    });
    expect(after).toContain("# Where this port's data lives when the mesh runs in Quanta");
    expect(app.doc().diagnostics.filter((d) => d.file === CONTRACT && d.severity === 'error')).toEqual([]);

    await app.runAll();
    expect(app.product('orders')?.status).toBe('published');
    expect(app.versions('orders', 'orders').length).toBeGreaterThan(1);
    const again = deriveContract(app.doc().files.get(CONTRACT) as YamlSourceFile, 'orders', facts.facts);
    expect('error' in again ? again.error : again.proposals).toEqual([]);

    app.state.undo();
    expect(app.text(CONTRACT)).toBe(before);
  }, 120_000);
});
