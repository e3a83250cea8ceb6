import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';
import { quantaWithHosts } from '../support/quantaCli.ts';

/* `quanta scenario list | check` as a trainer calls them: output, --json, exit codes. */

const { cli, dispose } = quantaWithHosts();
afterAll(dispose);

const REVENUE = `apiVersion: quanta/v1
kind: Scenario
id: revenue-drill
title: Revenue loses a column
principle: incident
level: beginner
minutes: 10
persona: finance-analyst
setup:
  - run: all
  - fault: { kind: dropColumn, product: daily-revenue, table: orders, column: amount_eur }
  - run: all
steps:
  - title: Revenue publishes again
    goals:
      - kind: status
        product: daily-revenue
        is: published
      - kind: valid
    hints: [Read the run log.]
    solution:
      - clearFaults: daily-revenue
`;

/** hello-mesh copied to a temp folder with the given scenario files. */
async function meshWith(scenarios: Readonly<Record<string, string>>): Promise<string> {
  const dir = await tempDir('scenario-cli');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  await fsp.mkdir(nodePath.join(dir, 'scenarios'), { recursive: true });
  for (const [id, text] of Object.entries(scenarios)) await fsp.writeFile(nodePath.join(dir, 'scenarios', `${id}.scenario.yaml`), text);
  return dir;
}

describe('quanta scenario list', () => {
  it('lists the scenarios of daff with principle, level, minutes, steps and goals', async () => {
    const result = await cli('scenario', 'list', 'sample-meshes/daff');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^daff: \d+ scenarios\n/);
    expect(result.out).toMatch(/^ {2}schema-drift {2}incident · beginner · 15 min · 1 step, 4 goals\n {4}Schema drift in play events$/m);
  });

  it('prints JSON with --json', async () => {
    const result = await cli('scenario', 'list', 'sample-meshes/daff', '--json');
    const json = JSON.parse(result.out) as {
      mesh: string;
      scenarios: { id: string; file: string; steps: { goals: number; solution: number }[] }[];
    };
    expect(json.mesh).toBe('daff');
    expect(json.scenarios.find((s) => s.id === 'schema-drift')).toMatchObject({
      file: 'sample-meshes/daff/scenarios/schema-drift.scenario.yaml',
      steps: [{ goals: 4, solution: 1 }],
    });
  });
});

describe('quanta scenario check', () => {
  it('prints each goal ✗ or ✓ with why and exits 1 when one does not hold', async () => {
    const dir = await meshWith({ 'revenue-drill': REVENUE });
    const result = await cli('scenario', 'check', dir, 'revenue-drill');
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'Scenario revenue-drill: Revenue loses a column (incident, beginner, 10 min)\nStep 1/1: Revenue publishes again\n',
    );
    expect(result.out).toMatch(/^ {2}✗ daily-revenue is published — daily-revenue is failed: .*amount_eur/m);
    expect(result.out).toMatch(/^ {2}✓ the mesh has no validation errors — no validation errors$/m);
    expect(result.out).toMatch(/✗ 1 goal of step 1 of 1 does not hold\n$/);
  }, 120_000);

  it('plays the solution with --solution and exits 0 when every goal then holds', async () => {
    const dir = await meshWith({ 'revenue-drill': REVENUE });
    const result = await cli('scenario', 'check', dir, 'revenue-drill', '--solution', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as {
      holds: boolean;
      steps: { atStart: { holds: boolean }[]; after: { holds: boolean; why: string }[] }[];
    };
    expect(json.holds).toBe(true);
    expect(json.steps.map((s) => [s.atStart.map((g) => g.holds), s.after.map((g) => g.holds)])).toEqual([
      [
        [false, true],
        [true, true],
      ],
    ]);
    expect(json.steps[0]?.after[0]?.why).toBe('daily-revenue is published');
  }, 120_000);

  it('fails a solution that does not solve the step, and goals that held when the step started', async () => {
    const unsolved = REVENUE.replace('id: revenue-drill', 'id: unsolved').replace(
      '      - clearFaults: daily-revenue\n',
      '      - tick: 1\n',
    );
    const vacuous = REVENUE.replace('id: revenue-drill', 'id: vacuous').replace(/setup:\n(.*\n){3}/, 'setup:\n  - run: all\n');
    const dir = await meshWith({ unsolved, vacuous });
    const notSolved = await cli('scenario', 'check', dir, 'unsolved', '--solution');
    expect(notSolved.code).toBe(1);
    expect(notSolved.out).toMatch(/✗ 1 goal of step 1 of 1 does not hold after the solution\n$/);
    const proveNothing = await cli('scenario', 'check', dir, 'vacuous', '--solution');
    expect(proveNothing.code).toBe(1);
    expect(proveNothing.out).toMatch(
      /✗ the goals of step 1 already held when the step started: they prove nothing, and the app would skip the step\n$/,
    );
  }, 240_000);

  it('checks schema-drift of daff: royalties stale, play-events failed', async () => {
    const result = await cli('scenario', 'check', 'sample-meshes/daff', 'schema-drift');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/✗ play-events publishes again — play-events is failed: .*track_id/);
    expect(result.out).toMatch(/✗ artist-royalties is up to date \(not stale\) — artist-royalties is stale \(upstream: play-events\)/);
  }, 300_000);

  it('answers a wrong command line with exit 2', async () => {
    const noId = await cli('scenario', 'check', 'sample-meshes/daff');
    expect([noId.code, noId.err]).toEqual([2, expect.stringMatching(/^quanta scenario: give the scenario id/)]);
    const unknown = await cli('scenario', 'check', 'sample-meshes/daff', 'no-such-drill');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/daff has no scenario "no-such-drill" \(its scenarios: .*schema-drift/);
    expect((await cli('scenario', 'play', 'sample-meshes/daff')).err).toMatch(/unknown subcommand "play"; use list or check/);
    expect((await cli('scenario')).code).toBe(2);
    expect((await cli('scenario', 'list', 'sample-meshes/daff', '--verbose')).code).toBe(2);
  });
});
