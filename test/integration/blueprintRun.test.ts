import { afterAll, describe, expect, it } from 'vitest';
import { applyChange, type MeshChange } from '../../core/edits/meshChanges.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { sampleInMemory } from '../helpers.ts';

/* Products created from blueprints run in real DuckDB quanta and publish on their first run. */
const host = new InProcessHost(2);
afterAll(() => host.dispose());

describe('blueprint products in the daff mesh', () => {
  it(
    'publish on the first run: a source-aligned product, a consumer of a daff product and an aggregate without inputs',
    { timeout: 180_000 },
    async () => {
      const { fs } = await sampleInMemory('daff');
      const loaded = await loadMesh(fs);
      const changes: MeshChange[] = [
        { kind: 'createDomain', id: 'marketing', name: 'Marketing' },
        { kind: 'createProduct', domain: 'marketing', id: 'campaign-events', name: 'Campaign events', archetype: 'source-aligned' },
        {
          kind: 'createProduct',
          domain: 'marketing',
          id: 'listener-reach',
          name: 'Listener reach',
          archetype: 'consumer-aligned',
          upstreams: [{ productId: 'listener-registrations', port: 'listener_registrations' }],
        },
        { kind: 'createProduct', domain: 'marketing', id: 'campaign-budget', name: 'Campaign budget', archetype: 'aggregate' },
      ];
      let files: MeshFiles = loaded.mesh.files;
      for (const change of changes) files = applyChange(files, change);
      const { mesh, diagnostics } = buildMesh(files);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

      const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
      const report = await runtime.runAll();
      const created = ['campaign-events', 'listener-reach', 'campaign-budget'];
      const outcome = report.products
        .filter((p) => created.includes(p.product))
        .map((p) => ({
          product: p.product,
          status: p.status,
          problem: p.problem,
          failed: p.checks.filter((c) => !c.passed).map((c) => c.message),
        }))
        .sort((a, b) => a.product.localeCompare(b.product));
      expect(outcome).toEqual(created.sort().map((product) => ({ product, status: 'published', problem: undefined, failed: [] })));
      const rows = Object.fromEntries(report.products.filter((p) => created.includes(p.product)).map((p) => [p.product, p.rows]));
      const registrations = report.products.find((p) => p.product === 'listener-registrations')?.rows;
      expect(rows).toEqual({ 'campaign-events': 100, 'listener-reach': registrations, 'campaign-budget': 1 });
      // The rest of daff still publishes alongside them.
      expect(report.products.filter((p) => p.status !== 'published').map((p) => p.product)).toEqual([]);

      // The consumer passed its input through unchanged.
      const difference = await runtime.query(
        'SELECT * FROM "listener-reach".listener_reach EXCEPT ALL SELECT * FROM "listener-registrations".listener_registrations',
      );
      expect(difference).toMatchObject({ ok: true, rows: 0 });
    },
  );
});
