import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ODCS_SCHEMA_FILE, ODPS_SCHEMA_FILE, officialValidator } from '../support/officialSchemas.ts';
import { blueprintFiles, contractPrefix, portName, type BlueprintRequest } from '../../core/blueprints/blueprints.ts';
import { sqlName } from '../../core/blueprints/skeletons.ts';
import { EditError } from '../../core/model/editError.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import { ARCHETYPES, type Mesh } from '../../core/model/types.ts';
import { loadSample, sampleNames } from '../helpers.ts';

/*
 * Blueprint files are checked with Ajv against the official schemas in ../shared/standards
 * (as test/unit/standards.test.ts does for the samples), and loaded with Quanta's loader.
 */
const validOdps = await officialValidator(ODPS_SCHEMA_FILE);
const validOdcs = await officialValidator(ODCS_SCHEMA_FILE);

const daff = (await loadSample('daff')).mesh;
const hello = (await loadSample('hello-mesh')).mesh;

function withFiles(mesh: Mesh, request: BlueprintRequest): ReturnType<typeof buildMesh> {
  const files = new Map(mesh.files);
  for (const [path, file] of blueprintFiles(request, mesh)) files.set(path, file);
  return buildMesh(files);
}

const cases = ARCHETYPES.flatMap((archetype) => [
  { label: `${archetype}, no upstream`, archetype, upstreams: [] },
  ...(archetype === 'source-aligned'
    ? []
    : [{ label: `${archetype}, reading play-events`, archetype, upstreams: [{ productId: 'play-events', port: 'play_events' }] }]),
]);

describe('a blueprint product', () => {
  it.each(cases)('($label) is valid ODPS v1.0.0 and ODCS v3.1.0 by the official schemas', ({ archetype, upstreams }) => {
    const files = blueprintFiles({ domain: 'finance', id: 'weekly-report', name: 'Weekly report', archetype, upstreams }, daff);
    const standard = [...files.values()].filter((f) => f.path.endsWith('.odps.yaml') || f.path.endsWith('.odcs.yaml'));
    expect(standard.map((f) => f.path.split('/').pop())).toEqual(['product.odps.yaml', 'weekly_report.odcs.yaml']);
    for (const file of standard) {
      const value: unknown = parse(file.text);
      expect(file.path.endsWith('.odps.yaml') ? validOdps(value) : validOdcs(value), file.path).toEqual([]);
    }
  });

  it.each(cases)(
    '($label) names the local quantum as a duckdb server, so ODCS tools can use the contract as it is',
    ({ archetype, upstreams }) => {
      const files = blueprintFiles({ domain: 'finance', id: 'weekly-report', name: 'Weekly report', archetype, upstreams }, daff);
      const contract = [...files.values()].find((f) => f.path.endsWith('.odcs.yaml'));
      const document = parse(contract?.text ?? '') as { servers?: unknown };
      expect(document.servers).toEqual([
        expect.objectContaining({ server: 'quanta', type: 'duckdb', database: ':memory:', schema: 'weekly-report' }),
      ]);
    },
  );

  it.each(cases)('($label) loads into daff with no new errors and no unknown fields', ({ archetype, upstreams }) => {
    const { mesh, diagnostics } = withFiles(daff, { domain: 'finance', id: 'weekly-report', name: 'Weekly report', archetype, upstreams });
    const own = diagnostics.filter((d) => d.file.startsWith('domains/finance/weekly-report/'));
    // Without inputs, aggregate and consumer-aligned products are told to get some (W038); nothing else.
    expect(own.map((d) => d.code)).toEqual(archetype !== 'source-aligned' && upstreams.length === 0 ? ['QUANTA_W038'] : []);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const product = mesh.products.find((p) => p.id === 'weekly-report');
    expect(product?.transform?.text).toMatch(/^SELECT$/m);
    expect(product?.outputPorts.map((p) => [p.name, p.version, p.contractId, p.contract?.version])).toEqual([
      ['weekly_report', '0.1.0', 'daff.finance.weekly-report.weekly_report', '0.1.0'],
    ]);
  });

  it('of a source-aligned product reads a generator whose columns the contract promises', () => {
    const { mesh } = withFiles(daff, { domain: 'finance', id: 'ledger', name: 'Ledger', archetype: 'source-aligned' });
    const product = mesh.products.find((p) => p.id === 'ledger');
    const source = product?.settings?.sources[0];
    expect(source?.name).toBe('ledger_feed');
    expect(source?.generator?.columns.map((c) => c.name)).toEqual(product?.outputPorts[0]?.contract?.tables[0]?.columns.map((c) => c.name));
    expect(product?.transform?.text).toContain('FROM ledger_feed');
    expect(product?.settings?.schedule.every).toBe('1h');
  });

  it('of a consumer copies the upstream contract columns and selects them from the input port', () => {
    const { mesh } = withFiles(daff, {
      domain: 'finance',
      id: 'weekly-report',
      name: 'Weekly report',
      archetype: 'consumer-aligned',
      upstreams: [{ productId: 'listener-registrations', port: 'listener_registrations' }],
    });
    const product = mesh.products.find((p) => p.id === 'weekly-report');
    const upstream = daff.products.find((p) => p.id === 'listener-registrations')?.outputPorts[0]?.contract?.tables[0]?.columns ?? [];
    const copied = product?.outputPorts[0]?.contract?.tables[0]?.columns ?? [];
    const shape = (c: (typeof copied)[number]): unknown => [
      c.name,
      c.logicalType,
      c.physicalType,
      c.required,
      c.primaryKey,
      c.classification,
    ];
    expect(copied.map(shape)).toEqual(upstream.map(shape));
    expect(copied.some((c) => c.classification !== undefined)).toBe(true);
    expect(product?.inputPorts.map((p) => p.name)).toEqual(['listener_registrations']);
    expect(product?.transform?.text).toMatch(/SELECT\n {2}listener_id,\n[\s\S]*\nFROM listener_registrations\n$/);
    expect(product?.settings?.schedule.onUpstreamPublish).toBe(true);
  });

  it('names an input port after its upstream port, with a suffix when that is already a name in the product', () => {
    // The new product `tracks` publishes the port `tracks`, and reads music-catalog's port `tracks`.
    const { mesh, diagnostics } = withFiles(daff, {
      domain: 'songs',
      id: 'tracks',
      name: 'Tracks',
      archetype: 'aggregate',
      upstreams: [
        { productId: 'music-catalog', port: 'tracks' },
        { productId: 'music-catalog', port: 'albums' },
      ],
    });
    const product = mesh.products.find((p) => p.id === 'tracks');
    expect(product?.inputPorts.map((p) => [p.name, p.contractId])).toEqual([
      ['tracks_2', 'daff.songs.music-catalog.tracks'],
      ['albums', 'daff.songs.music-catalog.albums'],
    ]);
    expect(product?.transform?.text).toContain('FROM tracks_2\n');
    expect(product?.transform?.text).toContain('-- Other input ports, also tables here: albums.');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('follows the contract ids of the mesh it joins', () => {
    expect(contractPrefix(daff)).toBe('daff');
    expect(contractPrefix(hello)).toBe('hello');
    const files = blueprintFiles({ domain: 'finance', id: 'weekly-revenue', name: 'Weekly revenue', archetype: 'aggregate' }, hello);
    expect(parse(files.get('domains/finance/weekly-revenue/weekly_revenue.odcs.yaml')?.text ?? '')).toMatchObject({
      id: 'hello.finance.weekly-revenue.weekly_revenue',
      dataProduct: 'weekly-revenue',
      domain: 'finance',
    });
  });

  it('refuses ids that are not lowercase kebab-case and a product folder that already holds files', () => {
    for (const id of ['Weekly', 'weekly_report', '-weekly', 'weekly--report', '1st', '']) {
      expect(() => blueprintFiles({ domain: 'finance', id, name: 'W', archetype: 'aggregate' }, hello), id).toThrow(EditError);
    }
    const files = new Map(hello.files);
    files.set('domains/finance/stray/notes.sql', { path: 'domains/finance/stray/notes.sql', text: 'SELECT 1' });
    expect(() => blueprintFiles({ domain: 'finance', id: 'stray', name: 'Stray', archetype: 'aggregate' }, buildMesh(files).mesh)).toThrow(
      'folder domains/finance/stray already holds files; choose another id',
    );
  });
});

const samples = await Promise.all((await sampleNames()).map(async (name) => ({ name, mesh: (await loadSample(name)).mesh })));

describe('blueprints in every sample mesh', () => {
  it.each(samples.flatMap(({ name, mesh }) => ARCHETYPES.map((archetype) => ({ name, mesh, archetype }))))(
    'a $archetype product joins $name with no errors',
    ({ mesh, archetype }) => {
      const domain = mesh.domains[0]?.id ?? '';
      const upstream = mesh.products.find((p) => p.outputPorts[0]?.contract);
      const upstreams =
        archetype === 'source-aligned' || !upstream ? [] : [{ productId: upstream.id, port: upstream.outputPorts[0]?.name ?? '' }];
      const { mesh: after, diagnostics } = withFiles(mesh, { domain, id: 'new-product', name: 'New product', archetype, upstreams });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(after.products.find((p) => p.id === 'new-product')?.inputPorts).toHaveLength(upstreams.length);
    },
  );
});

describe('names in blueprint SQL', () => {
  it('ships sample contracts that name their quantum as a duckdb server', async () => {
    for (const name of await sampleNames()) {
      const { mesh } = await loadSample(name);
      for (const product of mesh.products)
        for (const port of product.outputPorts) {
          const servers = port.contract?.document['servers'];
          expect(servers, `${name}: ${product.id}.${port.name}`).toEqual([expect.objectContaining({ type: 'duckdb', schema: product.id })]);
        }
    }
  });

  it('turns product ids into port names that are SQL table names', () => {
    expect(portName('weekly-report')).toBe('weekly_report');
    expect(portName('orders')).toBe('orders');
  });

  it('quotes a column name only when SQL needs it', () => {
    expect(sqlName('played_at')).toBe('played_at');
    expect(sqlName('order')).toBe('"order"');
    expect(sqlName('Total Revenue')).toBe('"Total Revenue"');
    expect(sqlName('a"b')).toBe('"a""b"');
  });
});
