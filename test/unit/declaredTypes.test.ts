import { describe, expect, it } from 'vitest';
import { declaredColumnTypes, duckdbTypeOf } from '../../core/run/declaredTypes.ts';
import type { Contract } from '../../core/model/types.ts';

function contract(file: string, properties: unknown[]): Contract {
  return { file, id: file, version: '1.0.0', status: 'active', tables: [], document: { schema: [{ name: 't', properties }] } };
}
const at = (_: Contract, path: readonly (string | number)[]): { line: number; column: number } => ({
  line: 10 + Number(path[3]),
  column: 7,
});

describe('the DuckDB type a contract declares for a seed column', () => {
  it.each([
    [{ logicalType: 'string' }, 'VARCHAR'],
    [{ logicalType: 'integer' }, 'BIGINT'],
    [{ logicalType: 'number' }, 'DOUBLE'],
    [{ logicalType: 'boolean' }, 'BOOLEAN'],
    [{ logicalType: 'date' }, 'DATE'],
    [{ logicalType: 'time' }, 'TIME'],
    [{ logicalType: 'timestamp' }, 'TIMESTAMP'],
    [{ logicalType: 'timestamp', logicalTypeOptions: { timezone: true } }, 'TIMESTAMPTZ'],
    [{ logicalType: 'integer', physicalType: 'int' }, 'INT'],
    [{ logicalType: 'number', physicalType: 'decimal(10, 2)' }, 'DECIMAL(10, 2)'],
    [{ logicalType: 'string', physicalType: 'varchar(255)' }, 'VARCHAR(255)'],
    [{ logicalType: 'timestamp', physicalType: 'timestamp with time zone' }, 'TIMESTAMP WITH TIME ZONE'],
    // Not DuckDB types: the logicalType decides.
    [{ logicalType: 'integer', physicalType: 'number' }, 'BIGINT'],
    [{ logicalType: 'string', physicalType: "varchar'); DROP TABLE x; --" }, 'VARCHAR'],
  ])('%j is %s', (property, type) => {
    expect(duckdbTypeOf(property)).toBe(type);
  });

  it.each([
    [{ logicalType: 'object' }],
    [{ logicalType: 'array' }],
    [{ logicalType: 'date', logicalTypeOptions: { format: 'dd/MM/yyyy' } }],
    [{}],
  ])('%j is left to auto-detect', (property) => {
    expect(duckdbTypeOf(property)).toBeUndefined();
  });

  it('takes each name once with where it is declared, and leaves a name two contracts type differently to auto-detect', () => {
    const declared = declaredColumnTypes(
      [
        contract('a.odcs.yaml', [{ name: 'id', logicalType: 'integer' }, { name: 'when', logicalType: 'date' }, { name: 'n' }]),
        contract('b.odcs.yaml', [
          { name: 'id', logicalType: 'integer' },
          { name: 'when', logicalType: 'string' },
        ]),
      ],
      at,
    );
    expect(declared).toEqual([{ name: 'id', type: 'BIGINT', at: { file: 'a.odcs.yaml', line: 10, column: 7 } }]);
  });
});
