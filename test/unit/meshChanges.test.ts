import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { applyChange, changeLabel, consumersBrokenBy, removedProductFolders, type MeshChange } from '../../core/edits/meshChanges.ts';
import { EditError } from '../../core/model/editError.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { buildMesh, type BuiltMesh } from '../../core/load/buildMesh.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { changedFiles } from '../../core/save/savePlan.ts';
import { sampleInMemory } from '../helpers.ts';

/* Every change kind on an in-memory copy of a sample mesh, checked through the rebuilt model. */
async function sample(name: string, extra: Record<string, string> = {}): Promise<BuiltMesh> {
  const { files } = await sampleInMemory(name);
  const { mesh, diagnostics } = await loadMesh(new MemoryFileSystem({ ...files, ...extra }));
  return { mesh, diagnostics: [...diagnostics] };
}

const errors = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`);

/** Applies the change and returns the rebuilt mesh, after checking that files it did not change kept their identity. */
function change(before: BuiltMesh, edit: MeshChange): { after: BuiltMesh; files: MeshFiles; changed: string[] } {
  const files = applyChange(before.mesh.files, edit, before.mesh);
  const changed = changedFiles(files, before.mesh.files);
  for (const [path, file] of files) if (!changed.includes(path)) expect(file, path).toBe(before.mesh.files.get(path));
  return { after: buildMesh(files), files, changed };
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n');
}

/** Lines of `after` that are not in `before`: what a git diff would show as added. */
function addedLines(before: string | undefined, after: string | undefined): string[] {
  const old = new Set(lines(before));
  return lines(after).filter((l) => !old.has(l));
}

function expectEditError(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(EditError);
  expect((thrown as Error).message).toMatch(message);
}

describe('createDomain', () => {
  it('writes domains/<id>/domain.yaml owned by an existing team, and the model has the domain', async () => {
    const before = await sample('hello-mesh');
    const { after, changed } = change(before, {
      kind: 'createDomain',
      id: 'marketing',
      name: 'Marketing',
      team: 'sales-team',
      description: 'Campaigns.',
    });
    expect(changed).toEqual(['domains/marketing/domain.yaml']);
    expect(after.mesh.domains.find((d) => d.id === 'marketing')).toMatchObject({
      name: 'Marketing',
      team: 'sales-team',
      description: 'Campaigns.',
    });
    expect(errors(after.diagnostics)).toEqual([]);
  });

  it('gives a domain without a team its own team, declared in mesh.yaml, whose comments survive', async () => {
    const before = await sample('hello-mesh');
    const { after, changed } = change(before, { kind: 'createDomain', id: 'marketing', name: 'Marketing' });
    expect(changed).toEqual(['domains/marketing/domain.yaml', 'mesh.yaml']);
    expect(after.mesh.domains.find((d) => d.id === 'marketing')?.team).toBe('marketing-team');
    expect(after.mesh.manifest?.teams.find((t) => t.id === 'marketing-team')?.name).toBe('Marketing');
    expect(after.mesh.files.get('mesh.yaml')?.text).toContain('# hello-mesh: the smallest useful data mesh.');
    expect(addedLines(before.mesh.files.get('mesh.yaml')?.text, after.mesh.files.get('mesh.yaml')?.text)).toEqual([
      '  - id: marketing-team',
      '    name: Marketing',
    ]);
    expect(errors(after.diagnostics)).toEqual([]);
  });

  it('refuses a duplicate id, an id that is not kebab-case and a team mesh.yaml does not declare', async () => {
    const { mesh } = await sample('hello-mesh');
    expectEditError(
      () => applyChange(mesh.files, { kind: 'createDomain', id: 'sales', name: 'Sales again' }, mesh),
      /domain "sales" already exists/,
    );
    expectEditError(
      () => applyChange(mesh.files, { kind: 'createDomain', id: 'Big_Data', name: 'x' }, mesh),
      /"Big_Data" cannot be a domain id/,
    );
    expectEditError(
      () => applyChange(mesh.files, { kind: 'createDomain', id: 'hr', name: 'HR', team: 'hr-team' }, mesh),
      /no team "hr-team" to own domain hr \(its teams: sales-team, finance-team\)/,
    );
    expectEditError(() => applyChange(mesh.files, { kind: 'createDomain', id: 'hr', name: '  ' }, mesh), /domain hr needs a name/);
  });
});

describe('createProduct', () => {
  it.each(['source-aligned', 'aggregate', 'consumer-aligned'] as const)(
    'adds a %s product from its blueprint that loads with no errors',
    async (archetype) => {
      const before = await sample('daff');
      const upstreams = archetype === 'source-aligned' ? [] : [{ productId: 'play-events', port: 'play_events' }];
      const { after, changed } = change(before, {
        kind: 'createProduct',
        domain: 'finance',
        id: 'weekly-report',
        name: 'Weekly report',
        archetype,
        upstreams,
      });
      expect(changed).toEqual([
        'domains/finance/weekly-report/product.odps.yaml',
        'domains/finance/weekly-report/quanta.yaml',
        'domains/finance/weekly-report/transform.sql',
        'domains/finance/weekly-report/weekly_report.odcs.yaml',
      ]);
      const product = after.mesh.products.find((p) => p.id === 'weekly-report');
      expect(product).toMatchObject({ name: 'Weekly report', domain: 'finance', team: 'finance-team', status: 'draft' });
      expect(product?.settings?.archetype).toBe(archetype);
      expect(product?.outputPorts[0]?.contract?.id).toBe('daff.finance.weekly-report.weekly_report');
      expect(new LineageGraph(after.mesh.products).upstream('weekly-report')).toEqual(
        archetype === 'source-aligned' ? [] : ['play-events'],
      );
      expect(errors(after.diagnostics)).toEqual([]);
    },
  );

  it('places the new product where it was dropped, in layout.yaml', async () => {
    const before = await sample('hello-mesh');
    const { after } = change(before, {
      kind: 'createProduct',
      domain: 'sales',
      id: 'returns',
      name: 'Returns',
      archetype: 'source-aligned',
      position: { x: 120.4, y: -40 },
    });
    expect(after.mesh.layout?.products.get('returns')).toEqual({ x: 120, y: -40 });
  });

  it('refuses an unknown domain, a taken id, an upstream port that does not exist and a source-aligned product with upstreams', async () => {
    const { mesh } = await sample('daff');
    const base = { kind: 'createProduct', name: 'X', archetype: 'aggregate' } as const;
    expectEditError(
      () => applyChange(mesh.files, { ...base, domain: 'marketing', id: 'x' }, mesh),
      /no domain "marketing" to put product x in/,
    );
    expectEditError(
      () => applyChange(mesh.files, { ...base, domain: 'finance', id: 'play-events' }, mesh),
      /"play-events" already exists \(domains\/media-player\/play-events\)/,
    );
    expectEditError(
      () =>
        applyChange(mesh.files, { ...base, domain: 'finance', id: 'x', upstreams: [{ productId: 'play-events', port: 'plays' }] }, mesh),
      /play-events has no output port "plays" \(its output ports: play_events\)/,
    );
    expectEditError(
      () =>
        applyChange(
          mesh.files,
          {
            ...base,
            archetype: 'source-aligned',
            domain: 'finance',
            id: 'x',
            upstreams: [{ productId: 'play-events', port: 'play_events' }],
          },
          mesh,
        ),
      /source-aligned product x reads sources, not other data products/,
    );
  });
});

describe('connectPorts', () => {
  it('adds the ODPS input port naming the upstream contract and version, and lineage gains the edge', async () => {
    const before = await sample('daff');
    const target = 'domains/podcasts/top-daily-podcasts/product.odps.yaml';
    const { after, changed } = change(before, {
      kind: 'connectPorts',
      from: { productId: 'play-events', port: 'play_events' },
      to: 'top-daily-podcasts',
    });
    expect(changed).toEqual([target]);
    expect(
      after.mesh.products.find((p) => p.id === 'top-daily-podcasts')?.inputPorts.map((p) => [p.name, p.contractId, p.version]),
    ).toEqual([
      ['podcast_listeners', 'daff.podcasts.podcast-listeners.podcast_listeners', '1.0.0'],
      ['play_events', 'daff.media-player.play-events.play_events', '1.0.0'],
    ]);
    expect(new LineageGraph(after.mesh.products).upstream('top-daily-podcasts')).toEqual(['play-events', 'podcast-listeners']);
    expect(after.mesh.files.get(target)?.text).toContain('# A consumer-aligned product: the daily podcast chart');
    expect(errors(after.diagnostics)).toEqual([]);
  });

  it('names the input port after the upstream port, with a suffix when the product already has that name', async () => {
    const start = await sample('daff');
    // A new product whose port is named like one artist-royalties already reads (artist-profiles.artist_tracks).
    const withTracks = change(start, {
      kind: 'createProduct',
      domain: 'artists',
      id: 'artist-tracks',
      name: 'Artist tracks',
      archetype: 'source-aligned',
    }).after;
    const { after } = change(withTracks, {
      kind: 'connectPorts',
      from: { productId: 'artist-tracks', port: 'artist_tracks' },
      to: 'artist-royalties',
    });
    const ports = after.mesh.products.find((p) => p.id === 'artist-royalties')?.inputPorts ?? [];
    expect(ports.map((p) => p.name)).toEqual(['play_events', 'artist_profiles', 'artist_tracks', 'subscription_events', 'artist_tracks_2']);
    expect(ports.at(-1)?.contractId).toBe('daff.artists.artist-tracks.artist_tracks');
    expect(errors(after.diagnostics)).toEqual([]);
  });

  it('refuses a self-loop, a connection that exists and one that would close a cycle, saying why', async () => {
    const { mesh } = await sample('daff');
    const connect = (productId: string, port: string, to: string): unknown =>
      applyChange(mesh.files, { kind: 'connectPorts', from: { productId, port }, to }, mesh);
    expectEditError(() => connect('play-events', 'play_events', 'play-events'), /play-events cannot read its own output port play_events/);
    expectEditError(
      () => connect('play-events', 'play_events', 'artist-royalties'),
      /artist-royalties already reads play-events.play_events .* through its input port "play_events"/,
    );
    expectEditError(
      () => connect('artist-royalties', 'artist_royalties', 'play-events'),
      /play-events cannot read artist-royalties.artist_royalties: artist-royalties already depends on play-events \(play-events → artist-royalties\), so this would make a lineage cycle/,
    );
    expectEditError(() => connect('play-events', 'plays', 'artist-royalties'), /play-events has no output port "plays"/);
    expectEditError(() => connect('nobody', 'x', 'artist-royalties'), /there is no product "nobody"/);
  });
});

describe('disconnectPort', () => {
  it('removes the input port and its lineage edge, leaving the other ports', async () => {
    const before = await sample('daff');
    const { after } = change(before, { kind: 'disconnectPort', productId: 'artist-royalties', inputPort: 'subscription_events' });
    expect(after.mesh.products.find((p) => p.id === 'artist-royalties')?.inputPorts.map((p) => p.name)).toEqual([
      'play_events',
      'artist_profiles',
      'artist_tracks',
    ]);
    expect(new LineageGraph(after.mesh.products).upstream('artist-royalties')).not.toContain('subscriptions');
    expect(errors(after.diagnostics)).toEqual([]);
  });

  it('removes the inputPorts key with the last port, so the product stays valid ODPS', async () => {
    const before = await sample('daff');
    const { after, files } = change(before, { kind: 'disconnectPort', productId: 'top-daily-podcasts', inputPort: 'podcast_listeners' });
    const odps = parseDocument(files.get('domains/podcasts/top-daily-podcasts/product.odps.yaml')?.text ?? '').toJS() as Record<
      string,
      unknown
    >;
    expect(odps).not.toHaveProperty('inputPorts');
    expect(errors(after.diagnostics)).toEqual([]);
    expect(after.diagnostics.filter((d) => d.code === 'QUANTA_W038').map((d) => d.message)).toEqual([
      'consumer-aligned product top-daily-podcasts has no input ports and no sources',
    ]);
  });

  it('never drops an entry the model skipped: a half-written port stays in the file', async () => {
    const path = 'domains/finance/daily-revenue/product.odps.yaml';
    const { files: sampleFiles } = await sampleInMemory('hello-mesh');
    const text = new TextDecoder().decode(sampleFiles[path] as Uint8Array).replace('outputPorts:', '  - name: half-written\noutputPorts:');
    const before = await sample('hello-mesh', { [path]: text });
    const { files } = change(before, { kind: 'disconnectPort', productId: 'daily-revenue', inputPort: 'orders' });
    expect((parseDocument(files.get(path)?.text ?? '').toJS() as Record<string, unknown>)['inputPorts']).toEqual([
      { name: 'half-written' },
    ]);
  });

  it('refuses an input port the product does not have', async () => {
    const { mesh } = await sample('daff');
    expectEditError(
      () => applyChange(mesh.files, { kind: 'disconnectPort', productId: 'play-events', inputPort: 'x' }, mesh),
      /play-events has no input port "x"/,
    );
  });
});

describe('renaming', () => {
  it('renames a product: one line of product.odps.yaml, its comment kept', async () => {
    const before = await sample('hello-mesh');
    const path = 'domains/sales/orders/product.odps.yaml';
    const { after, changed } = change(before, { kind: 'renameProduct', productId: 'orders', name: '  Shop orders ' });
    expect(changed).toEqual([path]);
    expect(after.mesh.products.find((p) => p.id === 'orders')?.name).toBe('Shop orders');
    expect(addedLines(before.mesh.files.get(path)?.text, after.mesh.files.get(path)?.text)).toEqual(['name: Shop orders']);
    expect(after.mesh.files.get(path)?.text).toContain('# A source-aligned product');
  });

  it('renames a domain in its domain.yaml', async () => {
    const before = await sample('hello-mesh');
    const { after, changed } = change(before, { kind: 'renameDomain', domainId: 'finance', name: 'Finance & controlling' });
    expect(changed).toEqual(['domains/finance/domain.yaml']);
    expect(after.mesh.domains.find((d) => d.id === 'finance')?.name).toBe('Finance & controlling');
  });

  it('refuses an empty name and an unknown product or domain', async () => {
    const { mesh } = await sample('hello-mesh');
    expectEditError(
      () => applyChange(mesh.files, { kind: 'renameProduct', productId: 'orders', name: '' }, mesh),
      /product orders needs a name/,
    );
    expectEditError(() => applyChange(mesh.files, { kind: 'renameProduct', productId: 'x', name: 'X' }, mesh), /there is no product "x"/);
    expectEditError(() => applyChange(mesh.files, { kind: 'renameDomain', domainId: 'x', name: 'X' }, mesh), /there is no domain "x"/);
  });
});

describe('deleteProduct', () => {
  it('lists the consumers whose input ports it breaks, for the confirmation', async () => {
    const { mesh } = await sample('hello-mesh');
    expect(consumersBrokenBy(mesh, 'orders')).toEqual([
      { productId: 'daily-revenue', inputPort: 'orders', contractId: 'hello.sales.orders', version: '1.0.0' },
    ]);
    expect(consumersBrokenBy(mesh, 'daily-revenue')).toEqual([]);
    const daff = (await sample('daff')).mesh;
    expect(consumersBrokenBy(daff, 'play-events').map((c) => c.productId)).toEqual(
      new LineageGraph(daff.products).downstream('play-events'),
    );
  });

  it('removes every file of the product folder, and the broken consumers are exactly the ones listed', async () => {
    const before = await sample('hello-mesh', {
      'layout.yaml': 'apiVersion: quanta/v1\nkind: Layout\nproducts:\n  orders: { x: 0, y: 0 }\n  daily-revenue: { x: 300, y: 0 }\n',
    });
    const { after, changed } = change(before, { kind: 'deleteProduct', productId: 'orders' });
    expect(changed).toEqual([
      'domains/sales/orders/orders.odcs.yaml',
      'domains/sales/orders/product.odps.yaml',
      'domains/sales/orders/quanta.yaml',
      'domains/sales/orders/transform.sql',
      'layout.yaml',
    ]);
    expect([...after.mesh.files.keys()].filter((p) => p.startsWith('domains/sales/orders/'))).toEqual([]);
    expect(after.mesh.products.map((p) => p.id)).toEqual(['daily-revenue']);
    expect([...(after.mesh.layout?.products.keys() ?? [])]).toEqual(['daily-revenue']);
    expect(after.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file])).toEqual([
      ['QUANTA_E021', 'domains/finance/daily-revenue/product.odps.yaml'],
    ]);
  });

  it('removes the feedback and usage files about the product with it, so none is left naming a product that is gone', async () => {
    const before = await sample('daff');
    const { after, changed } = change(before, { kind: 'deleteProduct', productId: 'play-events' });
    expect(changed).toEqual(expect.arrayContaining(['feedback/play-events.feedback.yaml', 'usage/play-events.usage.yaml']));
    expect(after.mesh.feedback.map((f) => f.product)).not.toContain('play-events');
    expect(after.diagnostics.filter((d) => d.code === 'QUANTA_W090')).toEqual([]);
    const domain = change(before, { kind: 'deleteDomain', domainId: 'media-player' });
    expect(domain.changed).toEqual(expect.arrayContaining(['feedback/play-events.feedback.yaml', 'usage/play-events.usage.yaml']));
  });

  it('names the folders whose other files (seed data) a save must remove too', async () => {
    const before = await sample('hello-mesh');
    const { files } = change(before, { kind: 'deleteProduct', productId: 'orders' });
    expect(removedProductFolders(before.mesh.files, files)).toEqual(['domains/sales/orders']);
    expect(
      removedProductFolders(before.mesh.files, applyChange(before.mesh.files, { kind: 'renameProduct', productId: 'orders', name: 'O' })),
    ).toEqual([]);
    expect(removedProductFolders(files, before.mesh.files)).toEqual([]);
  });
});

describe('moveNodes', () => {
  it('writes positions to a new layout.yaml, and a later move of one node changes one line', async () => {
    const before = await sample('hello-mesh');
    const first = change(before, { kind: 'moveNodes', positions: { orders: { x: 10, y: 20 }, 'daily-revenue': { x: 300.6, y: 20 } } });
    expect(first.changed).toEqual(['layout.yaml']);
    expect(first.after.mesh.layout?.products).toEqual(
      new Map([
        ['orders', { x: 10, y: 20 }],
        ['daily-revenue', { x: 301, y: 20 }],
      ]),
    );
    expect(first.after.diagnostics).toEqual(before.diagnostics);
    const second = change(first.after, { kind: 'moveNodes', positions: { orders: { x: 15, y: 25 } } });
    expect(addedLines(first.files.get('layout.yaml')?.text, second.files.get('layout.yaml')?.text)).toEqual(['  orders: { x: 15, y: 25 }']);
    expect(lines(second.files.get('layout.yaml')?.text)).toHaveLength(lines(first.files.get('layout.yaml')?.text).length);
  });

  it('keeps comments a user wrote in layout.yaml', async () => {
    const before = await sample('hello-mesh', {
      'layout.yaml': '# arranged by Ada\napiVersion: quanta/v1\nkind: Layout\nproducts:\n  orders: { x: 0, y: 0 } # the source\n',
    });
    const { files } = change(before, { kind: 'moveNodes', positions: { 'daily-revenue': { x: 5, y: 5 } } });
    expect(files.get('layout.yaml')?.text).toBe(
      '# arranged by Ada\napiVersion: quanta/v1\nkind: Layout\nproducts:\n  orders: { x: 0, y: 0 } # the source\n  daily-revenue: { x: 5, y: 5 }\n',
    );
  });

  it('refuses an unknown product, a position that is not a number and a layout.yaml it cannot read', async () => {
    const { mesh } = await sample('hello-mesh');
    expectEditError(
      () => applyChange(mesh.files, { kind: 'moveNodes', positions: { nobody: { x: 1, y: 1 } } }, mesh),
      /there is no product "nobody"/,
    );
    expectEditError(
      () => applyChange(mesh.files, { kind: 'moveNodes', positions: { orders: { x: Number.NaN, y: 1 } } }, mesh),
      /position of orders must be two finite numbers/,
    );
    const broken = await sample('hello-mesh', { 'layout.yaml': 'products: [oops\n' });
    expectEditError(
      () => applyChange(broken.mesh.files, { kind: 'moveNodes', positions: { orders: { x: 1, y: 1 } } }, broken.mesh),
      /layout.yaml cannot be read, so node positions are not saved/,
    );
  });
});

describe('layout.yaml in the loader', () => {
  it('is optional: a mesh without it loads with no layout and the same diagnostics', async () => {
    const { mesh, diagnostics } = await sample('daff');
    expect(mesh.layout).toBeUndefined();
    expect(mesh.files.has('layout.yaml')).toBe(false);
    expect(errors(diagnostics)).toEqual([]);
  });

  it('is read into Mesh.layout', async () => {
    const { mesh, diagnostics } = await sample('hello-mesh', {
      'layout.yaml': 'apiVersion: quanta/v1\nkind: Layout\nproducts:\n  orders: { x: 1.5, y: -2 }\n',
    });
    expect(mesh.layout).toEqual({ file: 'layout.yaml', products: new Map([['orders', { x: 1.5, y: -2 }]]) });
    expect(diagnostics.filter((d) => d.file === 'layout.yaml')).toEqual([]);
  });

  it.each([
    ['a syntax error', 'products: [oops\n'],
    ['a list instead of a mapping', '- 1\n- 2\n'],
    [
      'positions that are not numbers',
      'apiVersion: quanta/v1\nkind: Layout\nproducts:\n  orders: { x: left, y: 2 }\n  daily-revenue: { x: 3, y: 4 }\n',
    ],
    ['an unknown kind', 'apiVersion: quanta/v1\nkind: Mesh\n'],
  ])('with %s gives warnings, never errors, and keeps the positions that are numbers', async (_what, text) => {
    const { mesh, diagnostics } = await sample('hello-mesh', { 'layout.yaml': text });
    const layoutProblems = diagnostics.filter((d) => d.file === 'layout.yaml');
    expect(layoutProblems.length).toBeGreaterThan(0);
    expect(layoutProblems.every((d) => d.severity === 'warning' && d.code === 'QUANTA_W039')).toBe(true);
    expect(errors(diagnostics)).toEqual([]);
    expect([...(mesh.layout?.products.keys() ?? [])]).toEqual(text.includes('daily-revenue') ? ['daily-revenue'] : []);
  });
});

describe('change labels', () => {
  it('name the action for the undo menu', () => {
    expect(changeLabel({ kind: 'createProduct', domain: 'finance', id: 'weekly-report', name: 'W', archetype: 'aggregate' })).toBe(
      'Create product weekly-report',
    );
    expect(changeLabel({ kind: 'connectPorts', from: { productId: 'orders', port: 'orders' }, to: 'daily-revenue' })).toBe(
      'Connect orders.orders to daily-revenue',
    );
    expect(changeLabel({ kind: 'moveNodes', positions: { orders: { x: 0, y: 0 } } })).toBe('Move orders');
    expect(changeLabel({ kind: 'moveNodes', positions: { a: { x: 0, y: 0 }, b: { x: 1, y: 1 } } })).toBe('Move 2 products');
    expect(changeLabel({ kind: 'deleteProduct', productId: 'orders' })).toBe('Delete product orders');
  });
});
