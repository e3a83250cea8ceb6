import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuantumLease } from '../../core/run/runTypes.ts';
import type { RunOutcome } from '../../workers/quantum/api.ts';
import { PROJECTION_MIN_BYTES } from '../../workers/quantum/projection.ts';
import { SAMPLES_DIR } from '../helpers.ts';
import { leaseQuantum, QUANTUM_HOSTS } from '../quantumHosts.ts';

const orders = nodePath.join(SAMPLES_DIR, 'hello-mesh/domains/sales/orders');

// The same suite on each host: a quantum in this thread, and one behind a worker thread.
describe.each(QUANTUM_HOSTS)('a quantum ($name)', ({ open }) => {
  let quantum: QuantumLease['quantum'];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ quantum, close } = await leaseQuantum(open));
  });
  afterAll(async () => close());

  async function runOrders(sql: string): Promise<RunOutcome> {
    return quantum.run({
      productId: 'orders',
      transform: { file: 'domains/sales/orders/transform.sql', sql },
      inputs: [
        {
          kind: 'csv',
          name: 'orders_csv',
          file: 'domains/sales/orders/data/orders.csv',
          bytes: await fsp.readFile(nodePath.join(orders, 'data/orders.csv')),
        },
      ],
      ports: [{ name: 'orders', checks: [{ id: 'rows', sql: 'SELECT count(*) AS value, count(*) AS total FROM orders' }] }],
    });
  }

  it('loads a CSV seed, runs transform.sql and returns the port as Arrow IPC with measurements and a profile', async () => {
    const outcome = await runOrders(await fsp.readFile(nodePath.join(orders, 'transform.sql'), 'utf8'));
    if (!outcome.ok) throw new Error(outcome.error.message);
    const [port] = outcome.ports;
    expect(port?.rows).toBe(120);
    expect(port?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'order_id:BIGINT',
      'ordered_at:TIMESTAMP',
      'customer_email:VARCHAR',
      'amount_eur:DECIMAL(10,2)',
    ]);
    expect(port?.measurements).toEqual([{ id: 'rows', value: 120, total: 120 }]);
    expect(port?.profile.find((c) => c.name === 'order_id')).toMatchObject({ nullShare: 0 });
    expect(tableFromIPC(port?.ipc ?? new Uint8Array()).numRows).toBe(120);
  });

  it('reports a SQL error with the line of transform.sql it is on', async () => {
    const outcome = await runOrders('-- comment\nCREATE TABLE x AS SELECT 1;\nSELECT order_id,\n  amount_eur\nFORM orders_csv');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'sql', file: 'domains/sales/orders/transform.sql', line: 5 } });
    if (!outcome.ok) expect(outcome.error.message).toMatch(/syntax error at or near "orders_csv"|FORM/);
  });

  it('names an unknown table in plain words', async () => {
    const outcome = await runOrders('SELECT * FROM no_such_table');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'sql', line: 1 } });
    if (!outcome.ok) expect(outcome.error.message).toContain('no_such_table');
  });

  it('refuses a seed file that is not CSV text, naming the file', async () => {
    const outcome = await quantum.run({
      productId: 'orders',
      inputs: [
        { kind: 'csv', name: 'orders_csv', file: 'data/orders.csv', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]) },
      ],
      ports: [{ name: 'orders', checks: [] }],
    });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'input', file: 'data/orders.csv' } });
  });

  it('reports a JSON-lines row that is not JSON with its line', async () => {
    const outcome = await quantum.run({
      productId: 'p',
      inputs: [{ kind: 'jsonl', name: 'src', file: 'data/x.jsonl', bytes: new TextEncoder().encode('{"a":1}\n{"a":2\n') }],
      ports: [{ name: 'out', checks: [] }],
    });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'input', file: 'data/x.jsonl', line: 2 } });
  });

  it('says which output port a multi-port transform forgot', async () => {
    const outcome = await quantum.run({
      productId: 'p',
      transform: { file: 't.sql', sql: 'CREATE TABLE a AS SELECT 1 AS x' },
      inputs: [],
      ports: [
        { name: 'a', checks: [] },
        { name: 'b', checks: [] },
      ],
    });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'output', message: expect.stringContaining('output port "b"') } });
  });

  const described = [
    { name: 'k', type: 'DOUBLE' },
    { name: 'v', type: 'DOUBLE' },
    { name: 'tag', type: 'VARCHAR' },
    { name: 'note', type: 'VARCHAR' },
    { name: 'pad', type: 'VARCHAR' },
  ];
  // Inputs below PROJECTION_MIN_BYTES are loaded whole without a plan: `pad` (never read by
  // the narrowing queries; distinct per row, so Arrow does not share it in a dictionary) makes
  // this one large enough to be planned and narrowed.
  const pad = 'p'.repeat(Math.ceil(PROJECTION_MIN_BYTES / 3));
  it.each([
    ['without column types', undefined],
    ["with the producer's column types", described],
    ['with column types that do not parse', described.map((c) => ({ ...c, type: 'NO SUCH TYPE' }))],
  ])('reads only the input columns a transform uses, with the same result as reading them all (%s)', async (_, columns) => {
    const input = tableToIPC(
      tableFromJSON([
        { k: 1, v: 2.5, tag: 'a', note: 'x', pad: `1${pad}` },
        { k: 2, v: 3.5, tag: 'b', note: 'y', pad: `2${pad}` },
        { k: 3, v: null, tag: 'a', note: 'z', pad: `3${pad}` },
      ]),
      'stream',
    );
    expect(input.byteLength).toBeGreaterThanOrEqual(PROJECTION_MIN_BYTES);
    const run = async (sql: string): Promise<unknown[]> => {
      const outcome = await quantum.run({
        productId: 'p',
        transform: { file: 't.sql', sql },
        inputs: [{ kind: 'arrow', name: 'upstream', ipc: input, ...(columns ? { columns } : {}) }],
        ports: [{ name: 'out', checks: [] }],
      });
      if (!outcome.ok) throw new Error(outcome.error.message);
      return tableFromIPC(outcome.ports[0]?.ipc ?? new Uint8Array())
        .toArray()
        .map((r) => ({ ...r.toJSON() }));
    };
    expect(await run("SELECT tag, sum(v) AS s FROM upstream WHERE note <> 'y' GROUP BY tag ORDER BY tag")).toEqual([{ tag: 'a', s: 2.5 }]);
    expect((await run('SELECT * FROM upstream ORDER BY k')).map((r) => Object.keys(r as object))).toEqual([
      ['k', 'v', 'tag', 'note', 'pad'],
      ['k', 'v', 'tag', 'note', 'pad'],
      ['k', 'v', 'tag', 'note', 'pad'],
    ]);
    expect(
      await run("SELECT count(*) AS n FROM upstream u WHERE EXISTS (SELECT 1 FROM upstream w WHERE w.k = u.k + 1 AND w.note = 'y')"),
    ).toEqual([{ n: 1n }]);
  });

  it('fails fast instead of hanging when SQL needs an extension the offline build lacks', async () => {
    const outcome = await quantum.query("SELECT * FROM read_json('x.json')");
    expect(outcome.ok).toBe(false);
  });

  it('blames an unterminated quote on the CSV seed and its line, not on transform.sql', async () => {
    // Quoted values for longer than DuckDB's sniffing sample, then one quote that never closes.
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i},"v${i}"`);
    rows.push('25000,"never closed', '25001,"v"');
    const outcome = await quantum.run({
      productId: 'p',
      transform: { file: 'domains/d/p/transform.sql', sql: 'SELECT\n  id,\n  CAST(v AS INTEGER) AS v\nFROM seed' },
      inputs: [
        { kind: 'csv', name: 'seed', file: 'domains/d/p/data/seed.csv', bytes: new TextEncoder().encode(`id,v\n${rows.join('\n')}\n`) },
      ],
      ports: [{ name: 'out', checks: [] }],
    });
    expect(outcome.ok ? 'ran' : outcome.error).toEqual({
      kind: 'input',
      file: 'domains/d/p/data/seed.csv',
      line: 25_002,
      message: 'Value with unterminated quote found. (the CSV reader stopped on this line)',
    });
  });
});
