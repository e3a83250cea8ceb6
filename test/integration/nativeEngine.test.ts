import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { QuantumStopped } from '../../core/run/runTypes.ts';
import { NativeHost } from '../../workers/native/nativeHost.ts';
import { WorkerHost } from '../../workers/node/workerHost.ts';
import { tempDir } from '../helpers.ts';
import { generatedMeshFiles } from '../support/generatedMesh.ts';

/*
 * What only the native engine has to prove (the shared behaviour runs on it through
 * QUANTUM_HOSTS and engineAgreement.test.ts): its memory is not wasm's, its seed folder does not
 * outlive its database, a stopped statement stops, and every lease is a database of its own.
 */
const GB = 1024 ** 3;
let tmp: string;
let savedTmp: string | undefined;

beforeEach(async () => {
  // Each database's private seed folder is made in os.tmpdir(): here, a folder of this test's own.
  tmp = await tempDir('native-tmp');
  savedTmp = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
});
afterEach(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
});

const csv = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('the native engine', () => {
  it('gives a product more memory than wasm’s 4 GB ceiling when the budget allows, where the wasm host refuses it', async () => {
    const native = new NativeHost(1, { memoryBudgetBytes: 8 * GB });
    const wasm = new WorkerHost(1, 8 * GB);
    try {
      const lease = await native.acquire('big');
      await lease.quantum.configure({ memoryLimit: '5GB' });
      const limit = await lease.quantum.query("SELECT current_setting('memory_limit') AS v");
      if (!limit.ok) throw new Error(limit.error.message);
      expect(String(tableFromIPC(limit.ipc).get(0)?.toJSON()['v'])).toMatch(/^4\.\d+ GiB$/); // 5 GB is 4.66 GiB
      lease.release();
      const wasmLease = await wasm.acquire('big');
      await expect(wasmLease.quantum.configure({ memoryLimit: '5GB' })).rejects.toThrow(/more than one quantum may hold here \(4\.0 GB/);
      wasmLease.release();
    } finally {
      await Promise.all([native.dispose(), wasm.dispose()]);
    }
  }, 60_000);

  it('reads a CSV seed from a private folder that is gone when the lease ends', async () => {
    const host = new NativeHost(1);
    try {
      const lease = await host.acquire('seeded');
      const run = await lease.quantum.run({
        productId: 'seeded',
        inputs: [
          {
            kind: 'csv',
            name: 'raw',
            file: 'data/raw.csv',
            bytes: csv('id,amount\n1,2.50\n2,3.75\n'),
            declared: [{ name: 'amount', type: 'DECIMAL(10,2)' }],
          },
        ],
        ports: [{ name: 'out', checks: [] }],
      });
      if (!run.ok) throw new Error(run.error.message);
      expect(run.ports[0]?.columns).toEqual([
        { name: 'id', type: 'BIGINT' },
        { name: 'amount', type: 'DECIMAL(10,2)' },
      ]);
      const [folder] = await fsp.readdir(tmp);
      expect(folder).toMatch(/^quanta-native-/);
      // The seed's file is removed as soon as it is loaded; the folder when the database closes.
      await expect(fsp.readdir(nodePath.join(tmp, folder ?? ''))).resolves.toEqual([]);
      lease.release();
      await expect.poll(() => fsp.readdir(tmp), { timeout: 10_000 }).toEqual([]);
    } finally {
      await host.dispose();
    }
  }, 60_000);

  it('stops a statement that outlives its timeout at once, and the next lease is a fresh database', async () => {
    const host = new NativeHost(1);
    try {
      const lease = await host.acquire('endless', { timeoutMs: 1000 });
      await lease.quantum.loadTable('left_over', tableToIPC(tableFromArrays({ id: new BigInt64Array([1n]) }), 'stream'));
      const endless = lease.quantum.query('SELECT sum(range) FROM range(100000000000000)');
      await expect(endless).rejects.toBeInstanceOf(QuantumStopped);
      await expect(endless).rejects.toMatchObject({ reason: 'timeout' });
      lease.discard();
      const next = await host.acquire('next');
      const tables = await next.quantum.query('SELECT count(*) AS n FROM duckdb_tables()');
      if (!tables.ok) throw new Error(tables.error.message);
      expect(Number(tableFromIPC(tables.ipc).get(0)?.toJSON()['n'])).toBe(0);
      next.release();
    } finally {
      await host.dispose();
    }
  }, 60_000);

  it('cancels a running product of a mesh run: it fails as cancelled, the others publish', async () => {
    const files = generatedMeshFiles(3);
    files['domains/d1/p1/transform.sql'] = 'SELECT a.range AS k, sum(b.range) AS v FROM range(100000000) a, range(100000) b GROUP BY 1';
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const host = new NativeHost(2);
    try {
      const runtime: MeshRuntime = new MeshRuntime(mesh, {
        host,
        readFile: (path) => fs.readFile(path),
        onEvent: (event) => {
          // Cancel p1 once its statement is under way.
          if (event.type === 'started' && event.product === 'p1') setTimeout(() => runtime.cancel('p1'), 1500);
        },
      });
      const report = await runtime.runAll();
      const byId = new Map(report.products.map((p) => [p.product, p]));
      expect(byId.get('p1')).toMatchObject({ status: 'failed', problem: { message: 'its run was cancelled' } });
      expect(byId.get('p0')?.status).toBe('published');
      expect(byId.get('p2')?.status).toBe('published');
    } finally {
      await host.dispose();
    }
  }, 120_000);
});
