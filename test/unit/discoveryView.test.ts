import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import type { LoadedMesh } from '../../core/load/loadMesh.ts';
import { addFeedbackChange } from '../../renderer/src/discovery/feedbackChange.ts';
import { freshnessOf, liveReads, marketCards, personaQueries } from '../../renderer/src/discovery/marketModel.ts';
import { AuditLog } from '../../core/governance/access/queryAs.ts';
import { productPageOf } from '../../renderer/src/discovery/pageModel.ts';
import { routeFromSearch, searchOf } from '../../renderer/src/store/navigation.ts';
import { changeDocument, openDocument } from '../../renderer/src/workspace/meshDocument.ts';
import { loadSample } from '../helpers.ts';

/*
 * The app's marketplace and product page models (renderer/src/discovery/) over daff, and the
 * URL of each view: the marketplace ranks every product, a search finds a column's owner,
 * feedback added through the document's edit path moves a product up and is one undo away.
 */
let daff: LoadedMesh;
beforeAll(async () => {
  daff = await loadSample('daff');
});

describe('the URL of the discovery views', () => {
  it('reads and writes the marketplace and a product page for samples and stored meshes', () => {
    expect(routeFromSearch('?sample=daff&view=marketplace')).toEqual({
      kind: 'sample',
      folder: 'daff',
      discovery: { kind: 'marketplace' },
    });
    expect(routeFromSearch('?mesh=m1&view=marketplace&product=artist-royalties')).toEqual({
      kind: 'stored',
      id: 'm1',
      discovery: { kind: 'product', product: 'artist-royalties' },
    });
    expect(searchOf({ kind: 'sample', folder: 'daff', discovery: { kind: 'product', product: 'play-events' } })).toBe(
      '?sample=daff&view=marketplace&product=play-events',
    );
    // Back to the canvas drops both; other parameters of the page stay.
    expect(searchOf({ kind: 'sample', folder: 'daff' }, '?sample=daff&view=marketplace&product=x&debug=1')).toBe('?debug=1&sample=daff');
    expect(routeFromSearch(searchOf({ kind: 'stored', id: 'a b', discovery: { kind: 'marketplace' } }))).toEqual({
      kind: 'stored',
      id: 'a b',
      discovery: { kind: 'marketplace' },
    });
  });

  it('ignores a product parameter that cannot be a product id', () => {
    expect(routeFromSearch('?sample=daff&product=%3Cscript%3E')).toEqual({ kind: 'sample', folder: 'daff' });
    expect(routeFromSearch(`?sample=daff&product=${'a'.repeat(500)}`)).toEqual({ kind: 'sample', folder: 'daff' });
  });
});

describe('the marketplace model', () => {
  it('lists every product ranked for an empty query, and a column name finds its owner first', () => {
    const all = marketCards(daff.mesh, '', {}, []);
    expect(all.map((c) => c.rank)).toEqual(daff.mesh.products.map((_, i) => i + 1));
    expect(all.every((c) => c.why === '' && c.freshness.text === 'not run yet')).toBe(true);
    const found = marketCards(daff.mesh, 'payout_status', {}, []);
    expect(found[0]?.id).toBe('artist-royalties');
    expect(found[0]?.why).toContain('payout_status');
    expect(found[0]?.whyRank).toMatch(/relevance .* × trust .* × use/);
  });

  it('filters by domain and personal data', () => {
    const listeners = marketCards(daff.mesh, '', { domain: 'listeners' }, []);
    expect(listeners.length).toBeGreaterThan(0);
    expect(listeners.every((c) => c.domain.id === 'listeners')).toBe(true);
    expect(marketCards(daff.mesh, '', { personal: false }, []).every((c) => !c.personal)).toBe(true);
  });

  it('says freshness from the latest run', () => {
    expect(freshnessOf(undefined).tone).toBe('none');
    const run = { product: 'p', published: true, checksPassed: 3, checksTotal: 3, status: 'published' as const, version: 2 };
    expect(freshnessOf({ ...run, slaMet: true })).toEqual({ tone: 'fresh', text: 'v2, fresh' });
    expect(freshnessOf({ ...run, slaMet: false }).tone).toBe('late');
    expect(freshnessOf({ ...run, published: false, status: 'refused' }).tone).toBe('refused');
  });

  it('counts a consumer run that published as a read of each port it reads', () => {
    const reads = liveReads(daff.mesh, [
      { product: 'artist-royalties', status: 'published' },
      { product: 'artist-royalties', status: 'failed' },
    ]);
    expect(reads.size).toBeGreaterThan(0);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('feedback from the product page', () => {
  it('is an undoable edit of the document that lifts the product it rates', () => {
    let doc = openDocument({ kind: 'sample', folder: 'daff' }, daff, new MemoryFileSystem({}));
    const before = marketCards(doc.mesh, '', {}, []);
    const lowest = before[before.length - 1]?.id as string;
    for (const team of ['finance-team', 'recommendations-team', 'songs-team']) {
      const change = addFeedbackChange(doc, lowest, { team, rating: 5, comment: 'Exactly right' }, '2026-12-03');
      if ('refused' in change) throw new Error(change.refused);
      doc = changeDocument(doc, change.change, change.label);
    }
    const after = marketCards(doc.mesh, '', {}, []);
    const rank = (cards: typeof before) => cards.find((c) => c.id === lowest)?.rank ?? 0;
    expect(rank(after)).toBeLessThan(rank(before));
    expect(productPageOf(doc.mesh, lowest, undefined, [])?.feedback.entries).toContainEqual(
      expect.objectContaining({ team: 'songs-team', rating: 5, date: '2026-12-03' }),
    );
    expect(doc.history.canUndo).toBe(true);
  });

  it('is refused in words for a team mesh.yaml does not declare', () => {
    const doc = openDocument({ kind: 'sample', folder: 'daff' }, daff, new MemoryFileSystem({}));
    const change = addFeedbackChange(doc, 'play-events', { team: 'no-such-team', rating: 4 }, '2026-12-03');
    expect(change).toHaveProperty('refused');
  });
});

describe('persona queries as live use', () => {
  it("counts the audit log's successful reads per port, and they lift the product they read", async () => {
    const daff = await loadSample('daff');
    const audit = new AuditLog();
    const read = {
      kind: 'query' as const,
      at: '2026-11-01T00:00:00Z',
      product: 'subscriptions',
      port: 'subscription_events',
      decision: 'allowed' as const,
      reason: 'public',
      columnsMasked: [],
    };
    for (let i = 0; i < 40; i++) audit.append({ ...read, persona: 'analyst', read: true });
    audit.append({ ...read, persona: 'analyst', decision: 'denied', read: false });
    const queries = personaQueries(audit);
    expect(queries.get('subscriptions/subscription_events')).toBe(40);
    const useOf = (live?: Parameters<typeof marketCards>[4]) =>
      marketCards(daff.mesh, '', {}, [], live).find((c) => c.id === 'subscriptions');
    const before = useOf({ ticks: 1 });
    const after = useOf({ queries, ticks: 1 });
    expect(after?.whyRank).not.toBe(before?.whyRank);
    expect(after?.whyRank).toMatch(/quer/);
  });
});
