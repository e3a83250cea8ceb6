import { beforeAll, describe, expect, it } from 'vitest';
import { buildProductPage } from '../../core/discovery/productPage.ts';
import type { Mesh } from '../../core/model/types.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';
import { loadSample } from '../helpers.ts';

/*
 * The product page model (issue 16) on daff's real files: artist-profiles reads three ports of
 * two products and is read by two, so its ports, columns, rules, SLAs, lineage and consumers
 * can all be checked against what the files say.
 */

let daff: Mesh;

beforeAll(async () => {
  daff = (await loadSample('daff')).mesh;
});

function page(id: string, facts?: Parameters<typeof buildProductPage>[2]): NonNullable<ReturnType<typeof buildProductPage>> {
  const built = buildProductPage(daff, id, facts);
  if (!built) throw new Error(`no page for ${id}`);
  return built;
}

describe('buildProductPage on daff', () => {
  it('says who owns the product, where it lives and what it is for', () => {
    const p = page('artist-profiles');
    expect(p).toMatchObject({
      id: 'artist-profiles',
      name: 'Artist profiles',
      domain: { id: 'artists', name: 'Artists' },
      owner: { id: 'artists-team', name: 'Artists' },
      archetype: 'aggregate',
      status: 'active',
      version: '1.0.0',
    });
    expect(p.description.purpose).toMatch(/^One profile per artist/);
    expect(p.description.usage).toMatch(/join plays on track_id/);
  });

  it('lists the output ports with their contracts and the columns of each, keys and classifications included', () => {
    const p = page('artist-profiles');
    expect(p.outputs.map((o) => [o.name, o.contractId, o.contractVersion, o.contractStatus])).toEqual([
      ['artist_profiles', 'daff.artists.artist-profiles.artist_profiles', '1.0.0', 'active'],
      ['artist_tracks', 'daff.artists.artist-profiles.artist_tracks', '1.0.0', 'active'],
    ]);
    const profiles = p.outputs[0];
    expect(profiles?.contractFile).toBe('domains/artists/artist-profiles/artist_profiles.odcs.yaml');
    expect(profiles?.columns).toHaveLength(12);
    expect(profiles?.columns[0]).toEqual({
      table: 'artist_profiles',
      name: 'artist_id',
      type: 'VARCHAR',
      logicalType: 'string',
      required: true,
      unique: true,
      primaryKey: true,
    });
    expect(profiles?.columns.find((c) => c.name === 'royalty_rate')).toMatchObject({ classification: 'internal', type: 'DECIMAL(4,2)' });
    expect(profiles?.columns.find((c) => c.name === 'primary_genre')).toMatchObject({
      required: false,
      description: "The genre of most of the artist's tracks; null without tracks.",
    });
  });

  it('says each quality rule in words, under the check id a run reports it by', () => {
    const rules = page('artist-profiles').outputs[0]?.quality ?? [];
    expect(rules.map((r) => [r.rule, r.severity])).toEqual([
      ['artist_profiles.quality[0]', 'error'],
      ['artist_profiles.quality[1]', 'error'],
      ['artist_profiles.quality[2]', 'warning'],
    ]);
    expect(rules[0]?.text).toBe('artist_profiles: at least 1 row');
    expect(rules[1]?.text).toMatch(
      /^artist_profiles: SQL SELECT COUNT\(\*\) FROM artist_profiles WHERE first_release_on > latest_release_on/,
    );
    expect(rules.every((r) => r.latest === undefined)).toBe(true);
  });

  it('lists the SLAs as written, with the measured freshness against the latency one when a run gave it', () => {
    const statics = page('artist-profiles').outputs[0]?.slas;
    expect(statics).toEqual([
      { property: 'latency', value: '1 d' },
      { property: 'frequency', value: '1 d' },
      { property: 'retention', value: '10 y' },
    ]);
    const measured = page('artist-profiles', {
      freshness: [{ product: 'artist-profiles', port: 'artist_profiles', ageText: '3 h', met: true }],
    }).outputs[0]?.slas;
    expect(measured?.[0]).toEqual({ property: 'latency', value: '1 d', measured: '3 h', met: true });
    expect(measured?.[2]).toEqual({ property: 'retention', value: '10 y' });
  });

  it('links upstream and downstream products, input ports to the port they read, and names the consumers of each output', () => {
    const p = page('artist-profiles');
    expect(p.upstream).toEqual(['artist-onboarding', 'music-catalog']);
    expect(p.downstream).toEqual(['artist-royalties', 'emerging-artists']);
    expect(p.inputs).toEqual([
      {
        port: 'onboarded_artists',
        contractId: 'daff.artists.artist-onboarding.onboarded_artists',
        version: '1.0.0',
        upstream: { product: 'artist-onboarding', port: 'onboarded_artists' },
      },
      {
        port: 'tracks',
        contractId: 'daff.songs.music-catalog.tracks',
        version: '1.1.0',
        upstream: { product: 'music-catalog', port: 'tracks' },
      },
      {
        port: 'albums',
        contractId: 'daff.songs.music-catalog.albums',
        version: '1.0.0',
        upstream: { product: 'music-catalog', port: 'albums' },
      },
    ]);
    expect([...p.consumers].sort((a, b) => `${a.product}${a.port}`.localeCompare(`${b.product}${b.port}`))).toEqual([
      { product: 'artist-royalties', port: 'artist_profiles', via: 'artist_profiles' },
      { product: 'artist-royalties', port: 'artist_tracks', via: 'artist_tracks' },
      { product: 'emerging-artists', port: 'artist_profiles', via: 'artist_profiles' },
      { product: 'emerging-artists', port: 'artist_tracks', via: 'artist_tracks' },
    ]);
  });

  it('has the scorecard of the product, and a source-aligned product has no upstream', () => {
    const p = page('artist-profiles');
    expect(p.scorecard.product).toBe('artist-profiles');
    expect(p.scorecard.characteristics).toHaveLength(8);
    const source = page('artist-onboarding');
    expect(source.archetype).toBe('source-aligned');
    expect(source.upstream).toEqual([]);
    expect(source.downstream).toEqual(['artist-profiles']);
  });

  it('puts the latest result on each rule, and lists results of the column promises after the rules', () => {
    const rules =
      page('artist-profiles', {
        qualityResults: [
          {
            product: 'artist-profiles',
            port: 'artist_profiles',
            rule: 'artist_profiles.quality[2]',
            passed: false,
            detail: 'measured 31%',
          },
          { product: 'artist-profiles', port: 'artist_profiles', rule: 'artist_profiles.artist_id.required', passed: true },
          { product: 'artist-profiles', port: 'artist_tracks', rule: 'artist_tracks.quality[0]', passed: false },
        ],
      }).outputs[0]?.quality ?? [];
    expect(rules[2]?.latest).toEqual({ passed: false, detail: 'measured 31%' });
    expect(rules[0]?.latest).toBeUndefined();
    expect(rules.slice(3)).toEqual([
      { rule: 'artist_profiles.artist_id.required', text: 'artist_id: no null values (required)', latest: { passed: true } },
    ]);
  });

  it('lists published versions oldest first, with the contract changes where the contract version moved', () => {
    const file = daff.files.get('domains/artists/artist-profiles/artist_profiles.odcs.yaml');
    if (!file || !('doc' in file)) throw new Error('contract not loaded');
    const next = parseYaml(
      file.path,
      file.text.replace('version: 1.0.0', 'version: 1.1.0').replace('      - name: onboarded_at\n', '      - name: onboarded_on\n'),
    );
    const at = { product: 'artist-profiles', port: 'artist_profiles' };
    const versions =
      page('artist-profiles', {
        portVersions: [
          { ...at, version: 2, contractVersion: '1.1.0', rows: 40 },
          { ...at, version: 1, contractVersion: '1.0.0', rows: 38, at: '2026-01-01T00:00:00Z' },
          { ...at, version: 3, contractVersion: '1.1.0', rows: 41 },
        ],
        contractFiles: [
          { ...at, contractVersion: '1.0.0', file },
          { ...at, contractVersion: '1.1.0', file: next },
        ],
      }).outputs[0]?.versions ?? [];
    expect(versions.map((v) => [v.version, v.rows, v.contractVersion])).toEqual([
      [1, 38, '1.0.0'],
      [2, 40, '1.1.0'],
      [3, 41, '1.1.0'],
    ]);
    expect(versions[0]?.contractChanges).toEqual([]);
    expect(versions[1]?.contractChanges.join('\n')).toMatch(/onboarded_at/);
    expect(versions[2]?.contractChanges).toEqual([]);
  });

  it('has no page for a product the mesh does not have, and no feedback before any is given', () => {
    expect(buildProductPage(daff, 'no-such-product')).toBeUndefined();
    expect(page('playlists').feedback).toEqual({ count: 0, entries: [] });
  });

  it('lists the feedback of the product newest first, with the mean rating', () => {
    const feedback = page('play-events').feedback;
    expect(feedback.count).toBe(5);
    expect(feedback.mean).toBeCloseTo(4.4, 5);
    expect(feedback.entries.map((e) => [e.date, e.team ?? e.persona, e.rating])).toEqual([
      ['2026-11-24', 'marketing-analyst', 4],
      ['2026-11-17', 'recommendations-team', 4],
      ['2026-11-11', 'data-scientist', 5],
      ['2026-11-06', 'podcasts-team', 4],
      ['2026-11-02', 'finance-team', 5],
    ]);
    expect(feedback.entries[4]).toMatchObject({ port: 'play_events', comment: expect.stringMatching(/^Every stream/) as string });
  });
});
