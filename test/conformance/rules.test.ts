import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHARED_STANDARDS } from '../helpers.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';
import { CONFORMANCE_DIR, contractFor, runConformance, type ConformanceRun } from './conformanceMesh.ts';

/*
 * Every kind of contract rule, passing and failing, on real files: each case of
 * rules.cases.yaml is one contract run on the clean and the dirty people file, with the
 * verdict each check must reach (and, where given, the measured value and the failing
 * values the check names).
 */
interface Case {
  readonly name: string;
  readonly properties: unknown[];
  readonly quality?: unknown[];
  readonly odcsValid?: boolean;
  readonly clean?: Record<string, 'pass' | 'fail'>;
  readonly dirty?: Record<string, 'pass' | 'fail'>;
  readonly samples?: Record<string, string[]>;
  readonly measured?: { readonly clean?: Record<string, number>; readonly dirty?: Record<string, number> };
  readonly publishes?: { readonly clean?: boolean; readonly dirty?: boolean };
}

const cases = parse(await fsp.readFile(nodePath.join(CONFORMANCE_DIR, 'rules.cases.yaml'), 'utf8')) as Case[];
const odcs = JSON.parse(await fsp.readFile(nodePath.join(SHARED_STANDARDS, 'odcs', 'odcs-json-schema-v3.1.0.json'), 'utf8')) as Schema;

function measuredOf(run: ConformanceRun, id: string): number | undefined {
  const message = run.run.checks.find((c) => c.id === id)?.message ?? '';
  const value = /measured (-?[\d.]+)/.exec(message)?.[1];
  return value === undefined ? undefined : Number(value);
}

describe.each(QUANTUM_HOSTS)('contract rules on real CSV data ($name)', ({ open }) => {
  const host = open(2);
  afterAll(() => host.dispose());

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const contract = contractFor('people', c.properties, c.quality);
    const valid = new Validator(odcs, '2019-09', false).validate(contract).valid;
    expect(valid, 'the case contract is valid ODCS v3.1.0').toBe(c.odcsValid ?? true);
    for (const file of ['clean', 'dirty'] as const) {
      const expected = c[file];
      const publishes = c.publishes?.[file];
      if (!expected && publishes === undefined) continue;
      const result = await runConformance(host, `people-${file}.csv`, contract);
      const failure = result.run.problem?.message ?? '';
      if (expected) {
        const got = Object.fromEntries(
          Object.keys(expected).map((id) => [id, id in result.verdicts ? (result.verdicts[id] ? 'pass' : 'fail') : `missing (${failure})`]),
        );
        expect(got, `${file}: ${result.run.checks.map((k) => k.message).join(' | ')}`).toEqual(expected);
      }
      if (publishes !== undefined) expect(result.run.status === 'published', `${file} publishes: ${failure}`).toBe(publishes);
      else if (expected && Object.values(expected).every((v) => v === 'pass')) expect(result.run.status, failure).toBe('published');
      if (file === 'dirty')
        for (const [id, samples] of Object.entries(c.samples ?? {})) {
          const message = result.run.checks.find((k) => k.id === id)?.message ?? '';
          expect(message).toContain(`e.g. ${samples.map((s) => JSON.stringify(s)).join(', ')}`);
        }
      for (const [id, value] of Object.entries(c.measured?.[file] ?? {})) expect(measuredOf(result, id), id).toBeCloseTo(value, 2);
    }
  });
});
