import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { PooledHost } from '../../workers/pool/pooledHost.ts';
import { WorkerHost } from '../../workers/node/workerHost.ts';
import { generatedMeshFiles } from '../support/generatedMesh.ts';

const host = new WorkerHost(2);
afterAll(() => host.dispose());

describe('a pooled host', () => {
  it('runs a 200-product mesh with never more than two live quanta, fanning each output out to two consumers', async () => {
    const fs = new MemoryFileSystem(generatedMeshFiles(200));
    const { mesh, diagnostics } = await loadMesh(fs);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    let maxLive = 0;
    const runtime = new MeshRuntime(mesh, {
      host,
      readFile: (path) => fs.readFile(path),
      onEvent: () => (maxLive = Math.max(maxLive, host.live)),
    });
    const report = await runtime.runAll();
    expect(report.products.filter((p) => p.status !== 'published').map((p) => [p.product, p.problem])).toEqual([]);
    expect(maxLive).toBeGreaterThan(0);
    expect(maxLive).toBeLessThanOrEqual(2);
    // p199 is 7 levels below p0; each level adds 1 to v.
    const sum = async (sql: string): Promise<number> => {
      const outcome = await runtime.query(sql);
      if (!outcome.ok) throw new Error(outcome.error.message);
      return Number(tableFromIPC(outcome.ipc).getChildAt(0)?.get(0));
    };
    const root = await sum('SELECT CAST(sum(v) AS DOUBLE) FROM "p0".out');
    expect(root).toBeGreaterThan(0);
    expect(await sum('SELECT CAST(sum(v) - 7 * count(*) AS DOUBLE) FROM "p199".out')).toBeCloseTo(root, 6);
  }, 300_000);

  it('cancels a running product: it fails as cancelled, the quantum is replaced', async () => {
    const files = generatedMeshFiles(3);
    files['domains/d1/p1/transform.sql'] = 'SELECT a.range AS k, sum(b.range) AS v FROM range(100000000) a, range(100000) b GROUP BY 1';
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const runtime: MeshRuntime = new MeshRuntime(mesh, {
      host,
      readFile: (path) => fs.readFile(path),
      onEvent: (event) => {
        // Cancel p1 once its quantum is busy.
        if (event.type === 'started' && event.product === 'p1') setTimeout(() => runtime.cancel('p1'), 1500);
      },
    });
    const report = await runtime.runAll();
    const byId = new Map(report.products.map((p) => [p.product, p]));
    expect(byId.get('p1')).toMatchObject({ status: 'failed', problem: { message: 'its run was cancelled' } });
    expect(byId.get('p2')?.status).toBe('published');
    expect(byId.get('p0')?.status).toBe('published');
  }, 120_000);

  it('prestarts quanta side by side: the leases after it start no worker of their own, and it never exceeds the pool', async () => {
    const pool = new WorkerHost(2);
    try {
      pool.prestart(5);
      expect(pool.live).toBe(2);
      const [a, b] = await Promise.all([pool.acquire('a'), pool.acquire('b')]);
      const answers = await Promise.all([a.quantum.query('SELECT 1 AS one'), b.quantum.query('SELECT 2 AS two')]);
      expect(answers.map((outcome) => outcome.ok && outcome.rows)).toEqual([1, 1]);
      expect(pool.started).toBe(2);
      a.release();
      b.release();
      pool.prestart();
      expect(pool.started).toBe(2);
    } finally {
      await pool.dispose();
    }
  }, 120_000);

  it('a prestart whose worker cannot start leaves no lease waiting: the lease fails with the reason', async () => {
    const broken = new PooledHost(1, () => Promise.reject(new Error('no wasm here')));
    broken.prestart();
    await expect(broken.acquire('p')).rejects.toThrow('no wasm here');
    expect(broken.live).toBe(0);
    await broken.dispose();
  });
});
