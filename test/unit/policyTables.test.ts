import { describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA } from '../../core/governance/catalog/catalogSchema.ts';
import { namedTables } from '../../core/governance/policy/evaluate.ts';

const tablesOf = (...sqls: string[]): string[] => CATALOG_SCHEMA.map((t) => t.name).filter(namedTables(sqls));

describe('the catalog tables a policy reads (only those are loaded)', () => {
  it('are the tables its SQL names, in any case and quoted or not', () => {
    expect(tablesOf('SELECT p.id AS product_id, \'x\' AS message FROM Products p JOIN "COLUMNS" c ON c.product_id = p.id')).toEqual([
      'products',
      'columns',
    ]);
  });

  it('do not include a table whose name is only part of another identifier', () => {
    expect(tablesOf('SELECT product_id, port AS message FROM port_versions WHERE reruns > 0')).toEqual(['port_versions']);
  });

  it('are the union over every policy of the mesh', () => {
    expect(tablesOf('SELECT * FROM teams', 'SELECT * FROM edges e JOIN slas s USING (product_id)')).toEqual(['teams', 'slas', 'edges']);
  });

  it('is none for a mesh without policy SQL', () => {
    expect(tablesOf()).toEqual([]);
  });
});
