import { describe, expect, it } from 'vitest';
import { ODCS_SCHEMA } from '../../core/standards/schemas.ts';
import { checkSchema } from '../../core/validate/schemaCheck.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';

/*
 * A problem deep in a contract is reported once, where it is: the JSON Schema's
 * unevaluatedProperties also calls every field above it "unknown", and those echoes are
 * dropped — while a field that really is unknown is still reported.
 */
const contract = (property: string): string =>
  [
    'apiVersion: v3.1.0',
    'kind: DataContract',
    'id: x',
    'version: 1.0.0',
    'status: active',
    'schema:',
    '  - name: t',
    '    properties:',
    '      - name: a',
    property,
  ].join('\n');

function findings(property: string): string[] {
  return checkSchema(parseYaml('c.odcs.yaml', contract(property)), ODCS_SCHEMA, 'ODCS v3.1.0').map(
    (d) => `${d.line}:${d.column} ${d.code} ${d.message}`,
  );
}

describe('schema problems in a contract', () => {
  it('reports a bad logicalType once, at its value', () => {
    expect(findings('        logicalType: strin')).toEqual([
      expect.stringMatching(/^10:22 QUANTA_E012 "schema\[0\]\.properties\[0\]\.logicalType" is "strin"/),
    ]);
  });

  it('reports a misspelt option once, at its key, not the fields above it', () => {
    expect(findings('        logicalType: string\n        logicalTypeOptions:\n          maxLenght: 3')).toEqual([
      expect.stringMatching(/^12:11 QUANTA_W014 unknown field "maxLenght" in "schema\[0\]\.properties\[0\]\.logicalTypeOptions"/),
    ]);
  });

  it('still reports a field that is unknown itself', () => {
    expect(findings('        logicalType: string\n        colour: red')).toEqual([
      expect.stringMatching(/^11:9 QUANTA_W014 unknown field "colour"/),
    ]);
  });
});
