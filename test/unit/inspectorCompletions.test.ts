import { CompletionContext, type CompletionSource } from '@codemirror/autocomplete';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { sqlNamespace, transformTables } from '../../renderer/src/inspector/sqlCompletions.ts';
import { loadSample } from '../helpers.ts';

/* transform.sql completion: input ports as tables with the upstream contract's columns, plus SQL keywords. */

/** What CodeMirror's SQL mode would offer at the `|` in `doc` (explicit completion, like Ctrl-Space). */
async function offered(doc: string, schema: ReturnType<typeof sqlNamespace>): Promise<string[]> {
  const pos = doc.indexOf('|');
  const text = doc.replace('|', '');
  const state = EditorState.create({
    doc: text,
    selection: { anchor: pos },
    extensions: [sql({ dialect: PostgreSQL, schema, upperCaseKeywords: true })],
  });
  const sources = state.languageDataAt<CompletionSource>('autocomplete', pos);
  const results = await Promise.all(sources.map((source) => source(new CompletionContext(state, pos, true))));
  return results.flatMap((result) => result?.options.map((o) => o.label) ?? []);
}

describe('transform.sql completions', () => {
  it('offer each input port as a table, described by the upstream port and contract it reads', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const product = mesh.products.find((p) => p.id === 'daily-revenue')!;
    expect(transformTables(mesh, product)).toEqual([
      {
        name: 'orders',
        detail: 'input port: orders.orders (hello.sales.orders 1.0.0)',
        columns: [
          { name: 'order_id', type: 'integer' },
          { name: 'ordered_at', type: 'timestamp' },
          { name: 'customer_email', type: 'string' },
          { name: 'amount_eur', type: 'number' },
        ],
      },
    ]);
  });

  it('complete the port name after FROM and its columns after `orders.`, with DuckDB-style keywords too', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const schema = sqlNamespace(
      transformTables(
        mesh,
        mesh.products.find((p) => p.id === 'daily-revenue')!,
      ),
    );
    const afterFrom = await offered('SELECT * FROM ord|', schema);
    expect(afterFrom).toContain('orders');
    expect(afterFrom).toContain('ORDER');
    expect(await offered('SELECT orders.| FROM orders', schema)).toEqual(
      expect.arrayContaining(['order_id', 'ordered_at', 'customer_email', 'amount_eur']),
    );
    expect(await offered('SELECT orders.| FROM orders', schema)).not.toContain('SELECT');
  });

  it('offer a source-aligned product’s sources as tables, with generator columns when declared', async () => {
    const { mesh } = await loadSample('retail');
    const withGenerator = mesh.products.find((p) => p.settings?.sources.some((s) => s.generator));
    if (!withGenerator) throw new Error('the retail sample has no generator source; pick another sample for this test');
    const source = withGenerator.settings!.sources.find((s) => s.generator)!;
    const table = transformTables(mesh, withGenerator).find((t) => t.name === source.name);
    expect(table?.detail).toBe(source.file === undefined ? 'source: generator' : `source: ${source.file}`);
    expect(table?.columns.map((c) => c.name)).toEqual(source.generator!.columns.map((c) => c.name));
  });

  it('still offer an input port whose contract has no publisher, without columns', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const product = mesh.products.find((p) => p.id === 'daily-revenue')!;
    const orphan = { ...product, inputPorts: [{ name: 'refunds', contractId: 'hello.sales.refunds', version: '1.0.0', index: 1 }] };
    expect(transformTables(mesh, orphan)).toEqual([
      { name: 'refunds', detail: 'input port: hello.sales.refunds 1.0.0 (no publisher)', columns: [] },
    ]);
  });
});
