import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, queryAs, type QueryTarget } from '../../core/governance/access/queryAs.ts';
import { scoreProduct } from '../../core/governance/scorecard.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample, SAMPLES_DIR } from '../helpers.ts';

/*
 * Queries run as personas of the daff sample, unmodified, against its published data in a
 * real DuckDB quantum: the MeshRuntime itself is the query target (its `query` takes the
 * exposure hook and loads each port as the persona may see it).
 */
const host = new InProcessHost(1);
let runtime: MeshRuntime;
let target: QueryTarget;

beforeAll(async () => {
  const { mesh } = await loadSample('daff');
  runtime = new MeshRuntime(mesh, {
    host,
    readFile: async (path) => new Uint8Array(await fsp.readFile(nodePath.join(SAMPLES_DIR, 'daff', path))),
  });
  const report = await runtime.runAll();
  expect(report.products.filter((p) => p.status !== 'published')).toEqual([]);
  target = runtime;
}, 180_000);
afterAll(() => host.dispose());

function rowsOf(outcome: Awaited<ReturnType<typeof queryAs>>): Record<string, unknown>[] {
  if (!outcome.ok) throw new Error(outcome.error.message);
  return tableFromIPC(outcome.ipc)
    .toArray()
    .map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

const PROFILE_SQL = `SELECT listener_id, email, display_name, birth_date, country
FROM "listener-profiles".listener_profiles ORDER BY listener_id LIMIT 20`;

describe('querying the mesh as a persona', () => {
  it('masks classified columns for a persona without the purpose, and keeps the others as published', async () => {
    const trainee = rowsOf(await queryAs(target, 'trainee', PROFILE_SQL));
    const marketing = rowsOf(await queryAs(target, 'marketing-analyst', PROFILE_SQL));
    expect(trainee).toHaveLength(20);
    expect(trainee.every((r) => r['email'] === '***' && r['display_name'] === '***' && r['birth_date'] === null)).toBe(true);
    // The marketing role reads the same rows in clear; unclassified columns are identical.
    expect(marketing.every((r) => typeof r['email'] === 'string' && String(r['email']).includes('@'))).toBe(true);
    expect(marketing.every((r) => r['birth_date'] !== null)).toBe(true);
    expect(trainee.map((r) => [r['listener_id'], r['country']])).toEqual(marketing.map((r) => [r['listener_id'], r['country']]));
  });

  it('keeps queries written for the clear data working: masked columns keep their names and types', async () => {
    const sql = `SELECT count(*) AS listeners, count(email) AS emails, max(birth_date) AS youngest, count(DISTINCT email) AS distinct_emails
FROM "listener-profiles".listener_profiles`;
    const [row] = rowsOf(await queryAs(target, 'trainee', sql));
    expect(row?.['emails']).toBe(row?.['listeners']);
    expect(row?.['youngest']).toBeNull();
    expect(row?.['distinct_emails']).toBe(1n);
  });

  it('refuses a port the persona has no grant for, naming persona, product, port and the reason, and reads nothing', async () => {
    const outcome = await queryAs(
      target,
      'data-scientist',
      'SELECT r.*, t.title FROM "artist-royalties".artist_royalties AS r, "music-catalog".tracks AS t LIMIT 1',
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.kind).toBe('denied');
    expect(outcome.error.message).toContain('data-scientist may not read "artist-royalties".artist_royalties');
    expect(outcome.error.message).toContain('ask Head of Finance');
    expect(outcome.error.message).not.toContain('music-catalog');
  });

  it('lets the finance analyst, whose team owns the port, read it', async () => {
    const rows = rowsOf(await queryAs(target, 'finance-analyst', 'SELECT count(*) AS n FROM "artist-royalties".artist_royalties'));
    expect(Number(rows[0]?.['n'])).toBeGreaterThan(0);
  });

  it('never exposes a port the query does not name, so raw data cannot be reached another way', async () => {
    const hidden = await queryAs(target, 'trainee', `SELECT * FROM "_quanta_raw".listener_profiles`);
    expect(hidden.ok).toBe(false);
    const beside = await queryAs(
      target,
      'trainee',
      `SELECT r.email FROM "listener-profiles".listener_profiles AS p, "_quanta_raw".listener_profiles AS r`,
    );
    expect(beside.ok).toBe(false);
    const unnamed = rowsOf(
      await queryAs(
        target,
        'trainee',
        `SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name IN ('artist-royalties', 'listener-profiles', '_quanta_raw')`,
      ),
    );
    expect(unnamed[0]?.['n']).toBe(0n);
  });

  it('refuses a request made for a purpose the persona does not hold', async () => {
    const outcome = await queryAs(target, 'marketing-analyst', PROFILE_SQL, { purpose: 'ml-training' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toContain('does not hold purpose ml-training');
  });

  it('records who read what, and who was refused, in the audit log', async () => {
    const audit = new AuditLog();
    await queryAs(target, 'trainee', PROFILE_SQL, { audit });
    await queryAs(target, 'data-scientist', 'SELECT * FROM "artist-royalties".artist_royalties', { audit });
    expect(audit.entries).toEqual([
      expect.objectContaining({
        kind: 'query',
        at: runtime.simulatedAt(),
        persona: 'trainee',
        product: 'listener-profiles',
        port: 'listener_profiles',
        decision: 'allowed',
        columnsMasked: ['email', 'display_name', 'birth_date'],
        version: 1,
        read: true,
        sql: PROFILE_SQL,
      }),
      expect.objectContaining({
        persona: 'data-scientist',
        product: 'artist-royalties',
        port: 'artist_royalties',
        decision: 'denied',
        read: false,
        columnsMasked: [],
      }),
    ]);
    expect(audit.usage()).toEqual([
      { productId: 'listener-profiles', port: 'listener_profiles', personaId: 'trainee', queries: 1, lastAt: runtime.simulatedAt() },
    ]);
  });
});

describe('the scorecard of the running mesh', () => {
  it('scores trustworthy, natively accessible and valuable from the runs and the audit log', async () => {
    const audit = new AuditLog();
    await queryAs(target, 'trainee', 'SELECT count(*) FROM "listener-registrations".listener_registrations', { audit });
    const card = scoreProduct(runtime.mesh, 'listener-registrations', { runs: runtime, usage: audit.usage() });
    const reasons = (id: string): string[] => card?.characteristics.find((c) => c.characteristic === id)?.reasons.map((r) => r.text) ?? [];
    expect(reasons('trustworthy')).toContain('its last run (tick 0) published version 1');
    expect(reasons('trustworthy').some((r) => /^(\d+) of \1 checks of the newest versions pass$/.test(r))).toBe(true);
    expect(reasons('trustworthy')).toContain('1 of 1 output ports are within their freshness SLA now');
    expect(reasons('natively-accessible')).toContain('1 of 1 output ports have a published version to query now');
    expect(reasons('valuable-on-its-own')).toContain('queried by trainee');
    expect(card?.characteristics.find((c) => c.characteristic === 'trustworthy')?.score).toBe(100);
  });
});
