import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { ARCHETYPES } from '../../core/model/types.ts';
import { asFields, asList } from '../../core/model/read.ts';
import { exists, listFiles, loadSample, SAMPLES_DIR, sampleNames } from '../helpers.ts';

const samples = await sampleNames();

describe('sample meshes', () => {
  it('include daff, a second industry and hello-mesh', () => {
    expect(samples).toEqual(expect.arrayContaining(['daff', 'hello-mesh']));
    expect(samples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(samples)('%s loads with no errors and no warnings', async (name) => {
    const { diagnostics } = await loadSample(name);
    expect(diagnostics).toEqual([]);
  });

  it.each(samples)('%s has a README and stays under 5 MB', async (name) => {
    const dir = nodePath.join(SAMPLES_DIR, name);
    expect(await exists(nodePath.join(dir, 'README.md'))).toBe(true);
    let bytes = 0;
    for (const path of await listFiles(dir)) bytes += (await fsp.stat(nodePath.join(dir, path))).size;
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });

  it.each(samples)('every output port of %s has a typed contract with quality rules and a freshness SLA', async (name) => {
    const { mesh } = await loadSample(name);
    for (const product of mesh.products) {
      expect(product.outputPorts.length, product.id).toBeGreaterThan(0);
      for (const port of product.outputPorts) {
        const contract = port.contract;
        expect(contract, `${product.id}.${port.name}`).toBeDefined();
        const columns = contract?.tables.flatMap((t) => t.columns) ?? [];
        expect(columns.length, `${product.id}.${port.name}`).toBeGreaterThan(0);
        expect(
          columns.filter((c) => !c.logicalType).map((c) => c.name),
          `${product.id}.${port.name} untyped columns`,
        ).toEqual([]);
        const schema = asList(contract?.document['schema']).map(asFields);
        const rules = [
          ...schema.flatMap((t) => asList(t['quality'])),
          ...schema.flatMap((t) => asList(t['properties']).flatMap((c) => asList(asFields(c)['quality']))),
        ];
        expect(rules.length, `${product.id}.${port.name} quality rules`).toBeGreaterThan(0);
        const sla = asList(contract?.document['slaProperties']).map(asFields);
        expect(
          sla.some((p) => p['property'] === 'latency'),
          `${product.id}.${port.name} freshness SLA`,
        ).toBe(true);
      }
    }
  });

  it.each(samples)('%s has an acyclic lineage where every non-source product has an upstream', async (name) => {
    const { mesh } = await loadSample(name);
    const graph = new LineageGraph(mesh.products);
    expect(graph.topologicalOrder().order).toHaveLength(mesh.products.length);
    for (const product of mesh.products) {
      if (product.settings?.archetype === 'source-aligned') expect(product.settings.sources.length, product.id).toBeGreaterThan(0);
      else expect(graph.upstream(product.id).length, product.id).toBeGreaterThan(0);
    }
  });
});

describe('daff, the book’s streaming company', () => {
  it('has at least 5 domains and 12 products covering all three archetypes', async () => {
    const { mesh } = await loadSample('daff');
    expect(mesh.domains.length).toBeGreaterThanOrEqual(5);
    expect(mesh.products.length).toBeGreaterThanOrEqual(12);
    expect(new Set(mesh.products.map((p) => p.settings?.archetype))).toEqual(new Set(ARCHETYPES));
  });

  it('classifies personal data and declares teams and personas with purposes', async () => {
    const { mesh } = await loadSample('daff');
    const classified = mesh.products
      .flatMap((p) => p.outputPorts.flatMap((o) => o.contract?.tables.flatMap((t) => t.columns) ?? []))
      .filter((c) => c.classification === 'personal');
    expect(classified.length).toBeGreaterThan(0);
    expect(mesh.manifest?.teams.length).toBeGreaterThanOrEqual(5);
    expect(mesh.manifest?.personas.some((p) => p.purposes.length === 0)).toBe(true);
    expect(mesh.manifest?.personas.some((p) => p.purposes.includes('ml-training'))).toBe(true);
  });

  it('has a deterministic source of at least 50,000 rows', async () => {
    const { mesh } = await loadSample('daff');
    const rows = mesh.products.flatMap((p) => p.settings?.sources ?? []).map((s) => s.generator?.rows ?? 0);
    expect(Math.max(...rows)).toBeGreaterThanOrEqual(50_000);
  });
});

describe('the second industry and hello-mesh', () => {
  it('the second industry has at least 3 domains and 6 products', async () => {
    const other = samples.filter((s) => s !== 'daff' && s !== 'hello-mesh');
    expect(other.length).toBeGreaterThan(0);
    for (const name of other) {
      const { mesh } = await loadSample(name);
      expect(mesh.domains.length, name).toBeGreaterThanOrEqual(3);
      expect(mesh.products.length, name).toBeGreaterThanOrEqual(6);
    }
  });

  it('hello-mesh is small enough to understand in a minute', async () => {
    const { mesh } = await loadSample('hello-mesh');
    expect(mesh.products.length).toBeGreaterThanOrEqual(2);
    expect(mesh.products.length).toBeLessThanOrEqual(3);
  });
});
