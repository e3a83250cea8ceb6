import { describe, expect, it } from 'vitest';
import { decideAccess, requestAccess } from '../../core/governance/access/access.ts';
import { AuditLog, maskedSelect, portReferences } from '../../core/governance/access/queryAs.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { loadSample, sampleInMemory } from '../helpers.ts';

const daff = (await loadSample('daff')).mesh;
const hello = (await loadSample('hello-mesh')).mesh;

/** A sample with some of its files' text changed, loaded from memory (the sample on disk is untouched). */
async function variant(name: string, edit: Record<string, (text: string) => string>): Promise<Mesh> {
  const { files } = await sampleInMemory(name);
  for (const [path, change] of Object.entries(edit)) {
    const bytes = files[path];
    if (bytes === undefined) throw new Error(`no file ${path} in ${name}`);
    files[path] = change(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  }
  const { mesh, diagnostics } = await loadMesh(new MemoryFileSystem(files));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return mesh;
}

const ORDERS_PRODUCT = 'domains/sales/orders/product.odps.yaml';
const withVisibility = (value: string) => (text: string) =>
  text.replace(
    '    contractId: hello.sales.orders',
    `    contractId: hello.sales.orders\n    customProperties:\n      - property: visibility\n        value: ${value}`,
  );
const withShopEngineer = (text: string): string =>
  text.replace('personas:\n', 'personas:\n  - id: shop-engineer\n    name: Shop engineer\n    team: sales-team\n    purposes: []\n');

describe('deciding who reads an output port', () => {
  it('masks every classified column for a persona without a purpose, saying why per column', () => {
    const d = decideAccess(daff, 'trainee', 'listener-profiles', 'listener_profiles');
    expect(d).toMatchObject({ allowed: true, rule: 'open' });
    expect(d.maskedColumns.map((m) => m.column)).toEqual(['email', 'display_name', 'birth_date']);
    expect(d.maskedColumns[0]?.reason).toBe(
      'classified personal; read in clear only for listener-data-reader, marketing, ml-training, and trainee holds no purpose',
    );
    expect(d.clearColumns).toEqual([]);
  });

  it('shows classified columns in clear to a persona whose purpose is a role of the contract', () => {
    const d = decideAccess(daff, 'marketing-analyst', 'listener-registrations', 'listener_registrations');
    expect(d).toMatchObject({ allowed: true, rule: 'granted-by-role', grantedBy: 'marketing', maskedColumns: [] });
    expect(d.clearColumns.map((c) => c.column)).toEqual(['email', 'display_name', 'birth_date']);
  });

  it('does not let a role without read access unmask anything', async () => {
    const path = 'domains/listeners/listener-registrations/listener_registrations.odcs.yaml';
    const mesh = await variant('daff', {
      [path]: (t) => t.replace('  - role: marketing\n    access: read', '  - role: marketing\n    access: write'),
    });
    const d = decideAccess(mesh, 'marketing-analyst', 'listener-registrations', 'listener_registrations');
    expect(d).toMatchObject({ allowed: true, rule: 'open' });
    expect(d.maskedColumns.map((m) => m.column)).toEqual(['email', 'display_name', 'birth_date']);
  });

  it('does not mask columns classified public or internal', () => {
    const d = decideAccess(daff, 'trainee', 'artist-profiles', 'artist_profiles');
    expect(d).toMatchObject({ allowed: true, maskedColumns: [], clearColumns: [] });
  });

  it('denies a contract given out per request to a persona without one of its roles, and says whom to ask', () => {
    const d = decideAccess(daff, 'data-scientist', 'artist-royalties', 'artist_royalties');
    expect(d).toMatchObject({ allowed: false, rule: 'approval-required', maskedColumns: [] });
    expect(d.reason).toBe(
      'contract daff.finance.artist-royalties.artist_royalties is granted per request to the purposes royalties; data-scientist holds ml-training: ask Head of Finance',
    );
    // The finance analyst is in the owning team; a role holder outside it is let in by the role.
    expect(decideAccess(daff, 'finance-analyst', 'artist-royalties', 'artist_royalties')).toMatchObject({
      allowed: true,
      rule: 'owning-team',
    });
  });

  it('decides by the purpose a request names, not by every purpose the persona holds', async () => {
    const mesh = await variant('daff', { 'mesh.yaml': (t) => t.replace('purposes: [marketing]', 'purposes: [marketing, ml-training]') });
    const forModels = decideAccess(mesh, 'marketing-analyst', 'listener-registrations', 'listener_registrations', 'ml-training');
    expect(forModels).toMatchObject({ allowed: true, purpose: 'ml-training', rule: 'open' });
    expect(forModels.maskedColumns.map((m) => m.column)).toEqual(['email', 'display_name', 'birth_date']);
    const forCampaigns = decideAccess(mesh, 'marketing-analyst', 'listener-registrations', 'listener_registrations', 'marketing');
    expect(forCampaigns).toMatchObject({ allowed: true, grantedBy: 'marketing', maskedColumns: [] });
  });

  it('denies a request for a purpose the persona does not hold', () => {
    const d = decideAccess(daff, 'trainee', 'listener-profiles', 'listener_profiles', 'marketing');
    expect(d).toMatchObject({
      allowed: false,
      rule: 'purpose-not-held',
      reason: 'trainee does not hold purpose marketing (holds: no purpose)',
    });
  });

  it('names what exists when the persona, product or port does not', () => {
    expect(decideAccess(hello, 'ceo', 'orders', 'orders')).toMatchObject({
      allowed: false,
      rule: 'unknown-persona',
      reason: 'mesh.yaml declares no persona "ceo" (personas: finance-analyst, newcomer)',
    });
    expect(decideAccess(hello, 'newcomer', 'orders', 'refunds').reason).toBe('product orders has no output port refunds (ports: orders)');
    expect(decideAccess(hello, 'newcomer', 'invoices', 'invoices').reason).toBe('the mesh has no product invoices');
  });

  it('lets the owning team read its own product in clear', async () => {
    const mesh = await variant('hello-mesh', { 'mesh.yaml': withShopEngineer });
    const d = decideAccess(mesh, 'shop-engineer', 'orders', 'orders');
    expect(d).toMatchObject({ allowed: true, rule: 'owning-team', maskedColumns: [] });
    expect(d.clearColumns.map((c) => c.column)).toEqual(['customer_email']);
  });

  it('keeps a private port to its owning team', async () => {
    const mesh = await variant('hello-mesh', { 'mesh.yaml': withShopEngineer, [ORDERS_PRODUCT]: withVisibility('private') });
    expect(decideAccess(mesh, 'finance-analyst', 'orders', 'orders')).toMatchObject({
      allowed: false,
      rule: 'private-port',
      reason: 'orders.orders is private to team sales-team; finance-analyst is in team finance-team',
    });
    expect(decideAccess(mesh, 'shop-engineer', 'orders', 'orders').allowed).toBe(true);
    // The same port without the property is public: visibility is what denied it.
    expect(decideAccess(hello, 'finance-analyst', 'orders', 'orders').allowed).toBe(true);
  });

  it('keeps a domain port to the teams of its domain', async () => {
    const mesh = await variant('hello-mesh', {
      'mesh.yaml': withShopEngineer,
      [ORDERS_PRODUCT]: withVisibility('domain'),
    });
    expect(decideAccess(mesh, 'newcomer', 'orders', 'orders')).toMatchObject({ allowed: false, rule: 'domain-port' });
    expect(decideAccess(mesh, 'finance-analyst', 'orders', 'orders').rule).toBe('domain-port');
    expect(decideAccess(mesh, 'shop-engineer', 'orders', 'orders').allowed).toBe(true);
  });

  it('records an access request with its purpose, decision and simulated time', () => {
    const request = requestAccess(
      daff,
      { persona: 'finance-analyst', product: 'artist-onboarding', port: 'onboarded_artists', purpose: 'royalties' },
      '2026-11-08T00:00:00.000Z',
    );
    expect(request).toMatchObject({
      purpose: 'royalties',
      at: '2026-11-08T00:00:00.000Z',
      decision: { allowed: true, grantedBy: 'royalties' },
    });
    const audit = new AuditLog();
    audit.recordRequest(request);
    expect(audit.entries).toEqual([
      expect.objectContaining({ kind: 'request', persona: 'finance-analyst', decision: 'allowed', purpose: 'royalties', read: false }),
    ]);
  });
});

describe('the audit log', () => {
  it('is append-only: entries handed out cannot change what it holds', () => {
    const audit = new AuditLog();
    audit.recordRequest(requestAccess(hello, { persona: 'newcomer', product: 'orders', port: 'orders' }, '2026-11-01T00:00:00.000Z'));
    const entries = audit.entries as unknown[];
    entries.length = 0;
    expect(audit.entries).toHaveLength(1);
    expect(Object.isFrozen(audit.entries[0])).toBe(true);
    expect(audit.entries[0]?.columnsMasked).toEqual(['customer_email']);
  });
});

describe('finding the output ports a query reads', () => {
  const refs = (sql: string): string[] => portReferences(sql, daff).map((r) => `${r.product}.${r.port}`);

  it('finds quoted and bare, any-case names, once each, in order', () => {
    expect(
      refs('SELECT * FROM "listener-profiles".listener_profiles p JOIN "Music-Catalog"."TRACKS" t ON true, playlists.playlists'),
    ).toEqual(['listener-profiles.listener_profiles', 'music-catalog.tracks', 'playlists.playlists']);
    expect(refs('SELECT "listener-profiles" . listener_profiles.email FROM "listener-profiles".listener_profiles')).toEqual([
      'listener-profiles.listener_profiles',
    ]);
  });

  it('ignores names inside strings and comments, and ports of other products', () => {
    const sql = `-- "artist-royalties".artist_royalties
SELECT '"artist-royalties".artist_royalties' AS s, $$ "artist-royalties".artist_royalties $$ /* "artist-royalties".artist_royalties */
FROM "music-catalog".albums, "music-catalog".artist_royalties`;
    expect(refs(sql)).toEqual(['music-catalog.albums']);
  });
});

describe('the masked view of a port', () => {
  it('replaces text with *** and other types with NULL, keeping the other columns', () => {
    const d = decideAccess(daff, 'trainee', 'listener-profiles', 'listener_profiles');
    expect(maskedSelect(daff, d, 'src')).toBe(
      `SELECT * REPLACE (CASE WHEN "email" IS NULL THEN NULL ELSE '***' END AS "email", CASE WHEN "display_name" IS NULL THEN NULL ELSE '***' END AS "display_name", CASE WHEN false THEN "birth_date" END AS "birth_date") FROM src`,
    );
    expect(maskedSelect(daff, decideAccess(daff, 'marketing-analyst', 'listener-profiles', 'listener_profiles'), 'src')).toBe(
      'SELECT * FROM src',
    );
  });
});
