import { asBoolean, asFields, asList, asString, asText, defined } from './read.ts';
import type { Contract, ContractTable } from './types.ts';

/*
 * Reading an ODCS document into the Contract type, with no checks: loading (core/load) and
 * the contract diff (core/governance/diff) both need it, and load/ builds on governance/
 * (policies), so it lives here where both can import it without a cycle.
 */

/** The parts of an ODCS document Quanta works with; undefined without an id and version. */
export function contractFromDocument(path: string, value: unknown): Contract | undefined {
  const odcs = asFields(value);
  const id = asString(odcs['id']);
  const version = asText(odcs['version']);
  if (id === undefined || version === undefined) return undefined;
  const tables: ContractTable[] = asList(odcs['schema']).map((rawTable) => {
    const table = asFields(rawTable);
    return {
      name: asString(table['name']) ?? '',
      columns: asList(table['properties']).map((rawColumn) => {
        const column = asFields(rawColumn);
        return defined({
          name: asString(column['name']) ?? '',
          logicalType: asString(column['logicalType']),
          physicalType: asString(column['physicalType']),
          required: asBoolean(column['required']),
          unique: asBoolean(column['unique']),
          primaryKey: asBoolean(column['primaryKey']),
          classification: asString(column['classification']),
          description: asString(column['description']),
        });
      }),
    };
  });
  return defined({
    file: path,
    id,
    version,
    status: asString(odcs['status']) ?? 'draft',
    name: asString(odcs['name']),
    tables,
    document: odcs,
  });
}
