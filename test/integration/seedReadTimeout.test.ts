import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { sampleInMemory } from '../helpers.ts';

const ORDERS = 'domains/sales/orders';

describe('seed reads inside the run', () => {
  it('fails a product whose seed file never finishes reading at simulation.timeout, and the mesh run ends', async () => {
    const { files } = await sampleInMemory('hello-mesh');
    const settings = files[`${ORDERS}/quanta.yaml`];
    files[`${ORDERS}/quanta.yaml`] =
      `${typeof settings === 'string' ? settings : new TextDecoder().decode(settings)}simulation:\n  timeout: 1s\n`;
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const host = new InProcessHost(1);
    // A file system whose read never settles: what a FIFO or a stalled browser file handle does.
    const runtime = new MeshRuntime(mesh, { host, readFile: () => new Promise<Uint8Array>(() => undefined) });
    const report = await runtime.runAll();
    await host.dispose();
    expect(report.products.find((p) => p.product === 'orders')).toMatchObject({
      status: 'failed',
      problem: {
        file: `${ORDERS}/quanta.yaml`,
        message: 'reading its seed files took longer than simulation.timeout (1s) in quanta.yaml',
      },
    });
  });
});
