import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import type { RunRequest } from '../../workers/quantum/api.ts';
import {
  narrowedInputs,
  planProjection,
  PROJECTION_MIN_BYTES,
  projectionCandidate,
  ProjectionPlans,
} from '../../workers/quantum/projection.ts';
import { leaseQuantum, QUANTUM_HOSTS } from '../quantumHosts.ts';
import { wasmSession } from '../../workers/quantum/sqlSession.ts';

/*
 * Projection at the edge pays only for large inputs: below PROJECTION_MIN_BYTES a product loads
 * its inputs whole without planning (the plan cost small products more than it saved); above,
 * DuckDB's plan narrows each input to the columns the transform reads.
 */
function request(rows: number, padBytes: number): RunRequest {
  const pad = 'p'.repeat(padBytes);
  const ipc = tableToIPC(
    tableFromJSON(Array.from({ length: rows }, (_, i) => ({ k: i, tag: i % 2 ? 'a' : 'b', pad: `${i}${pad}` }))),
    'stream',
  );
  return {
    productId: 'p',
    transform: { file: 't.sql', sql: 'SELECT tag, count(*) AS n FROM upstream GROUP BY tag' },
    inputs: [{ kind: 'arrow', name: 'upstream', ipc }],
    ports: [{ name: 'out', checks: [] }],
  };
}

describe('projection at the edge', () => {
  it('plans nothing for inputs below PROJECTION_MIN_BYTES: they load whole', () => {
    const small = request(3, 10);
    expect(projectionCandidate(small)).toBeUndefined();
    expect(projectionCandidate(small, 0)).toBeDefined(); // the same request is a candidate without the floor
  });

  it('narrows an input of PROJECTION_MIN_BYTES or more to the columns the transform reads', async () => {
    const large = request(4, Math.ceil(PROJECTION_MIN_BYTES / 4));
    const candidate = projectionCandidate(large);
    expect(candidate).toBeDefined();
    const db = await createNodeDuckDB();
    const connection = db.connect();
    try {
      const used = await planProjection(
        wasmSession(db, () => connection),
        candidate!,
      );
      const projected = used && narrowedInputs(candidate!, used);
      const narrowed = projected?.get('upstream');
      expect(narrowed && tableFromIPC(narrowed).schema.fields.map((f) => f.name)).toEqual(['tag']);
    } finally {
      connection.close();
      await db.reset();
    }
  });
});

describe('projection plans kept for the next run', () => {
  const withColumns = (r: RunRequest, types: Record<string, string>): RunRequest => ({
    ...r,
    inputs: r.inputs.map((i) =>
      i.kind === 'arrow' ? { ...i, columns: Object.entries(types).map(([name, type]) => ({ name, type })) } : i,
    ),
  });
  const types = { k: 'DOUBLE', tag: 'VARCHAR', pad: 'VARCHAR' };

  it('keys a plan by the statement and every input column and type, and keeps at most MAX_PLANS and MAX_KEY_CHARS', () => {
    const large = withColumns(request(4, Math.ceil(PROJECTION_MIN_BYTES / 4)), types);
    const key = ProjectionPlans.keyOf(projectionCandidate(large)!);
    expect(ProjectionPlans.keyOf(projectionCandidate(withColumns(large, { ...types, k: 'BIGINT' }))!)).not.toBe(key);
    expect(ProjectionPlans.keyOf(projectionCandidate({ ...large, transform: { file: 't.sql', sql: 'SELECT k FROM upstream' } })!)).not.toBe(
      key,
    );
    expect(ProjectionPlans.keyOf(projectionCandidate(request(4, Math.ceil(PROJECTION_MIN_BYTES / 4)))!)).toBeUndefined(); // no columns said: not kept

    const plans = new ProjectionPlans();
    for (let i = 0; i <= ProjectionPlans.MAX_PLANS; i++) plans.set(`plan ${i}`, new Map([['upstream', new Set(['tag'])]]));
    expect(plans.get('plan 0')).toBeUndefined();
    expect(plans.get(`plan ${ProjectionPlans.MAX_PLANS}`)?.get('upstream')).toEqual(new Set(['tag']));

    // Long statements are bounded by their characters too: five of just over a fifth of the bound leave four.
    const longPlans = new ProjectionPlans();
    const long = (i: number): string => `${i}`.padEnd(ProjectionPlans.MAX_KEY_CHARS / 5 + 1, 'x');
    for (let i = 0; i < 5; i++) longPlans.set(long(i), new Map());
    expect([0, 1, 2, 3, 4].map((i) => longPlans.get(long(i)) !== undefined)).toEqual([false, true, true, true, true]);
    const huge = 'huge'.padEnd(ProjectionPlans.MAX_KEY_CHARS / 3, 'x');
    longPlans.set(huge, new Map());
    expect(longPlans.get(huge)).toBeUndefined();
    expect(longPlans.get(long(4))).toBeDefined();
  });

  it.each(QUANTUM_HOSTS)('gives the same rows on a repeat and plans again when the statement changes ($name)', async ({ open }) => {
    const { quantum, close } = await leaseQuantum(open);
    try {
      const large = withColumns(request(4, Math.ceil(PROJECTION_MIN_BYTES / 4)), types);
      const rows = async (r: RunRequest): Promise<unknown[]> => {
        const outcome = await quantum.run(r);
        if (!outcome.ok) throw new Error(outcome.error.message);
        return tableFromIPC(outcome.ports[0]!.ipc)
          .toArray()
          .map((row: { toJSON(): unknown }) => row.toJSON());
      };
      const first = await rows(large);
      const byTag = (a: unknown, b: unknown): number =>
        String((a as { tag: string }).tag).localeCompare(String((b as { tag: string }).tag));
      expect([...first].sort(byTag)).toEqual([
        { tag: 'a', n: 2n },
        { tag: 'b', n: 2n },
      ]);
      expect(await rows(large)).toEqual(first);
      const other = { ...large, transform: { file: 't.sql', sql: 'SELECT max(k) AS top, min(length(pad)) AS shortest FROM upstream' } };
      expect(await rows(other)).toEqual([{ top: 3, shortest: BigInt(Math.ceil(PROJECTION_MIN_BYTES / 4) + 1) }]);
    } finally {
      await close();
    }
  });
});
