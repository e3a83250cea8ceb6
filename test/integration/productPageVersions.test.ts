import { afterAll, describe, expect, it } from 'vitest';
import { productPageOf, sessionRuns } from '../../renderer/src/discovery/pageModel.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * The product page's version history in the app lists what changed in the contract between
 * two published versions: hello-mesh runs, the orders contract is edited (a new version that
 * drops customer_email's classification and adds a column description), the mesh runs again,
 * and the page's second version names the changes while the first lists none.
 */
afterAll(disposeDriverHosts);

const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

describe('the product page over two runs with a contract edit between them', () => {
  it('lists the contract changes of the version that published under the edited contract', { timeout: 240_000 }, async () => {
    const app = await StoreDriver.sample('hello-mesh', { autosaveMs: 60_000 });
    await app.runAll();
    const before = app.doc().files.get(CONTRACT)?.text ?? '';
    const edited = before
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace('        classification: personal\n', '')
      .replace('      - name: order_id\n', '      - name: order_id\n        description: The shop order number.\n');
    expect(edited).not.toBe(before);
    expect(app.state.change({ edit: { kind: 'setText', file: CONTRACT, text: edited } }, 'Edit the orders contract')).toBe(true);
    await app.runAll();

    const runtime = sessionRuns(app.state.queryTarget());
    const page = productPageOf(app.doc().mesh, 'orders', runtime, []);
    const versions = page?.outputs[0]?.versions ?? [];
    expect(versions.map((v) => [v.version, v.contractVersion])).toEqual([
      [1, '1.0.0'],
      [2, '1.1.0'],
    ]);
    expect(versions[0]?.contractChanges).toEqual([]);
    const changes = versions[1]?.contractChanges.join('\n') ?? '';
    expect(changes).toMatch(/classification/);
    expect(changes).toMatch(/order_id/);
  });
});
