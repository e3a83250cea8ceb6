import { describe, expect, it } from 'vitest';
import { analyzeImport, ImportError, MAX_BYTES, productIdOf, safeFileName } from '../../core/import/importFile.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const typesOf = (name: string, text: string): Record<string, string> =>
  Object.fromEntries(analyzeImport(name, bytes(text)).columns.map((c) => [c.name, c.type]));

function importError(name: string, data: Uint8Array): ImportError {
  try {
    analyzeImport(name, data);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error(`${name} was imported`);
}

describe('importing a CSV file', () => {
  it('infers integers, decimals, booleans, dates, timestamps and text, column by column', () => {
    const csv = 'id,price,active,day,at,label\n1,2.5,true,2026-11-01,2026-11-01 09:43:00,a\n2,3,FALSE,2026-11-02,2026-11-01T10:00:00Z,b\n';
    expect(typesOf('o.csv', csv)).toEqual({
      id: 'integer',
      price: 'number',
      active: 'boolean',
      day: 'date',
      at: 'timestamp',
      label: 'string',
    });
  });

  it('never calls a column a date when one of its values is not a date', () => {
    expect(typesOf('d.csv', 'when\n2026-11-01\nsoon\n2026-11-03\n')).toEqual({ when: 'string' });
  });

  it('counts empty fields as nulls, does not let them decide the type, and leaves such a column optional', () => {
    const analysis = analyzeImport('n.csv', bytes('id,score\n1,\n2,4\n3,\n'));
    expect(analysis.columns).toEqual([
      { source: 'id', name: 'id', type: 'integer', nulls: 0 },
      { source: 'score', name: 'score', type: 'integer', nulls: 2 },
    ]);
    expect(analysis.preview).toEqual([
      ['1', null],
      ['2', '4'],
      ['3', null],
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks inside, and semicolon files', () => {
    const analysis = analyzeImport('q.csv', bytes('name,note\r\n"Smith, Jo","said ""hi""\non two lines"\r\nAl,plain\r\n'));
    expect(analysis.rows).toBe(2);
    expect(analysis.preview[0]).toEqual(['Smith, Jo', 'said "hi"\non two lines']);
    expect(typesOf('s.csv', 'a;b\n1;x\n')).toEqual({ a: 'integer', b: 'string' });
  });

  it('names the line and column of a broken row, of an unclosed quote, of a stray quote and of a repeated column name', () => {
    expect(importError('b.csv', bytes('a,b\n1,2\n3\n')).message).toBe('b.csv:3:2: this row has 1 fields, the header names 2');
    expect(importError('u.csv', bytes('a,b\n1,2\n3,"open\n4,5\n')).message).toBe('u.csv:3:3: a quoted field is never closed');
    expect(importError('s.csv', bytes('a\nx"y\n'))).toMatchObject({ line: 2, column: 2 });
    expect(importError('e.csv', bytes('')).message).toMatch(/^e\.csv: it is empty/);
    expect(importError('dup.csv', bytes('a,a\n1,2\n')).message).toBe('dup.csv:1:3: two columns are named "a"');
  });

  it('refuses a file that is not UTF-8, one of an unknown kind and one above the size limit, in words', () => {
    expect(importError('l.csv', new Uint8Array([0x61, 0x0a, 0xff, 0xfe])).reason).toMatch(/not UTF-8/);
    expect(importError('x.xlsx', bytes('a')).reason).toMatch(/CSV .* JSON lines .* Parquet/);
    expect(importError('big.csv', new Uint8Array(MAX_BYTES + 1)).reason).toMatch(
      /^it is 200\.0 MB; files above 200\.0 MB cannot be imported/,
    );
  });

  it('makes snake_case columns of headers and keeps the header for the source', () => {
    const analysis = analyzeImport('h.csv', bytes('Order ID,Order-Date,2nd\n1,2026-11-01,x\n'));
    expect(analysis.columns.map((c) => [c.source, c.name])).toEqual([
      ['Order ID', 'order_id'],
      ['Order-Date', 'order_date'],
      ['2nd', 'c_2nd'],
    ]);
  });
});

describe('importing JSON lines', () => {
  it('takes every key as a column, JSON types as they are, and a missing key as null', () => {
    const analysis = analyzeImport('e.jsonl', bytes('{"id":1,"ok":true,"v":1.5}\n\n{"id":2,"ok":false,"at":"2026-11-01T00:00:00Z"}\n'));
    expect(analysis.columns.map((c) => [c.name, c.type, c.nulls])).toEqual([
      ['id', 'integer', 0],
      ['ok', 'boolean', 0],
      ['v', 'number', 1],
      ['at', 'timestamp', 1],
    ]);
  });

  it('names the line and column of a line that is not a JSON object', () => {
    expect(importError('e.jsonl', bytes('{"a":1}\n[1]\n')).message).toBe(
      'e.jsonl:2:1: each line must be one JSON object ({"column": value, …})',
    );
    expect(importError('e.jsonl', bytes('{"a":1}\n{"a":\n')).line).toBe(2);
  });
});

describe('names from the user', () => {
  it('lose folders, leading dots and odd characters', () => {
    expect(safeFileName('../../etc/Passwd.CSV', 'csv')).toBe('passwd.csv');
    expect(safeFileName('C:\\Users\\x\\My Orders (2026).csv', 'csv')).toBe('my-orders-2026.csv');
    expect(safeFileName('.hidden', 'csv')).toBe('data.csv');
    expect(productIdOf('my-orders-2026.csv')).toBe('my-orders-2026');
    expect(productIdOf('2026-orders.csv')).toBe('orders');
  });
});

describe('importing Parquet', () => {
  it('takes the columns and their types from the file schema, and names a file that is not Parquet', async () => {
    const { readFile } = await import('node:fs/promises');
    const data = new Uint8Array(await readFile(new URL('../fixtures/seeds/orders.snappy.parquet', import.meta.url)));
    const analysis = analyzeImport('Orders.parquet', data);
    expect(analysis.fileName).toBe('orders.parquet');
    expect(analysis.rows).toBeGreaterThan(0);
    expect(analysis.columns.map((c) => [c.name, c.type])).toEqual([
      ['order_id', 'integer'],
      ['ordered_at', 'timestamp'],
      ['customer_email', 'string'],
      ['amount_eur', 'number'],
    ]);
    expect(importError('bad.parquet', bytes('not parquet')).reason).toMatch(/^it is not a Parquet file that can be read/);
  });
});
