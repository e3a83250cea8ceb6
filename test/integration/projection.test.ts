import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import type { RunRequest } from '../../workers/quantum/api.ts';
import { PROJECTION_MIN_BYTES, projectedInputs, projectionCandidate } from '../../workers/quantum/projection.ts';
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
      const projected = await projectedInputs(
        wasmSession(db, () => connection),
        candidate!,
      );
      const narrowed = projected?.get('upstream');
      expect(narrowed && tableFromIPC(narrowed).schema.fields.map((f) => f.name)).toEqual(['tag']);
    } finally {
      connection.close();
      await db.reset();
    }
  });
});
