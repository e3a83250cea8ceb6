import { beforeAll, describe, expect, it } from 'vitest';
import { searchProducts, type SearchFilters } from '../../core/discovery/search.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { loadSample, sampleInMemory } from '../helpers.ts';

/*
 * The relevance set of discovery search over daff (issue 16): each query a person would type,
 * with the product they are looking for, which must come in the top 3. daff ships without
 * tags, so the tag queries run on daff with the tags the chart-from-red-to-green scenario's
 * solution gives top-daily-podcasts (and playlists made a draft, for the status filter).
 */

let daff: Mesh;
let tagged: Mesh;

const TOP_DAILY = 'domains/podcasts/top-daily-podcasts/product.odps.yaml';
const PLAYLISTS = 'domains/playlists/playlists/product.odps.yaml';

beforeAll(async () => {
  daff = (await loadSample('daff')).mesh;
  const { files } = await sampleInMemory('daff');
  const text = (path: string): string => new TextDecoder().decode(files[path] as Uint8Array);
  files[TOP_DAILY] = text(TOP_DAILY).replace('team:\n', 'tags: [podcasts, charts, advertising]\nteam:\n');
  files[PLAYLISTS] = text(PLAYLISTS).replace('status: active', 'status: draft');
  const loaded = await loadMesh(new MemoryFileSystem(files));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  tagged = loaded.mesh;
});

interface Case {
  readonly kind: string;
  readonly query: string;
  readonly expected: string;
  readonly filters?: SearchFilters;
  readonly mesh?: 'tagged';
}

const CASES: readonly Case[] = [
  { kind: 'column name', query: 'isrc', expected: 'music-catalog' },
  { kind: 'column name', query: 'payout_status', expected: 'artist-royalties' },
  { kind: 'column name', query: 'contact_email', expected: 'artist-onboarding' },
  { kind: 'column name', query: 'skip_rate', expected: 'listener-music-profiles' },
  { kind: 'column name', query: 'curator', expected: 'playlists' },
  { kind: 'owner team', query: 'finance-team', expected: 'artist-royalties' },
  { kind: 'owner team', query: 'songs-team', expected: 'music-catalog' },
  { kind: 'owner team (its name)', query: 'Media player', expected: 'play-events' },
  { kind: 'personal', query: 'personal', expected: 'listener-registrations' },
  { kind: 'personal', query: 'personal', expected: 'listener-profiles' },
  { kind: 'tag', query: 'advertising', expected: 'top-daily-podcasts', mesh: 'tagged' },
  { kind: 'tag', query: 'charts', expected: 'top-daily-podcasts', mesh: 'tagged' },
  { kind: 'domain', query: 'recommendations', expected: 'listener-music-profiles' },
  { kind: 'domain', query: 'subscriptions', expected: 'subscriptions' },
  { kind: 'output port', query: 'onboarded_artists', expected: 'artist-onboarding' },
  { kind: 'output port', query: 'listener_music_features', expected: 'listener-music-profiles' },
  { kind: 'output port', query: 'session_tracks', expected: 'play-sessions' },
  { kind: 'description word', query: 'lapsed', expected: 'listener-profiles' },
  { kind: 'description word', query: 'pay-per-stream', expected: 'artist-royalties' },
  { kind: 'description word', query: 'editorial', expected: 'playlists' },
  { kind: 'description word', query: 'sign-up', expected: 'listener-registrations' },
  { kind: 'misspelling', query: 'royalites', expected: 'artist-royalties' },
  { kind: 'misspelling', query: 'podcsts', expected: 'top-daily-podcasts' },
  { kind: 'misspelling', query: 'subscriptoin', expected: 'subscriptions' },
  { kind: 'prefix', query: 'emerg', expected: 'emerging-artists' },
  { kind: 'prefix', query: 'playl', expected: 'playlists' },
  { kind: 'prefix', query: 'royal', expected: 'artist-royalties' },
  { kind: 'filters', query: 'listener', expected: 'podcast-listeners', filters: { domain: 'podcasts', archetype: 'aggregate' } },
  {
    kind: 'filters',
    query: 'email',
    expected: 'listener-registrations',
    filters: { domain: 'Listeners', archetype: 'source-aligned', personal: true },
  },
  { kind: 'filters', query: 'artist', expected: 'artist-onboarding', filters: { personal: true } },
  { kind: 'filters', query: 'tracks', expected: 'playlists', filters: { status: 'draft' }, mesh: 'tagged' },
];

describe('discovery search relevance over daff', () => {
  it('has at least 20 queries, of every kind the issue names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    const kinds = new Set(CASES.map((c) => c.kind.split(' (')[0]));
    for (const kind of [
      'column name',
      'owner team',
      'personal',
      'tag',
      'domain',
      'output port',
      'description word',
      'misspelling',
      'prefix',
      'filters',
    ])
      expect(kinds, kind).toContain(kind);
  });

  it.each(CASES)('$kind "$query" finds $expected in the top 3', ({ query, expected, filters, mesh }) => {
    const results = searchProducts(mesh === 'tagged' ? tagged : daff, query, filters ? { filters } : {});
    const top = results.slice(0, 3).map((r) => r.product);
    expect(top, `query "${query}"${filters ? ` with ${JSON.stringify(filters)}` : ''}: top 3 were ${top.join(', ')}`).toContain(expected);
    const hit = results.find((r) => r.product === expected);
    expect(hit?.why, `query "${query}" has a why line`).not.toBe('');
  });

  it('says why: the column, the classification, the tag that matched', () => {
    const [registrations] = searchProducts(daff, 'contact_email');
    expect(registrations?.why.split(', ')[0]).toBe('column contact_email');
    const personal = searchProducts(daff, 'personal').find((r) => r.product === 'listener-registrations');
    expect(personal?.why).toContain('column email (personal)');
    const [chart] = searchProducts(tagged, 'advertising');
    expect(chart?.matches[0]).toMatchObject({ field: 'tag', phrase: 'tag advertising', exact: true });
    const [misspelt] = searchProducts(daff, 'royalites');
    expect(misspelt?.matches.some((m) => m.terms.includes('royalties') && !m.exact)).toBe(true);
  });
});
