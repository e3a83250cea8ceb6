import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addedSourceFiles, addedSources, appendableTable, proposedSource } from '../../core/import/addSource.ts';
import { analyzeImport, analyzeStream, ImportError, MAX_BYTES, WARN_BYTES, type ImportAnalysis } from '../../core/import/importFile.ts';
import { MAX_COLUMNS } from '../../core/import/parseTable.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { readMeshFiles } from '../../core/load/readMeshFiles.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { DataProduct, MeshFiles } from '../../core/model/types.ts';

/*
 * The import reads a file as it streams in: chunks may end anywhere (inside a quoted field,
 * between \r and \n, inside a UTF-8 character) and the result is the same as reading it whole;
 * progress counts the bytes; a file above the limit is refused before a byte is read. And a
 * file added to an existing product becomes one more `sources:` entry of its quanta.yaml.
 */
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

async function streamed(name: string, bytes: Uint8Array, size: number, progress?: (n: number) => void): Promise<ImportAnalysis> {
  return analyzeStream(name, bytes.byteLength, chunks(bytes, size), progress);
}

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('it was imported');
}

const withoutBytes = ({ bytes: _bytes, ...rest }: ImportAnalysis): Omit<ImportAnalysis, 'bytes'> => rest;

describe('reading a file in chunks', () => {
  it('gives the same columns, types, counts and preview for every chunk size, whatever a chunk splits', async () => {
    const csv = encode(
      '\uFEFFname;note;price\r\n"Smith; Jo";"said ""hi""\r\non two lines";2.5\r\nZoë;"""";3\r\n\r\nÅsa;plain;\r\n"x";"";4',
    );
    const whole = withoutBytes(analyzeImport('q.csv', csv));
    expect(whole.rows).toBe(4);
    expect(whole.columns.map((c) => [c.name, c.type, c.nulls])).toEqual([
      ['name', 'string', 0],
      ['note', 'string', 1],
      ['price', 'number', 1],
    ]);
    expect(whole.preview[0]).toEqual(['Smith; Jo', 'said "hi"\r\non two lines', '2.5']);
    expect(whole.preview[1]).toEqual(['Zoë', '"', '3']);
    for (let size = 1; size <= csv.byteLength; size++) {
      expect(withoutBytes(await streamed('q.csv', csv, size)), `chunks of ${size} bytes`).toEqual(whole);
    }
  });

  it('reads JSON lines in chunks too; a key first seen late counts the rows before it as nulls', async () => {
    const jsonl = encode('{"id":1,"v":"é"}\r\n{"id":2}\n\n{"id":3,"late":true}\n{"id":4,"v":null}');
    const whole = withoutBytes(analyzeImport('e.jsonl', jsonl));
    expect(whole.columns.map((c) => [c.name, c.type, c.nulls])).toEqual([
      ['id', 'integer', 0],
      ['v', 'string', 3],
      ['late', 'boolean', 3],
    ]);
    expect(whole.preview).toEqual([
      ['1', 'é', null],
      ['2', null, null],
      ['3', null, 'true'],
      ['4', null, null],
    ]);
    for (const size of [1, 2, 3, 5, 7, 11]) expect(withoutBytes(await streamed('e.jsonl', jsonl, size))).toEqual(whole);
  });

  it('keeps every byte of the file, once, and counts the bytes read after each chunk up to the size', async () => {
    const lines = ['id,label'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},row ${i}`);
    const csv = encode(lines.join('\n'));
    const seen: number[] = [];
    const analysis = await streamed('big.csv', csv, 4096, (n) => seen.push(n));
    expect(analysis.rows).toBe(5000);
    expect(analysis.preview).toHaveLength(20);
    expect(analysis.bytes).toEqual(csv);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(csv.byteLength);
    expect(seen.length).toBe(Math.ceil(csv.byteLength / 4096));
  });

  it('refuses a file above the limit before reading a byte, and warns of one above the warning size', async () => {
    const never: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        throw new Error('a refused file was read');
      },
    };
    const error = await refusal(analyzeStream('huge.csv', MAX_BYTES + 1, never));
    expect(error.message).toMatch(/^huge\.csv: it is 200\.0 MB; files above 200\.0 MB cannot be imported/);
    const big = new Uint8Array(WARN_BYTES + 1).fill(0x31);
    big.set(encode('n\n'));
    const warned = analyzeImport('wide.csv', big);
    expect(warned.warnings.join()).toMatch(/^wide\.csv is 50\.0 MB: large; the quantum holds it in memory/);
  });

  it('names line and column of a broken row in any chunk, of a byte that is not UTF-8, and refuses too many columns', async () => {
    const broken = encode('a,b\n1,2\n3,4,5\n');
    for (const size of [1, 4, 100]) {
      const error = await refusal(streamed('b.csv', broken, size));
      expect(error).toMatchObject({ line: 3, column: 5, reason: 'this row has 3 fields, the header names 2' });
    }
    const latin1 = new Uint8Array([...encode('a\nok\n'), 0xe9, 0x0a]);
    expect(await refusal(streamed('l.csv', latin1, 2))).toMatchObject({ line: 3, reason: expect.stringMatching(/not UTF-8/) });
    const wide = encode(`${Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`).join(',')}\n`);
    expect((await refusal(streamed('w.csv', wide, 1000))).reason).toMatch(/names 1001 columns; Quanta imports at most 1000/);
    const json = await refusal(streamed('j.jsonl', encode('{"a":1}\n{"a":1,}\n'), 3));
    expect(json).toMatchObject({ line: 2, column: 8 });
  });
});

describe('a Parquet file', () => {
  it('shows its first rows in the preview, not only its schema', async () => {
    const data = new Uint8Array(await readFile(new URL('../fixtures/seeds/orders.snappy.parquet', import.meta.url)));
    const analysis = await streamed('Orders.parquet', data, 1000);
    expect(analysis.preview.length).toBe(Math.min(20, analysis.rows));
    const first = analysis.preview[0] ?? [];
    expect(first).toHaveLength(4);
    expect(first[0]).toMatch(/^\d+$/);
    expect(first[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(first[2]).toMatch(/@/);
    expect(Number(first[3])).not.toBeNaN();
    const zstd = new Uint8Array(await readFile(new URL('../fixtures/seeds/orders.zstd.parquet', import.meta.url)));
    expect((await streamed('z.parquet', zstd, 1 << 16)).preview.length).toBeGreaterThan(0);
  });
});

async function helloMesh(): Promise<{ files: MeshFiles; product: (id: string) => DataProduct; seeds: string[] }> {
  const root = new URL('../../sample-meshes/hello-mesh/', import.meta.url);
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const all: Record<string, Uint8Array> = {};
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    all[relative(root.pathname, full).split(sep).join('/')] = new Uint8Array(await readFile(full));
  }
  const { files } = await readMeshFiles(new MemoryFileSystem(all));
  const loaded = buildMesh(files);
  return {
    files,
    product: (id) => {
      const found = loaded.mesh.products.find((p) => p.id === id);
      if (!found) throw new Error(`no ${id}`);
      return found;
    },
    seeds: Object.keys(all),
  };
}

describe('adding a data file to an existing product', () => {
  it('appends a sources entry to its quanta.yaml, keeping the comment, with a fresh file and source name on a clash', async () => {
    const mesh = await helloMesh();
    const orders = mesh.product('orders');
    const analysis = analyzeImport('orders.csv', encode('id,amount\n1,2\n'));
    expect(proposedSource(orders, analysis.fileName)).toBe('orders');
    const added = addedSources(mesh.files, orders, [{ analysis, source: 'orders' }], mesh.seeds);
    const settings = added.files.get('domains/sales/orders/quanta.yaml')?.text ?? '';
    expect(settings).toContain('# A table named `orders_csv` is available to transform.sql.');
    expect(settings).toContain('  - name: orders\n    description: Imported from orders.csv.\n    file: data/orders-2.csv\n');
    expect(added.dataFiles).toEqual(['data/orders-2.csv']);
    expect([...added.seeds.keys()]).toEqual(['domains/sales/orders/data/orders-2.csv']);
    const rebuilt = buildMesh(added.files);
    expect(rebuilt.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(rebuilt.mesh.products.find((p) => p.id === 'orders')?.settings?.sources.map((s) => [s.name, s.file])).toEqual([
      ['orders_csv', 'data/orders.csv'],
      ['orders', 'data/orders-2.csv'],
    ]);
    expect(mesh.files.get('domains/sales/orders/quanta.yaml')?.text).not.toContain('orders-2.csv');
    expect(proposedSource(orders, 'orders_csv.csv')).toBe('orders_csv_2');
  });

  it('gives a consumer-aligned product its first source list, and refuses a name its transform already reads', async () => {
    const mesh = await helloMesh();
    const revenue = mesh.product('daily-revenue');
    const analysis = analyzeImport('fx rates.csv', encode('day,rate\n2026-11-01,1.1\n'));
    const source = proposedSource(revenue, analysis.fileName);
    expect(source).toBe('fx_rates');
    const added = addedSources(mesh.files, revenue, [{ analysis, source }], mesh.seeds);
    expect(added.files.get('domains/finance/daily-revenue/quanta.yaml')?.text).toMatch(
      /sources:\n {2}- name: fx_rates\n {4}description: Imported from fx-rates\.csv\.\n {4}file: data\/fx-rates\.csv\n/,
    );
    expect(() => addedSources(mesh.files, revenue, [{ analysis, source: 'orders' }], mesh.seeds)).toThrow(
      /daily-revenue already reads a table named "orders"/,
    );
    expect(() => addedSources(mesh.files, revenue, [{ analysis, source: 'fx rates' }], mesh.seeds)).toThrow(
      /source name "fx rates" must start/,
    );
    const two = addedSources(
      mesh.files,
      revenue,
      [
        { analysis, source: 'a' },
        { analysis, source: 'b' },
      ],
      mesh.seeds,
    );
    expect(two.dataFiles).toEqual(['data/fx-rates.csv', 'data/fx-rates-2.csv']);
  });

  it('appends the rows only where transform.sql reads the source in one FROM, outside comments and strings', async () => {
    const mesh = await helloMesh();
    const orders = mesh.product('orders');
    expect(appendableTable(orders)).toBe('orders_csv');
    const analysis = analyzeImport('late.csv', encode('order_id\n9\n'));
    const added = addedSources(mesh.files, orders, [{ analysis, source: 'late', append: true }], mesh.seeds);
    const sql = added.files.get('domains/sales/orders/transform.sql')?.text ?? '';
    expect(sql).toContain('-- The output port `orders` is the result of this query.\n');
    expect(sql.trimEnd().endsWith('FROM (SELECT * FROM orders_csv UNION ALL BY NAME SELECT * FROM "late") AS orders_csv')).toBe(true);
    const joined = {
      ...orders,
      transform: { path: 'domains/sales/orders/transform.sql', text: 'SELECT * FROM orders_csv JOIN orders_csv USING (order_id)' },
    };
    expect(appendableTable(joined)).toBeUndefined();
    const commented = { ...orders, transform: { path: 'x', text: '-- reads orders_csv\nSELECT \'orders_csv\' AS s FROM "orders_csv"' } };
    expect(appendableTable(commented)).toBe('orders_csv');
    expect(appendableTable(mesh.product('daily-revenue'))).toBeUndefined();
    expect(() => addedSources(mesh.files, mesh.product('daily-revenue'), [{ analysis, source: 'late', append: true }], mesh.seeds)).toThrow(
      /does not read one source table in a single FROM/,
    );
  });

  it('tells the save which data files an edited quanta.yaml names that the saved one did not', async () => {
    const mesh = await helloMesh();
    const analysis = analyzeImport('late.csv', encode('order_id\n9\n'));
    const added = addedSources(mesh.files, mesh.product('orders'), [{ analysis, source: 'late' }], mesh.seeds);
    expect(addedSourceFiles(buildMesh(added.files).mesh, mesh.files)).toEqual(['domains/sales/orders/data/late.csv']);
    expect(addedSourceFiles(buildMesh(added.files).mesh, added.files)).toEqual([]);
    expect(addedSourceFiles(buildMesh(mesh.files).mesh, mesh.files)).toEqual([]);
  });
});
