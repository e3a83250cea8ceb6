import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import type { DeclaredColumnType } from '../../workers/quantum/api.ts';
import { Quantum } from '../../workers/quantum/quantum.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';
import { CONFORMANCE_DIR, contractFor, runConformance } from './conformanceMesh.ts';

/*
 * CSV and JSON-lines seeds read with the types their product's contract declares for columns
 * of the same name; the other columns are auto-detected as before. data/orders-*.{csv,jsonl}.
 */
let quantum: Quantum;
beforeAll(async () => {
  quantum = new Quantum(await createNodeDuckDB());
});
afterAll(async () => quantum.close());

async function columnsOf(file: string, declared?: DeclaredColumnType[]): Promise<Record<string, string>> {
  const kind = file.endsWith('.jsonl') ? 'jsonl' : 'csv';
  const bytes = await fsp.readFile(nodePath.join(CONFORMANCE_DIR, 'data', file));
  const outcome = await quantum.run({
    productId: 'p',
    inputs: [{ kind, name: 'raw', file: `data/${file}`, bytes, ...(declared ? { declared } : {}) }],
    ports: [{ name: 'port', checks: [] }],
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return Object.fromEntries((outcome.ports[0]?.columns ?? []).map((c) => [c.name, c.type]));
}

const orders = (properties: unknown[]): Record<string, unknown> => contractFor('orders', properties);

// The contract runs go through each host; columnsOf asks a bare Quantum for the loaded types.
describe.each(QUANTUM_HOSTS)('seeds under their contract ($name)', ({ open }) => {
  const host = open(1);
  afterAll(() => host.dispose());

  describe('a CSV seed', () => {
    it('reads a date-looking column the contract declares string as VARCHAR and publishes (auto-detect made it DATE and the contract refused it)', async () => {
      expect((await columnsOf('orders-typed.csv')).order_date).toBe('DATE'); // undeclared: auto-detected, as before
      expect(await columnsOf('orders-typed.csv', [{ name: 'order_date', type: 'VARCHAR' }])).toEqual({
        order_id: 'BIGINT',
        order_date: 'VARCHAR',
        amount: 'BIGINT',
        note: 'VARCHAR',
      });
      const { run } = await runConformance(
        host,
        'orders-typed.csv',
        orders([{ name: 'order_date', logicalType: 'string', required: true }]),
        'orders',
      );
      expect(run.status).toBe('published');
      expect(run.checks.filter((c) => !c.passed)).toEqual([]);
    });

    it('reads declared columns with the declared type and leaves the others to auto-detect', async () => {
      const declared = [
        { name: 'amount', type: 'DECIMAL(10,2)' },
        { name: 'order_id', type: 'VARCHAR' },
        { name: 'not_in_the_file', type: 'BIGINT' },
      ];
      expect(await columnsOf('orders-typed.csv', declared)).toEqual({
        order_id: 'VARCHAR',
        order_date: 'DATE',
        amount: 'DECIMAL(10,2)',
        note: 'VARCHAR',
      });
    });

    it('refuses a value that is not of the declared type, naming the seed file, line, column, type and the declaration', async () => {
      const { run } = await runConformance(host, 'orders-bad-amount.csv', orders([{ name: 'amount', logicalType: 'integer' }]), 'orders');
      expect(run.status).toBe('failed');
      expect(run.problem).toMatchObject({ file: 'domains/c/p/data/orders-bad-amount.csv', line: 3 });
      expect(run.problem?.message).toMatch(
        /^domains\/c\/p\/data\/orders-bad-amount\.csv:3: column "amount" holds "12x", which is not a BIGINT as the contract declares \(domains\/c\/p\/orders\.odcs\.yaml:\d+:\d+\); fix the value/,
      );
    });
  });

  describe('a JSON-lines seed', () => {
    it('casts declared columns after the parse (numbers and numeric strings alike) and keeps declared text as text', async () => {
      const declared = [
        { name: 'amount', type: 'BIGINT' },
        { name: 'order_date', type: 'VARCHAR' },
        { name: 'placed', type: 'TIMESTAMP' },
      ];
      expect(await columnsOf('orders-typed.jsonl', declared)).toEqual({
        order_id: 'DOUBLE', // undeclared: inferred from the JSON as before
        order_date: 'VARCHAR',
        amount: 'BIGINT',
        placed: 'TIMESTAMP',
      });
      const result = await quantum.query('SELECT CAST(sum(amount) AS BIGINT) AS s, count(placed) AS n FROM port');
      if (!result.ok) throw new Error(result.error.message);
      expect((tableFromIPC(result.ipc).get(0) as { toJSON(): Record<string, unknown> }).toJSON()).toEqual({ s: 22n, n: 2n });
    });

    it('publishes under a contract that declares the types', async () => {
      const { run } = await runConformance(
        host,
        'orders-typed.jsonl',
        orders([
          { name: 'order_date', logicalType: 'date' },
          { name: 'amount', logicalType: 'integer' },
          { name: 'placed', logicalType: 'timestamp' },
        ]),
        'orders',
      );
      expect(run.status).toBe('published');
      expect(run.checks.filter((c) => !c.passed)).toEqual([]);
    });

    it('refuses a value that is not of the declared type with its line (blank lines counted)', async () => {
      const { run } = await runConformance(host, 'orders-bad-amount.jsonl', orders([{ name: 'amount', logicalType: 'integer' }]), 'orders');
      expect(run.status).toBe('failed');
      expect(run.problem).toMatchObject({ file: 'domains/c/p/data/orders-bad-amount.jsonl', line: 4 });
      expect(run.problem?.message).toMatch(
        /:4: column "amount" holds "12x", which is not a BIGINT as the contract declares \(domains\/c\/p\/orders\.odcs\.yaml:\d+:\d+\)/,
      );
    });
  });
});
