import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { quanta, type CliResult } from '../support/quantaCli.ts';

/* `quanta access`: one access request decided by the mesh's access rules, and recorded. */
const cli = (...args: string[]): Promise<CliResult> => quanta(args);

describe('quanta access', () => {
  it('allows a persona without the purpose, with the personal columns it would see masked', async () => {
    const result = await cli('access', 'sample-meshes/daff', '--as', 'trainee', '"listener-profiles".listener_profiles');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^allowed: /);
    expect(result.out).toMatch(/^ {2}masked email \(personal\): /m);
  });

  it('denies a persona without a grant, says whom to ask, and records both requests in the audit file', async () => {
    const audit = nodePath.join(await tempDir('audit'), 'audit.jsonl');
    const denied = await cli(
      'access',
      'sample-meshes/daff',
      '--as',
      'data-scientist',
      '"artist-royalties".artist_royalties',
      '--audit',
      audit,
    );
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/^denied: .*ask Head of Finance/);
    await cli('access', 'sample-meshes/daff', '--as', 'trainee', '"listener-profiles".listener_profiles', '--audit', audit);
    const records = (await fsp.readFile(audit, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { persona: string; decision: { allowed: boolean } });
    expect(records.map((r) => [r.persona, r.decision.allowed])).toEqual([
      ['data-scientist', false],
      ['trainee', true],
    ]);
  });

  it('says how to name a port when the argument is not one', async () => {
    const result = await cli('access', 'sample-meshes/daff', '--as', 'trainee', 'listener-profiles');
    expect(result.code).toBe(2);
    expect(result.err).toContain('write it as "<product-id>".<port>');
  });
});
