import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MeshSourceGenerator } from '../../core/generate/meshSources.ts';
import { MeshRuntime, referencedColumnsOnly } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample, SAMPLES_DIR, sampleNames } from '../helpers.ts';

const samples = await sampleNames();
const host = new InProcessHost(2);
afterAll(() => host.dispose());

async function runtimeFor(name: string): Promise<MeshRuntime> {
  const { mesh } = await loadSample(name);
  return new MeshRuntime(mesh, {
    host,
    readFile: async (path) => new Uint8Array(await fsp.readFile(nodePath.join(SAMPLES_DIR, name, path))),
  });
}

describe('running the sample meshes', () => {
  it.each(samples)('publishes every product of %s', async (name) => {
    const runtime = await runtimeFor(name);
    const report = await runtime.runAll();
    const notPublished = report.products
      .filter((p) => p.status !== 'published')
      .map((p) => ({ product: p.product, status: p.status, problem: p.problem, failed: p.checks.filter((c) => !c.passed) }));
    expect(notPublished).toEqual([]);
    expect(report.products.every((p) => p.version === 1 && p.rows > 0)).toBe(true);
  });
});

describe('resolving generator references', () => {
  it.each(samples)('gives every reference of %s the values of its whole generated source', async (name) => {
    const { mesh } = await loadSample(name);
    const whole = new MeshSourceGenerator(mesh.products);
    const narrowed = new MeshSourceGenerator(referencedColumnsOnly(mesh.products));
    const references = mesh.products.flatMap((p) =>
      (p.settings?.sources ?? []).flatMap((s) =>
        (s.generator?.columns ?? []).flatMap((c) => (c.type === 'reference' && c.references ? [[p.id, c.references] as const] : [])),
      ),
    );
    for (const [product, reference] of references) {
      expect(narrowed.referenceValues(product, reference)).toEqual(whole.referenceValues(product, reference));
    }
  });
});
