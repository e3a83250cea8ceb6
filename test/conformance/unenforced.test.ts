import { describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { conformanceFiles, contractFor } from './conformanceMesh.ts';

/*
 * A rule Quanta cannot run is a promise no publish keeps: the loader says so (QUANTA_W060)
 * at the line of the rule, instead of dropping it silently.
 */
async function warningsFor(property: Record<string, unknown>): Promise<{ line: number; message: string }[]> {
  const fs = conformanceFiles('people.csv', new TextEncoder().encode('id\n1\n'), contractFor('people', [property]));
  const { diagnostics } = await loadMesh(fs);
  return diagnostics.filter((d) => d.code === 'QUANTA_W060').map((d) => ({ line: d.line, message: d.message }));
}

describe('contract rules Quanta cannot enforce', () => {
  it.each([
    ['a lookahead pattern', { name: 'code', logicalType: 'string', logicalTypeOptions: { pattern: '^(?=A)[A-Z]+$' } }, /lookaround/],
    ['a backreference', { name: 'code', logicalType: 'string', logicalTypeOptions: { pattern: '(a)\\1' } }, /backreference/],
    [
      'a pattern that is no regex',
      { name: 'code', logicalType: 'string', logicalTypeOptions: { pattern: '([a-z' } },
      /not a valid regular expression/,
    ],
    [
      'an unknown string format',
      { name: 'code', logicalType: 'string', logicalTypeOptions: { format: 'iban' } },
      /"iban" is not a format Quanta knows/,
    ],
    [
      'a date bound that is not a date',
      { name: 'joined', logicalType: 'date', logicalTypeOptions: { minimum: 'soon' } },
      /"soon" is not a date/,
    ],
    ['a quality rule without a comparison', { name: 'ok', logicalType: 'boolean', quality: [{ metric: 'rowCount' }] }, /no comparison/],
    [
      'a bound on a column without an ordered type',
      { name: 'ok', logicalType: 'boolean', logicalTypeOptions: { minimum: 3 } },
      /a bound needs logicalType integer, number, date, timestamp or time, not boolean/,
    ],
    [
      'an invalidValues pattern with lookbehind',
      { name: 'code', logicalType: 'string', quality: [{ metric: 'invalidValues', arguments: { pattern: '(?<=x)y' }, mustBe: 0 }] },
      /lookaround/,
    ],
  ])('warns about %s at the line of the rule', async (_name, property, message) => {
    const warnings = await warningsFor(property);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(message);
    expect(warnings[0]?.line).toBeGreaterThan(8); // inside schema:, not the top of the file
  });

  it('does not warn about text rules, which are for people by design', async () => {
    expect(
      await warningsFor({ name: 'id', logicalType: 'integer', quality: [{ type: 'text', description: 'Ids come from the shop.' }] }),
    ).toEqual([]);
  });
});
