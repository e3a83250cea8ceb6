import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyProposals, deriveContract, logicalTypeOf, type Derivation } from '../../core/contracts/deriveContract.ts';
import { factsOfVersion } from '../../core/contracts/deriveFacts.ts';
import { personalDataGuess } from '../../core/contracts/derivePersonal.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';

const CONTRACT = `apiVersion: v3.1.0
kind: DataContract
id: shop.customers
name: customers
version: 1.0.0
status: draft
schema:
  # The one table of this port.
  - name: customers
    physicalType: table
    properties:
      - name: id
        logicalType: integer
        physicalType: INTEGER
`;

const ROWS = 60;
const statuses = ['active', 'paused', 'closed'];

function version() {
  const table = tableFromArrays({
    id: Int32Array.from({ length: ROWS }, (_, i) => i + 1),
    email: Array.from({ length: ROWS }, (_, i) => `person${i}@example.org`),
    phone: Array.from({ length: ROWS }, (_, i) => `+49 170 ${String(1000000 + i)}`),
    status: Array.from({ length: ROWS }, (_, i) => statuses[i % 3] ?? 'active'),
    note: Array.from({ length: ROWS }, (_, i) => (i % 2 === 0 ? null : `note ${i}`)),
    score: Float64Array.from({ length: ROWS }, (_, i) => i / 7),
  });
  return {
    rows: ROWS,
    ipc: tableToIPC(table),
    columns: [
      { name: 'id', type: 'INTEGER' },
      { name: 'email', type: 'VARCHAR' },
      { name: 'phone', type: 'VARCHAR' },
      { name: 'status', type: 'VARCHAR' },
      { name: 'note', type: 'VARCHAR' },
      { name: 'score', type: 'DOUBLE' },
    ],
    profile: [],
  };
}

function derive(): { derivation: Derivation; byId: Map<string, Derivation['proposals'][number]> } {
  const facts = factsOfVersion(version());
  if ('error' in facts) throw new Error(facts.error);
  const derivation = deriveContract(parseYaml('customers.odcs.yaml', CONTRACT), 'customers', facts.facts);
  if ('error' in derivation) throw new Error(derivation.error);
  return { derivation, byId: new Map(derivation.proposals.map((p) => [p.id, p])) };
}

describe('deriving a contract from a published version', () => {
  it('proposes required, unique and primary key for an id column that is never null and never repeats', () => {
    const { byId } = derive();
    expect(byId.get('id:required')?.value).toBe(true);
    expect(byId.get('id:unique')?.reason).toContain('all 60 values are distinct');
    expect(byId.get('id:primaryKey')?.value).toBe(true);
    expect(byId.has('id:logicalType')).toBe(false);
    expect(byId.has('id:physicalType')).toBe(false);
  });

  it('adds undeclared columns with logical and physical types, required only where no value is null, unique never for numbers', () => {
    const { byId } = derive();
    expect(byId.get('score:addColumn')?.value).toEqual({ name: 'score', logicalType: 'number', physicalType: 'DOUBLE', required: true });
    const note = byId.get('note:addColumn');
    expect(note?.value).toEqual({ name: 'note', logicalType: 'string', physicalType: 'VARCHAR' });
    expect(note?.reason).toContain('30 of 60 values are null');
  });

  it('turns a column with few distinct values into an invalidValues rule with validValues', () => {
    const { byId } = derive();
    const status = byId.get('status:addColumn')?.value as { quality?: unknown[] };
    expect(status.quality).toEqual([
      expect.objectContaining({ metric: 'invalidValues', arguments: { validValues: ['active', 'closed', 'paused'] }, mustBe: 0 }),
    ]);
  });

  it('guesses personal data from e-mail and phone values', () => {
    const { byId } = derive();
    expect(byId.get('email:addColumn')?.value).toMatchObject({ classification: 'personal' });
    expect(byId.get('email:addColumn')?.reason).toContain('look like e-mail addresses');
    expect(byId.get('phone:addColumn')?.value).toMatchObject({ classification: 'personal' });
    expect(byId.get('phone:addColumn')?.reason).toContain('look like phone numbers');
    expect(byId.get('status:addColumn')?.value).not.toHaveProperty('classification');
  });

  it('guesses names, addresses and birth dates by the column name', () => {
    expect(personalDataGuess('last_name', ['Smith'])?.kind).toBe('name');
    expect(personalDataGuess('date_of_birth', ['1990-01-01'])?.kind).toBe('birth date');
    expect(personalDataGuess('street_address', ['x'])?.kind).toBe('address');
    expect(personalDataGuess('shipping', ['12 Baker Street', '3 Mill Road'])?.kind).toBe('address');
    expect(personalDataGuess('product_name', ['Lamp'])).toBeUndefined();
    expect(personalDataGuess('zip_count', ['12345'])).toBeUndefined();
  });

  it('maps DuckDB types to ODCS logical types', () => {
    expect(
      ['BIGINT', 'DECIMAL(10,2)', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'BOOLEAN', 'INTEGER[]', 'STRUCT(a INTEGER)'].map(
        logicalTypeOf,
      ),
    ).toEqual(['integer', 'number', 'string', 'date', 'timestamp', 'boolean', 'array', 'object']);
  });

  it('applies only the accepted proposals, keeping comments, and the result proposes nothing more for them', () => {
    const { derivation } = derive();
    const file = parseYaml('customers.odcs.yaml', CONTRACT);
    const accepted = new Set(['id:required', 'id:unique', 'status:addColumn', 'email:addColumn']);
    const applied = applyProposals(file, derivation, accepted);
    expect(applied.diagnostics).toEqual([]);
    expect(applied.text).toContain('# The one table of this port.');
    const properties = (applied.value as { schema: { properties: { name: string }[] }[] }).schema[0]?.properties ?? [];
    expect(properties.map((p) => p.name)).toEqual(['id', 'email', 'status']);
    expect(properties[0]).toEqual({ name: 'id', logicalType: 'integer', physicalType: 'INTEGER', required: true, unique: true });
    const facts = factsOfVersion(version());
    if ('error' in facts) throw new Error(facts.error);
    const again = deriveContract(applied, 'customers', facts.facts);
    if ('error' in again) throw new Error(again.error);
    expect(again.proposals.map((p) => p.id).filter((id) => accepted.has(id))).toEqual([]);
    expect(again.proposals.map((p) => p.id)).toContain('id:primaryKey');
  });

  it('fills the skeleton the Contract tab creates (properties: []) with every column', () => {
    const skeleton = parseYaml(
      'a.odcs.yaml',
      'apiVersion: v3.1.0\nkind: DataContract\nid: a\nname: a\nversion: 1.0.0\nstatus: draft\nschema:\n  - name: a\n    physicalType: table\n    properties: []\n',
    );
    const ipc = tableToIPC(tableFromArrays({ id: Int32Array.from([1, 2, 3]), label: ['a', 'b', null] }));
    const facts = factsOfVersion({ rows: 3, ipc, profile: [] });
    if ('error' in facts) throw new Error(facts.error);
    const derivation = deriveContract(skeleton, 'a', facts.facts);
    if ('error' in derivation) throw new Error(derivation.error);
    const applied = applyProposals(skeleton, derivation, new Set(derivation.proposals.map((p) => p.id)));
    expect(applied.diagnostics).toEqual([]);
    expect((applied.value as { schema: { properties: unknown[] }[] }).schema[0]?.properties).toEqual([
      { name: 'id', logicalType: 'integer', physicalType: 'INTEGER', required: true, unique: true, primaryKey: true },
      { name: 'label', logicalType: 'string', physicalType: 'VARCHAR' },
    ]);
  });

  it('says why when the version keeps no rows or the contract has no schema', () => {
    expect(factsOfVersion({ rows: 3, profile: [] })).toEqual({ error: 'this version keeps its figures only, not its rows' });
    expect(deriveContract(parseYaml('x.odcs.yaml', 'apiVersion: v3.1.0\nkind: DataContract\n'), 'x', [])).toMatchObject({
      error: expect.stringContaining('x.odcs.yaml has no readable schema'),
    });
  });
});
