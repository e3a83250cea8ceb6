import { beforeAll, describe, expect, it } from 'vitest';
import { searchProducts, tokenize } from '../../core/discovery/search.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { loadSample, sampleInMemory } from '../helpers.ts';
import { quanta, type CliResult } from '../support/quantaCli.ts';

/* Discovery search's edges (core/discovery/search.ts) and `quanta discover`; relevance is searchRelevance.test.ts. */

let daff: Mesh;

beforeAll(async () => {
  daff = (await loadSample('daff')).mesh;
});

const cli = (...args: string[]): Promise<CliResult> => quanta(args);

describe('searchProducts', () => {
  it('finds nothing for an empty query, a query of separators only, or a word no product has', () => {
    expect(searchProducts(daff, '')).toEqual([]);
    expect(searchProducts(daff, '   ,;:!? ')).toEqual([]);
    expect(searchProducts(daff, 'the and of')).toEqual([]);
    expect(searchProducts(daff, 'zeppelin')).toEqual([]);
  });

  it('narrows results with each filter, and every result passes them', () => {
    const all = searchProducts(daff, 'listener', { limit: 100 }).map((r) => r.product);
    const inPodcasts = searchProducts(daff, 'listener', { limit: 100, filters: { domain: 'podcasts' } }).map((r) => r.product);
    expect(inPodcasts.length).toBeGreaterThan(0);
    expect(inPodcasts.length).toBeLessThan(all.length);
    expect(inPodcasts.every((id) => id === 'podcast-listeners' || id === 'top-daily-podcasts')).toBe(true);

    const aggregates = searchProducts(daff, 'listener', { limit: 100, filters: { archetype: 'aggregate' } }).map((r) => r.product);
    expect(aggregates.every((id) => daff.products.find((p) => p.id === id)?.settings?.archetype === 'aggregate')).toBe(true);
    expect(aggregates.length).toBeLessThan(all.length);

    const personal = searchProducts(daff, 'listener', { limit: 100, filters: { personal: true } }).map((r) => r.product);
    expect(new Set(personal)).toEqual(new Set(['listener-profiles', 'listener-registrations']));
    const notPersonal = searchProducts(daff, 'listener', { limit: 100, filters: { personal: false } }).map((r) => r.product);
    expect(notPersonal.some((id) => personal.includes(id))).toBe(false);

    expect(searchProducts(daff, 'listener', { filters: { status: 'ACTIVE' } }).length).toBeGreaterThan(0);
    expect(searchProducts(daff, 'listener', { filters: { status: 'retired' } })).toEqual([]);
    expect(searchProducts(daff, 'listener', { filters: { domain: 'no-such-domain' } })).toEqual([]);
  });

  it('returns at most limit results, best first', () => {
    const results = searchProducts(daff, 'artist', { limit: 2 });
    expect(results).toHaveLength(2);
    expect(results[0]!.score).toBeGreaterThanOrEqual(results[1]!.score);
  });

  it('splits ids and column names into their words and keeps them whole', () => {
    expect(tokenize('customer_email, "Pay-per-stream" daff.listeners')).toEqual([
      'customer_email',
      'customer',
      'email',
      'Pay_per_stream',
      'Pay',
      'per',
      'stream',
      'daff_listeners',
      'daff',
      'listeners',
    ]);
  });

  it('neither throws nor hangs on hostile queries: very long, regular-expression characters, control characters', () => {
    const hostile = [
      'a'.repeat(100_000),
      'listener '.repeat(20_000),
      '.*+?^${}()|[]\\/'.repeat(1000),
      '(a+)+$ ((((((((((x',
      '\u0000\u0007email\u001b[0m\u202e\ud800',
      'ẞ İ ǅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎵🎶',
    ];
    for (const query of hostile) expect(() => searchProducts(daff, query)).not.toThrow();
    // Control characters separate words: the e-mail columns are still found.
    expect(searchProducts(daff, hostile[4]!).map((r) => r.product)).toContain('listener-registrations');
  });

  it('indexes a hostile mesh (a megabyte description, control characters, regex text in a name) and still finds its product', async () => {
    const { files } = await sampleInMemory('daff');
    const path = 'domains/songs/music-catalog/product.odps.yaml';
    const text = new TextDecoder().decode(files[path] as Uint8Array);
    const long = Array.from({ length: 60_000 }, (_, i) => `w${i % 5000}x`).join(' ');
    files[path] = text
      .replace('name: Music catalog', 'name: "Music (catalog)+ [.*] \\u001b[2J \\u0000"')
      .replace('description:\n', `description:\n  limitations: "${long}"\n`);
    const { mesh } = await loadMesh(new MemoryFileSystem(files));
    const [first] = searchProducts(mesh, 'isrc');
    expect(first?.product).toBe('music-catalog');
    expect(searchProducts(mesh, 'w4999x').map((r) => r.product)).toEqual(['music-catalog']);
    expect(searchProducts(mesh, '(catalog)+').map((r) => r.product)).toContain('music-catalog');
  });
});

describe('quanta discover', () => {
  it('prints a ranked table of product, domain, owner and why, and exits 0', async () => {
    const result = await cli('discover', 'sample-meshes/daff', 'contact_email');
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^rank\s+product\s+domain\s+owner\s+why$/);
    expect(lines[1]).toMatch(/^\s*1\s+artist-onboarding\s+artists\s+artists-team\s+column contact_email/);
    expect(result.err).toBe('');
  });

  it('prints JSON with --json that parses, with the filters and each result’s matches', async () => {
    const result = await cli('discover', 'sample-meshes/daff', 'email', '--domain', 'listeners', '--personal', '--limit', '1', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as {
      query: string;
      filters: Record<string, unknown>;
      results: { rank: number; product: string; domain: string; owner: string; score: number; why: string; matches: { field: string }[] }[];
    };
    expect(report.query).toBe('email');
    expect(report.filters).toEqual({ domain: 'listeners', personal: true });
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ rank: 1, domain: 'listeners', owner: 'listeners-team' });
    expect(report.results[0]?.matches.some((m) => m.field === 'column')).toBe(true);
  });

  it('exits 1 with a sentence when nothing matches', async () => {
    const result = await cli('discover', 'sample-meshes/daff', 'isrc', '--archetype', 'aggregate');
    expect(result.code).toBe(1);
    expect(result.out).toBe('no data product matches "isrc" with these filters\n');
  });

  it.each([
    [['discover', 'sample-meshes/daff'], 'give the mesh folder and one query'],
    [['discover', 'sample-meshes/daff', 'a', 'b'], 'give the mesh folder and one query'],
    [['discover', 'sample-meshes/daff', 'a', '--archetype', 'mart'], '--archetype must be one of'],
    [['discover', 'sample-meshes/daff', 'a', '--limit', '0'], '--limit must be a whole number'],
    [['discover', 'no/such/folder', 'a'], 'is not a folder'],
  ])('answers a wrong command line %j with exit 2', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('prints no terminal control sequence from the query', async () => {
    const result = await cli('discover', 'sample-meshes/daff', 'zeppelin\u001b[2J');
    expect(result.code).toBe(1);
    expect(result.out).not.toContain('\u001b');
  });
});
