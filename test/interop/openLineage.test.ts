import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers.ts';
import { troubledDaff } from '../support/troubledDaff.ts';

/*
 * openlineage-python reads what `quanta run --openlineage` writes: every event of every sample
 * mesh, and of daff with a refused and a failed product, is built into the client's own
 * RunEvent classes (their validators run) and serialised back by its Serde with the same
 * event type, run, job and datasets. The JSON Schema validation is test/integration/openLineage.test.ts.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv first');
const PARSE = nodePath.join(REPO, 'test', 'interop', 'parseOpenLineage.py');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('openlineage-interop');
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function eventsOf(mesh: string, name: string): Promise<string> {
  const out = nodePath.join(dir, `${name}.jsonl`);
  spawnSync(process.execPath, [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'run', mesh, '--openlineage', out], { encoding: 'utf8' });
  return fsp.readFile(out, 'utf8');
}

describe('openlineage-python', () => {
  it.each(['hello-mesh', 'retail', 'daff', 'troubled daff'])('parses every event of a run of %s', async (name) => {
    const mesh = name === 'troubled daff' ? await troubledDaff(dir) : nodePath.join(REPO, 'sample-meshes', name);
    const lines = await eventsOf(mesh, name.replace(/ /g, '-'));
    const sent = lines
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventType: string; run: { runId: string }; job: { name: string }; outputs: { name: string }[] });
    const parsed = spawnSync(nodePath.join(BIN, 'python'), [PARSE], { input: lines, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(parsed.status, parsed.stderr).toBe(0);
    const result = JSON.parse(parsed.stdout) as { parsed: number; problems: string[]; roundTrip: typeof sent };
    expect(result.problems).toEqual([]);
    expect(result.parsed).toBe(sent.length);
    expect(result.roundTrip.map((e) => [e.eventType, e.run.runId, e.job.name, e.outputs.map((o) => o.name)])).toEqual(
      sent.map((e) => [e.eventType, e.run.runId, e.job.name, e.outputs.map((o) => o.name)]),
    );
    if (name === 'troubled daff') expect(sent.some((e) => e.eventType === 'FAIL')).toBe(true);
  });
});
