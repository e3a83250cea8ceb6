import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../core/governance/catalog/catalog.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { loadSample } from '../helpers.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';

describe.each(QUANTUM_HOSTS)('the governance catalog in a quantum ($name)', ({ open }) => {
  it('loads its tables side by side into one quantum: a pool of one is not exhausted, and gets it back on release', async () => {
    const { mesh } = await loadSample('daff');
    const host = open(1);
    try {
      const engine = new QuantumCatalogEngine(host);
      const { tables } = buildCatalog(mesh, {});
      await Promise.all(tables.map((table) => engine.load(table)));
      const outcome = await engine.query('SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM domains) AS domains');
      expect(outcome).toMatchObject({ ok: true, rows: [{ products: mesh.products.length, domains: mesh.domains.length }] });
      engine.release();
      const lease = await host.acquire('after the catalog');
      lease.release();
    } finally {
      await host.dispose();
    }
  }, 120_000);
});
