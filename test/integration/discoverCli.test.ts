import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';
import { quantaWithHosts } from '../support/quantaCli.ts';

/* `quanta discover` ranked (relevance × trust × use) and `quanta run --record-usage`, as a user calls them; in-process quanta. */
const { cli, dispose } = quantaWithHosts();
afterAll(dispose);

async function helloCopy(): Promise<string> {
  const dir = await tempDir('record-usage');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  return dir;
}

interface DiscoverJson {
  readonly query: string;
  readonly filters: Record<string, unknown>;
  readonly results: readonly {
    readonly rank: number;
    readonly product: string;
    readonly score: number;
    readonly relevance: number;
    readonly trust: number;
    readonly use: number;
    readonly whyRank: string;
    readonly rating?: { mean: number; count: number };
    readonly consumers: number;
    readonly readsPerTick: number;
    readonly similar: readonly { product: string; moreUsed: string }[];
    readonly matches: readonly unknown[];
  }[];
}

describe('quanta discover, ranked', () => {
  it('prints under each result why it ranks there and, for look-alikes, which one is more used', async () => {
    const result = await cli('discover', 'sample-meshes/retail', 'orders');
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toMatch(/^rank\s+product\s+domain\s+owner\s+why$/);
    expect(lines[1]).toMatch(/^\s*1\s+online-orders\s+orders\s+orders-team\s+name Online orders/);
    expect(lines[2]).toMatch(/^\s+relevance [\d.]+ × trust [\d.]+ \(4\.4★ from 5, active\) × use [\d.]+ \(3 consumers, 3 reads\/tick/);
    expect(result.out).toMatch(/^\s+possible duplicate of online-orders \(more used; 33% of output columns shared\)$/m);
    expect(result.err).toBe('');
  });

  it('lists the whole marketplace for an empty query, best trust × use first, with the rating', async () => {
    const result = await cli('discover', 'sample-meshes/daff', '');
    expect(result.code).toBe(0);
    const rows = result.out.split('\n').filter((l) => /^\s*\d+\s/.test(l));
    expect(rows).toHaveLength(14);
    expect(rows[0]).toMatch(/^\s*1\s+play-events\s+media-player\s+media-player-team\s+4\.4★ \(5\)$/);
  });

  it('gives every factor in --json', async () => {
    const result = await cli('discover', 'sample-meshes/retail', 'sku', '--json');
    const report = JSON.parse(result.out) as DiscoverJson;
    const store = report.results.find((r) => r.product === 'store-orders');
    expect(store).toMatchObject({ rating: { count: 3 }, consumers: 3 });
    expect(store?.score).toBeCloseTo((store?.relevance ?? 0) * (store?.trust ?? 0) * (store?.use ?? 0));
    expect(store?.similar).toEqual([expect.objectContaining({ product: 'online-orders', moreUsed: 'online-orders' })]);
    expect(store?.matches.length).toBeGreaterThan(0);
    expect(report.results.map((r) => r.rank)).toEqual(report.results.map((_, i) => i + 1));
  });

  it('runs the mesh first with --sla-met and keeps the products whose ports met their freshness SLA', async () => {
    const result = await cli('discover', 'sample-meshes/hello-mesh', '', '--sla-met', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as DiscoverJson;
    expect(report.filters).toEqual({ slaMet: true });
    expect(report.results.map((r) => r.product).sort()).toEqual(['daily-revenue', 'orders']);
    expect(report.results[0]?.whyRank).toMatch(/checks \d+\/\d+, SLA met/);
  });
});

describe('quanta run --record-usage', () => {
  it('adds each consumer’s reads and the run’s ticks to the usage files, and the ranking follows them', async () => {
    const dir = await helloCopy();
    const first = await cli('run', dir, '--record-usage');
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/recorded 1 read over 1 tick in .*usage\/orders\.usage\.yaml/);
    const path = nodePath.join(dir, 'usage/orders.usage.yaml');
    const written = await fsp.readFile(path, 'utf8');
    expect(written).toMatch(/^kind: Usage$/m);
    expect(written).toMatch(/^ticks: 1$/m);
    expect(written).toMatch(/^ {2}- port: orders\n {4}reads: 1$/m);
    // A comment someone adds survives the next run, whose counts are added.
    await fsp.writeFile(path, written.replace('ticks: 1', 'ticks: 1 # hand-kept'));
    expect((await cli('run', dir, '--ticks', '2', '--record-usage')).code).toBe(0);
    const again = await fsp.readFile(path, 'utf8');
    expect(again).toMatch(/^ticks: 4 # hand-kept$/m);
    expect(again).toMatch(/reads: [2-4]$/m);
    expect((await cli('validate', dir)).code).toBe(0);
    const ranked = JSON.parse((await cli('discover', dir, '', '--json')).out) as DiscoverJson;
    expect(ranked.results.find((r) => r.product === 'orders')?.readsPerTick).toBeGreaterThan(0);
    // Nothing but the usage file was written, and no temp file is left behind.
    expect(await fsp.readdir(nodePath.join(dir, 'usage'))).toEqual(['orders.usage.yaml']);
  });

  it('leaves a usage file it cannot read alone and exits 1', async () => {
    const dir = await helloCopy();
    await fsp.mkdir(nodePath.join(dir, 'usage'));
    const broken = 'kind: Usage\nproduct: orders\nticks: [1\n';
    await fsp.writeFile(nodePath.join(dir, 'usage/orders.usage.yaml'), broken);
    // A mesh with a broken file does not run at all, so nothing is recorded either.
    const result = await cli('run', dir, '--record-usage');
    expect(result.code).toBe(1);
    expect(await fsp.readFile(nodePath.join(dir, 'usage/orders.usage.yaml'), 'utf8')).toBe(broken);
  });
});
