import { describe, expect, it } from 'vitest';
import { CHARACTERISTICS, scoreMesh, scoreProduct, type Characteristic, type ProductScorecard } from '../../core/governance/scorecard.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample, sampleInMemory, sampleNames } from '../helpers.ts';

const hello = (await loadSample('hello-mesh')).mesh;
const samples = await sampleNames();

async function variant(name: string, path: string, change: (text: string) => string): Promise<Mesh> {
  const { files } = await sampleInMemory(name);
  const bytes = files[path];
  if (bytes === undefined) throw new Error(`no file ${path}`);
  files[path] = change(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  return (await loadMesh(new MemoryFileSystem(files))).mesh;
}

function of(card: ProductScorecard | undefined, characteristic: Characteristic): { score: number; reasons: string[] } {
  const c = card?.characteristics.find((x) => x.characteristic === characteristic);
  if (!c) throw new Error(`no ${characteristic}`);
  return { score: c.score, reasons: c.reasons.map((r) => `${r.assessed ? r.credit : '-'} ${r.text}`) };
}

describe('the usability scorecard', () => {
  it.each(samples)('scores every product of %s on the eight characteristics, each with its reasons', async (name) => {
    const { mesh } = await loadSample(name);
    const cards = scoreMesh(mesh);
    expect(cards.map((c) => c.product)).toEqual(mesh.products.map((p) => p.id));
    for (const card of cards) {
      expect(card.characteristics.map((c) => c.characteristic)).toEqual(CHARACTERISTICS.map((c) => c.id));
      for (const c of card.characteristics) {
        expect(c.score).toBeGreaterThanOrEqual(0);
        expect(c.score).toBeLessThanOrEqual(100);
        expect(c.reasons.length).toBeGreaterThan(0);
        expect(c.reasons.every((r) => r.text.length > 10)).toBe(true);
      }
    }
  });

  it('says which metadata is missing and scores it: hello-mesh daily revenue has no usage, no tags and no column descriptions', () => {
    const card = scoreProduct(hello, 'daily-revenue');
    expect(of(card, 'discoverable')).toEqual({
      score: 60,
      reasons: [
        '1 states its purpose (ODPS description.purpose)',
        '0 no description.usage: consumers guess how to use it',
        '0 no ODPS tags: search finds it by name only',
        '1 owned by team finance-team, declared in mesh.yaml',
        '1 1 of 1 output ports described',
      ],
    });
    expect(of(card, 'understandable').reasons).toContain('0 0 of 3 columns described; missing: day, orders, revenue_eur');
    expect(of(card, 'addressable').reasons[0]).toBe('1 addressed as "daily-revenue".daily_revenue');
    expect(of(card, 'valuable-on-its-own').reasons[0]).toBe('1 consumer-aligned: shaped for its use');
  });

  it('lowers discoverable when the purpose is removed', async () => {
    const mesh = await variant('hello-mesh', 'domains/sales/orders/product.odps.yaml', (t) =>
      t.replace('  purpose: Every order placed in the web shop, one row per order.\n', ''),
    );
    const before = of(scoreProduct(hello, 'orders'), 'discoverable');
    const after = of(scoreProduct(mesh, 'orders'), 'discoverable');
    expect(after.score).toBeLessThan(before.score);
    expect(after.reasons).toContain('0 no ODPS description.purpose: a search result says nothing about it');
  });

  it('lowers secure when a personal column loses its classification, naming the column', async () => {
    const mesh = await variant('hello-mesh', 'domains/sales/orders/orders.odcs.yaml', (t) =>
      t.replace('        classification: personal\n', ''),
    );
    expect(of(scoreProduct(hello, 'orders'), 'secure').reasons[0]).toBe('1 1 of 1 columns that look personal are classified');
    const after = of(scoreProduct(mesh, 'orders'), 'secure');
    expect(after.reasons[0]).toBe('0 0 of 1 columns that look personal are classified; missing: customer_email');
    expect(after.score).toBeLessThan(of(scoreProduct(hello, 'orders'), 'secure').score);
  });

  it('counts a product read by a persona as valuable, from the audit log usage', () => {
    const usage = [{ productId: 'orders', port: 'orders', personaId: 'newcomer', queries: 2 }];
    expect(of(scoreProduct(hello, 'orders', { usage }), 'valuable-on-its-own').reasons).toContain('1 queried by newcomer');
    expect(of(scoreProduct(hello, 'orders', { usage: [] }), 'valuable-on-its-own').reasons).toContain('0 no persona has queried it');
  });

  it('leaves run criteria out without runs, and fails them for a mesh that has not run yet', () => {
    const without = of(scoreProduct(hello, 'orders'), 'trustworthy');
    expect(without.reasons.at(-1)).toBe('- run history not given: publishing, checks and freshness not assessed');
    expect(without.score).toBe(100);
    // A runtime that has not run: no quantum is started, nothing is published.
    const runs = new MeshRuntime(hello, { host: new InProcessHost(1), readFile: () => Promise.reject(new Error('not read')) });
    const notRun = of(scoreProduct(hello, 'orders', { runs }), 'trustworthy');
    expect(notRun.reasons.slice(3)).toEqual([
      '0 has never run',
      '0 no published version to check',
      '0 no published version, so no fresh data',
    ]);
    expect(notRun.score).toBe(50);
  });

  it('returns nothing for a product the mesh does not have', () => {
    expect(scoreProduct(hello, 'invoices')).toBeUndefined();
  });
});
