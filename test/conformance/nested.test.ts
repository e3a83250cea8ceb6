import nodePath from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';
import { contractFor, runConformance } from './conformanceMesh.ts';

/*
 * Promises on nested properties — the fields of a STRUCT column, the items of a LIST column,
 * the fields of the items of a list of structs — checked on a Parquet file native DuckDB
 * writes here: one row keeps every promise, one breaks each.
 */
let file = '';

beforeAll(async () => {
  file = nodePath.join(await tempDir('nested'), 'orders.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(`COPY (
    SELECT * FROM (VALUES
      (1, {'street': 'Main St 1', 'zip': '12345'}, ['new', 'vip'], [{'sku': 'AB-1', 'qty': 2}]),
      (2, {'street': NULL, 'zip': '1234x'}, ['new', 'new', 'x'], [{'sku': 'bad', 'qty': 0}]),
      (3, NULL, NULL, NULL)
    ) AS v(id, address, tags, lines)
  ) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  connection.closeSync();
});

const properties = [
  { name: 'id', logicalType: 'integer' },
  {
    name: 'address',
    logicalType: 'object',
    properties: [
      { name: 'street', logicalType: 'string', required: true },
      { name: 'zip', logicalType: 'string', logicalTypeOptions: { pattern: '^[0-9]{5}$' } },
    ],
  },
  {
    name: 'tags',
    logicalType: 'array',
    logicalTypeOptions: { maxItems: 2, uniqueItems: true },
    items: { logicalType: 'string', logicalTypeOptions: { minLength: 2 } },
  },
  {
    name: 'lines',
    logicalType: 'array',
    items: {
      logicalType: 'object',
      properties: [
        { name: 'sku', logicalType: 'string', logicalTypeOptions: { pattern: '^[A-Z]{2}-[0-9]+$' } },
        { name: 'qty', logicalType: 'integer', logicalTypeOptions: { minimum: 1 } },
      ],
    },
  },
];

describe.each(QUANTUM_HOSTS)('nested promises on a Parquet file ($name)', ({ open }) => {
  const host = open(1);
  afterAll(() => host.dispose());

  it('checks each field and item, each failing on the one row that breaks it', async () => {
    const result = await runConformance(host, file, contractFor('people', properties));
    const checks = Object.fromEntries(result.run.checks.map((c) => [c.id, c]));
    const verdict = (id: string): string =>
      checks[id] ? (checks[id].passed ? 'pass' : 'fail') : `missing: ${result.run.problem?.message ?? Object.keys(checks).join(', ')}`;
    expect(
      Object.fromEntries(
        [
          'people.address.street.required',
          'people.address.zip.pattern',
          'people.tags.maxItems',
          'people.tags.uniqueItems',
          'people.tags[].minLength',
          'people.lines[].sku.pattern',
          'people.lines[].qty.minimum',
        ].map((id) => [id, verdict(id)]),
      ),
    ).toEqual({
      'people.address.street.required': 'fail',
      'people.address.zip.pattern': 'fail',
      'people.tags.maxItems': 'fail',
      'people.tags.uniqueItems': 'fail',
      'people.tags[].minLength': 'fail',
      'people.lines[].sku.pattern': 'fail',
      'people.lines[].qty.minimum': 'fail',
    });
    expect(checks['people.address.zip.pattern']?.message).toContain('1 row of 3 does not');
    expect(checks['people.address.zip.pattern']?.message).toContain('e.g. "1234x"');
    expect(checks['people.tags[].minLength']?.message).toContain('e.g. "[new, new, x]"');
  });
});
