import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUuid } from '../../core/export/openLineage.ts';
import { REPO, tempDir } from '../helpers.ts';
import { troubledDaff } from '../support/troubledDaff.ts';
import { openLineageValidators } from '../support/openLineageSchemas.ts';

/*
 * `quanta run --openlineage` on daff with one product refused (a contract rule its data
 * breaks) and one failed (its transform reads a column that does not exist): every event
 * validates against the official OpenLineage 2-0-2 schema and each facet against its own
 * official schema (../shared/standards/openlineage, test-time only), every run that ran has
 * one START and one COMPLETE or FAIL, and the stale products downstream of the failure have none.
 * That openlineage-python reads them is proven in test/interop/openLineage.test.ts.
 */
type Event = {
  eventType: string;
  eventTime: string;
  run: { runId: string; facets?: Record<string, { message?: string }> };
  job: { name: string };
  inputs: { name: string }[];
  outputs: { name: string; facets: Record<string, Record<string, unknown> & { _schemaURL: string }> }[];
};

let dir: string;
let events: Event[];
let exitCode: number;
let validateEvent: (value: unknown) => string[];
let validateFacet: (schemaUrl: string, value: unknown) => string[] | undefined;

beforeAll(async () => {
  dir = await tempDir('openlineage');
  const mesh = await troubledDaff(dir);
  const out = nodePath.join(dir, 'events.jsonl');
  const run = spawnSync(process.execPath, [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'run', mesh, '--openlineage', out], {
    encoding: 'utf8',
  });
  exitCode = run.status ?? -1;
  events = (await fsp.readFile(out, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);

  ({ validateEvent, validateFacet } = await openLineageValidators());
}, 600_000);
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('quanta run --openlineage', () => {
  it('exits 1 for the refused and the failed product and still writes their events', () => {
    expect(exitCode).toBe(1);
    expect(events.length).toBeGreaterThan(20);
  });

  it('writes events that all validate against the official OpenLineage schema', () => {
    const problems = events.flatMap((e, i) => validateEvent(e).map((p) => `event ${i} (${e.eventType} ${e.job.name}): ${p}`));
    expect(problems).toEqual([]);
  });

  it('writes facets that each validate against its own official schema (every facet that has one in the standards folder)', () => {
    const checked = new Set<string>();
    const problems: string[] = [];
    for (const event of events) {
      const all = [...event.outputs.flatMap((o) => Object.values(o.facets)), ...Object.values(event.run.facets ?? {})] as {
        _schemaURL: string;
      }[];
      for (const facet of all) {
        const found = validateFacet(facet._schemaURL, facet);
        if (found === undefined) continue;
        checked.add(facet._schemaURL.split('#')[0] ?? '');
        problems.push(...found.map((p) => `${event.job.name} ${facet._schemaURL}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
    // Schema, data quality, column lineage, version, ownership, documentation and error facets were all checked.
    expect(checked.size).toBeGreaterThanOrEqual(7);
  });

  it('pairs every START with one COMPLETE or FAIL of the same run, and the refused and failed products end in FAIL', () => {
    const byRun = new Map<string, Event[]>();
    for (const e of events) byRun.set(e.run.runId, [...(byRun.get(e.run.runId) ?? []), e]);
    for (const [runId, pair] of byRun)
      expect(
        pair.map((e) => e.eventType),
        runId,
      ).toEqual(['START', expect.stringMatching(/^(COMPLETE|FAIL|ABORT)$/)]);
    const end = (job: string) => events.find((e) => e.job.name === job && e.eventType !== 'START');
    expect(end('artist-onboarding')?.eventType).toBe('FAIL');
    expect(end('artist-onboarding')?.run.facets?.['errorMessage']?.message).toContain('publish refused');
    expect(end('podcast-listeners')?.eventType).toBe('FAIL');
    expect(end('podcast-listeners')?.run.facets?.['errorMessage']?.message).toMatch(/no_such_column/);
    expect(end('listener-registrations')?.eventType).toBe('COMPLETE');
  });

  it('names inputs and outputs as datasets of the mesh namespace, with the refused checks as failed assertions', () => {
    const refused = events.find((e) => e.job.name === 'artist-onboarding' && e.eventType === 'FAIL');
    const assertions = (refused?.outputs[0]?.facets['dataQualityAssertions']?.['assertions'] ?? []) as {
      assertion: string;
      success: boolean;
    }[];
    expect(assertions.some((a) => a.assertion === 'custom_sql' && !a.success)).toBe(true);
    const royalties = events.find((e) => e.job.name === 'artist-royalties' && e.eventType === 'START');
    expect(royalties?.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(['play-events.play_events']));
  });

  it('carries column lineage from the transform to the upstream ports', () => {
    const fields = events
      .filter((e) => e.eventType === 'COMPLETE')
      .flatMap((e) =>
        e.outputs.map((o) => o.facets['columnLineage']?.['fields'] as Record<string, { inputFields: { name: string }[] }> | undefined),
      )
      .filter((f) => f !== undefined);
    expect(fields.length).toBeGreaterThan(5);
    const upstreams = fields.flatMap((f) => Object.values(f).flatMap((c) => c.inputFields.map((i) => i.name)));
    expect(upstreams).toContain('play-events.play_events');
  });

  it('gives runs ids in the UUID format, different for different runs', () => {
    expect(runUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runUuid('a', 'b')).not.toBe(runUuid('a', 'c'));
  });
});
