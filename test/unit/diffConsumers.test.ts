import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffContracts, type ContractDiff } from '../../core/governance/diff/contractDiff.ts';
import { columnsReadBy, consumersInMesh, impactOnConsumers } from '../../core/governance/diff/diffConsumers.ts';
import { flattenProperties } from '../../core/governance/diff/diffProperties.ts';
import { asFields, asList } from '../../core/model/read.ts';
import { deleteInText } from '../../core/yaml/patchYaml.ts';
import { parseYaml, type YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { loadSample, REPO } from '../helpers.ts';

/*
 * Whom a contract diff breaks: the consumers of the changed contract, each judged on the
 * columns its SQL reads (a conservative estimate), on fixture pairs and on a real mesh.
 * (Moved out of contractDiff.test.ts, which keeps the diff's own rules.)
 */
const FIXTURES = nodePath.join(REPO, 'test/fixtures/diff');

async function diffFixture(rule: string): Promise<ContractDiff> {
  const side = async (v: 'v1' | 'v2'): Promise<YamlSourceFile> => {
    const path = `${rule}/${v}.odcs.yaml`;
    return parseYaml(path, await fsp.readFile(nodePath.join(FIXTURES, path), 'utf8'));
  };
  return diffContracts(await side('v1'), await side('v2'));
}

describe('contract diff: impact on consumers', () => {
  const reads = (...columns: string[]): ReadonlySet<string> => new Set(columns);

  it('breaks a consumer that reads a removed column, not one that never reads it', async () => {
    const diff = await diffFixture('property-removed');
    const impact = impactOnConsumers(diff, [
      { productId: 'billing', reads: reads('order_id', 'amount') },
      { productId: 'shipping', reads: reads('order_id', 'status') },
      { productId: 'archive', reads: 'all' },
    ]);
    expect(impact.map((i) => [i.productId, i.broken, i.breaking.map((c) => c.ruleId)])).toEqual([
      ['billing', true, ['property-removed']],
      ['shipping', false, []],
      ['archive', true, ['property-removed']],
    ]);
  });

  it('breaks readers of the old name of a renamed column', async () => {
    const diff = await diffFixture('property-renamed');
    const [old, other] = impactOnConsumers(diff, [
      { productId: 'a', reads: reads('amount') },
      { productId: 'b', reads: reads('quantity') },
    ]);
    expect(old?.broken).toBe(true);
    expect(other?.broken).toBe(false);
  });

  it('does not count a producer-side break (a tighter guarantee) against any consumer', async () => {
    for (const rule of ['required-added', 'unique-added', 'constraint-tightened', 'quality-rule-added'] as const) {
      const diff = await diffFixture(rule);
      expect(diff.breaking).toBe(false);
      expect(diff.changes.find((c) => c.ruleId === rule)).toMatchObject({ producer: 'breaking', consumers: 'info', severity: 'warning' });
      expect(impactOnConsumers(diff, [{ productId: 'x', reads: 'all' }])[0]?.broken).toBe(false);
    }
  });

  it('breaks the readers of a loosened guarantee (required dropped), and only them', async () => {
    const diff = await diffFixture('required-removed');
    const [reader, other] = impactOnConsumers(diff, [
      { productId: 'reader', reads: reads('order_id') },
      { productId: 'other', reads: reads('note') },
    ]);
    expect(reader).toMatchObject({ broken: true, breaking: [expect.objectContaining({ ruleId: 'required-removed' })] });
    expect(other).toMatchObject({ broken: false, warnings: [] });
  });

  it('warns the readers of a wider type', async () => {
    const diff = await diffFixture('type-widened');
    const [reader] = impactOnConsumers(diff, [{ productId: 'reader', reads: reads('quantity') }]);
    expect(reader).toMatchObject({ broken: false, warnings: [expect.objectContaining({ ruleId: 'type-widened' })] });
  });

  it('breaks every reader of a removed schema (named bare or schema.column), and every consumer of a renamed contract', async () => {
    const removed = await diffFixture('schema-removed');
    expect(
      impactOnConsumers(removed, [
        { productId: 'crm', reads: reads('customers.customer_id') },
        { productId: 'crm2', reads: reads('customer_id') },
        { productId: 'shop', reads: reads('order_id') },
        { productId: 'shop2', reads: reads('orders.customer_id') },
      ]).map((i) => i.broken),
    ).toEqual([true, true, false, false]);
    const renamed = await diffFixture('contract-id-changed');
    expect(impactOnConsumers(renamed, [{ productId: 'counter', reads: reads() }])[0]?.broken).toBe(true);
  });
});

describe('columnsReadBy: a conservative estimate of the columns a SQL text reads', () => {
  const known = ['order_id', 'ordered_at', 'amount', 'status', 'note', 'date'];
  const read = (sql: string): string[] | 'all' => {
    const result = columnsReadBy(sql, 'orders', known);
    return result === 'all' ? 'all' : [...result].sort();
  };

  it.each([
    ['SELECT order_id, sum(amount) FROM orders GROUP BY 1', ['amount', 'order_id']],
    ['SELECT count(*) FROM orders', []],
    ['SELECT amount * 2 AS doubled FROM orders', ['amount']],
    ["SELECT o.amount FROM orders o WHERE o.status = 'note' -- date", ['amount', 'status']],
    ['SELECT "Amount" FROM "orders" /* order_id */', ['amount']],
    ['SELECT x FROM other', []],
    ['SELECT CAST(ordered_at AS DATE) AS day FROM "mesh".orders AS o', ['date', 'ordered_at']],
    ['SELECT day, 0.52 * sum(amount) FROM orders GROUP BY day', ['amount']],
    ['SELECT p.*, o.status FROM people AS p JOIN orders AS o ON o.note = p.id', ['note', 'status']],
  ])('%s reads %j', (sql, expected) => {
    expect(read(sql)).toEqual(expected);
  });

  it.each([
    'SELECT * FROM orders',
    'SELECT DISTINCT * FROM orders',
    'SELECT o.* FROM orders o',
    'SELECT a.x, b.* FROM other a JOIN orders b ON a.id = b.order_id',
    'WITH c AS (SELECT * FROM orders) SELECT c.* FROM c',
    'SELECT o FROM orders o',
    'SELECT to_json(orders) FROM orders',
    "SELECT COLUMNS('am.*') FROM orders",
    'SELECT #1 FROM orders',
    'SELECT x FROM other NATURAL JOIN orders',
    'FROM orders',
    'SUMMARIZE orders',
  ])('%s may read every column', (sql) => {
    expect(read(sql)).toBe('all');
  });

  it('finds exactly the columns the hello-mesh daily-revenue transform reads from its orders port', async () => {
    const text = await fsp.readFile(nodePath.join(REPO, 'sample-meshes/hello-mesh/domains/finance/daily-revenue/transform.sql'), 'utf8');
    const columns = ['order_id', 'ordered_at', 'customer_email', 'amount_eur'];
    expect(columnsReadBy(text, 'orders', columns)).toEqual(new Set(['ordered_at', 'amount_eur']));
  });
});

describe('contract diff: consumers in a real mesh', () => {
  it('breaks daily-revenue when orders drops a column it reads, not when orders drops one it never reads', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const path = 'domains/sales/orders/orders.odcs.yaml';
    const text = await fsp.readFile(nodePath.join(REPO, 'sample-meshes/hello-mesh', path), 'utf8');
    const v1 = parseYaml(path, text);
    const columns = flattenProperties(asFields(asList(asFields(v1.value)['schema'])[0])['properties'], []).map((p) => p.name);
    const consumers = consumersInMesh(mesh, 'hello.sales.orders', columns);
    expect(consumers).toEqual([{ productId: 'daily-revenue', reads: new Set(['ordered_at', 'amount_eur']) }]);
    const without = (index: number): YamlSourceFile => parseYaml(path, deleteInText(text, ['schema', 0, 'properties', index]) ?? '');
    const emailGone = diffContracts(v1, without(2));
    expect(emailGone.changes.map((c) => `${c.ruleId} ${c.property ?? ''}`)).toContain('property-removed customer_email');
    expect(emailGone.breaking).toBe(true);
    expect(impactOnConsumers(emailGone, consumers)[0]?.broken).toBe(false);
    const amountGone = diffContracts(v1, without(3));
    expect(impactOnConsumers(amountGone, consumers)[0]?.breaking.map((c) => `${c.ruleId} ${c.property ?? ''}`)).toEqual([
      'property-removed amount_eur',
    ]);
  });
});
