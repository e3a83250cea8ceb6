import { describe, expect, it } from 'vitest';
import { appRows, firstAndWarm, type AppRunAllResult } from '../../bench/appRunAll.ts';
import { parseProbeLine, probeTimeline, rssPerQuantum } from '../../bench/firstPublished.ts';
import { existsSync, readFileSync } from 'node:fs';
import { measureProcess } from '../../bench/cold.ts';
import { MeteredHost } from '../../bench/meteredHost.ts';
import { generateSources, runNative } from '../../bench/native.ts';
import { NativeCatalogEngine } from '../../bench/nativeCatalog.ts';
import type { RunProbeLine } from '../../bench/runProbe.ts';
import { roleOf, scaledMesh } from '../../bench/scaledMesh.ts';
import { growth, judgeEdge, parseScaleLine, scalingRows, type ScalingPoint, type ScalingSide } from '../../bench/scaling.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { buildCatalog } from '../../core/governance/catalog/catalog.ts';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample } from '../helpers.ts';

// The bench's phases for issue 15 (first published, app Run all, scaling): the mesh generator
// is loaded, run natively and run on quanta for real; the rest are pure helpers. No timing is asserted.

async function loadScaled(products: number) {
  const generated = scaledMesh(products);
  const { mesh, diagnostics } = await loadMesh(new MemoryFileSystem(generated.files));
  return { generated, mesh, diagnostics };
}

describe('the N-product scaling mesh', () => {
  it.each([14, 100, 500])('loads %i products with the core loader and no diagnostics', async (n) => {
    const { generated, mesh, diagnostics } = await loadScaled(n);
    expect(diagnostics).toEqual([]);
    expect(mesh.products).toHaveLength(n);
    expect(generated.sources + generated.aggregates + generated.consumers).toBe(n);
  });

  it('has the shape of a mesh: sources, aggregates on them and consumers joining aggregates, over several domains, with no cycle', async () => {
    const { generated, mesh } = await loadScaled(100);
    expect(generated.domains).toBe(4);
    expect(new Set(mesh.products.map((p) => p.domain)).size).toBe(4);
    expect([generated.sources, generated.aggregates, generated.consumers]).toEqual([30, 42, 28]);
    expect(new LineageGraph(mesh.products).topologicalOrder().cycles).toEqual([]);
    const consumers = mesh.products.filter((p) => p.settings?.archetype === 'consumer-aligned');
    expect(consumers.every((p) => p.inputPorts.length === 2)).toBe(true);
    // Reads spread over the mesh, not a chain: many different products are read.
    const read = new Set(mesh.products.flatMap((p) => p.inputPorts.map((port) => port.contractId)));
    expect(read.size).toBeGreaterThan(40);
  });

  it('gives each 7 products 2 sources, 3 aggregates and 2 consumers', () => {
    expect(Array.from({ length: 7 }, (_, i) => roleOf(i))).toEqual([
      'source',
      'source',
      'aggregate',
      'aggregate',
      'aggregate',
      'consumer',
      'consumer',
    ]);
  });

  it('makes a source of a one-product mesh, and an aggregate of a product with nothing to join yet', async () => {
    expect(scaledMesh(1).sources).toBe(1);
    const { generated, diagnostics } = await loadScaled(3);
    expect(diagnostics).toEqual([]);
    expect([generated.sources, generated.aggregates, generated.consumers]).toEqual([2, 1, 0]);
  });

  it('runs on native DuckDB with every product publishing rows and passing its contract checks', async () => {
    const { mesh } = await loadScaled(14);
    const { batches, ms } = generateSources(mesh);
    const run = await runNative(mesh, batches, ms);
    expect(run.products).toHaveLength(14);
    expect(run.products.filter((p) => p.rows === 0 || p.failedChecks > 0)).toEqual([]);
  });

  it('runs on quanta through the metering host, every product published', async () => {
    const { generated, mesh } = await loadScaled(7);
    const fs = new MemoryFileSystem(generated.files);
    const host = new MeteredHost(new InProcessHost(1));
    try {
      const report = await new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }).runAll();
      expect(report.products.map((p) => p.status)).toEqual(mesh.products.map(() => 'published'));
    } finally {
      await host.dispose();
    }
  }, 60_000);
});

const PROBE: RunProbeLine = {
  products: 3,
  openedAt: 1_000_500,
  gateAt: 1_002_000,
  firstPublishedAt: 1_002_750,
  firstPublished: 'orders',
  endedAt: 1_004_000,
  settled: [],
  heapBytes: { '(governance catalog)': 300 * 1024 * 1024, orders: 40 * 1024 * 1024, revenue: 60 * 1024 * 1024 },
};

describe('time to the first published product', () => {
  it('counts every milestone from the spawn', () => {
    expect(probeTimeline(1_000_000, PROBE)).toEqual({ firstPublishedMs: 2750, openedMs: 500, gateMs: 2000, runEndMs: 4000 });
  });

  it('has no figure when nothing published', () => {
    expect(probeTimeline(1_000_000, { ...PROBE, firstPublishedAt: null, firstPublished: null }).firstPublishedMs).toBeUndefined();
  });

  it("reads the probe's last stdout line, and nothing from output that is not its line", () => {
    expect(parseProbeLine(`a warning\n${JSON.stringify(PROBE)}\n`)?.firstPublished).toBe('orders');
    expect(parseProbeLine('Error: boom')).toBeUndefined();
    expect(parseProbeLine('{"products": 3}')).toBeUndefined();
  });
});

describe('memory per quantum', () => {
  it("takes each product's largest figure over the rounds, in MiB, and leaves the catalog's lease out of max and median", () => {
    const second = { ...PROBE.heapBytes, orders: 50 * 1024 * 1024 };
    const q = rssPerQuantum([PROBE.heapBytes, second], (id) => !id.startsWith('('));
    expect(q.products).toEqual({ '(governance catalog)': 300, orders: 50, revenue: 60 });
    expect(q.max).toBe(60);
    expect(q.median).toBe(55);
  });
});

describe("the app's Run all against native", () => {
  it('takes the first run as the first figure and the best of the others as the warm one', () => {
    expect(firstAndWarm([5000, 2900, 2700, 3100])).toEqual({ first: 5000, warm: 2700 });
    expect(firstAndWarm([5000]).warm).toBeNaN();
  });

  it('puts the warm ratio beside its 1.5× target', () => {
    const result: AppRunAllResult = {
      mesh: 'daff',
      products: 14,
      pageReadyMs: 900,
      appRunsMs: [5000, 2700],
      nativeRunsMs: [1100, 1000],
      first: { appMs: 5000, nativeMs: 1100, ratio: 4.55 },
      warm: { appMs: 2700, nativeMs: 1000, ratio: 2.7, target: 1.5, met: false },
      allPublished: true,
      statusLine: 'Last run: 14 published in 2.7 s',
    };
    const [first, warm] = appRows(result);
    expect(first?.slice(0, 4)).toEqual(['appRunAllVsNativeRatio.first', 4.55, '', '']);
    expect(warm?.slice(0, 4)).toEqual(['appRunAllVsNativeRatio.warm', 2.7, '≤ 1.5×', 'NOT met (1.8× the target)']);
  });
});

const side = (over: Partial<ScalingSide> = {}): ScalingSide => ({
  ms: 1000,
  runsMs: [1200, 1000],
  peakRssMB: 600,
  statuses: { published: 14 },
  troubles: [],
  timedOut: false,
  processMs: 5000,
  ...over,
});

describe('how cost grows with the mesh', () => {
  const point = (size: number, meshMs: number | null): ScalingPoint => ({
    size,
    mesh: side({ ms: meshMs }),
    native: side({ ms: 100 }),
    ratio: meshMs === null ? null : meshMs / 100,
  });

  it('meets the growth target when 500 products cost at most 40× what 14 do', () => {
    expect(growth([point(14, 1000), point(100, 6000), point(500, 30_000)])).toEqual({ ratio: 30, target: 40, met: true });
    expect(growth([point(14, 1000), point(500, 45_000)]).met).toBe(false);
  });

  it('has no growth figure when a size did not run', () => {
    expect(growth([point(14, 1000), point(500, null)])).toEqual({ ratio: null, target: 40, met: false });
  });

  it('judges the 1.0-scale edge: published meets it', () => {
    expect(judgeEdge(1, side())).toMatchObject({ outcome: 'published', met: true });
  });

  it('judges the edge: a memory failure that names the limit meets it, with the product and when', () => {
    const troubles = [
      { product: 'lineitem', status: 'failed', message: 'its quantum ran out of memory (4 GB, the wasm limit)', atMs: 41_000 },
    ];
    expect(judgeEdge(1, side({ troubles, statuses: { failed: 1, stale: 13 } }))).toEqual({
      scale: 1,
      outcome: 'failed clearly',
      met: true,
      message: troubles[0]?.message,
      product: 'lineitem',
      atMs: 41_000,
    });
  });

  it('judges the edge by the product that failed, not by the products it left stale', () => {
    const troubles = [
      {
        product: 'pricing-summary',
        status: 'stale',
        message: 'cannot run: upstream lineitem.lineitem has no published version yet',
        atMs: 37_384,
      },
      {
        product: 'lineitem',
        status: 'failed',
        message: "QUANTA_E073 out of memory at the quantum's limit of 1GB (Out of Memory Error: could not allocate block)",
        atMs: 37_376,
      },
    ];
    expect(judgeEdge(3, side({ troubles }))).toMatchObject({
      scale: 3,
      outcome: 'failed clearly',
      met: true,
      product: 'lineitem',
      atMs: 37_376,
    });
  });

  it('judges the edge: a failure that does not say it is memory and what the limit is does not meet it', () => {
    const troubles = [{ product: 'lineitem', status: 'failed', message: 'RuntimeError: unreachable', atMs: 41_000 }];
    expect(judgeEdge(1, side({ troubles }))).toMatchObject({ outcome: 'failed unclearly', met: false });
    const vague = [{ product: 'lineitem', status: 'failed', message: 'Out of memory', atMs: 41_000 }];
    expect(judgeEdge(1, side({ troubles: vague }))).toMatchObject({ outcome: 'failed unclearly', met: false });
  });

  it('judges the edge: a process the bench had to kill is a hang, one that died is a crash', () => {
    expect(judgeEdge(1, side({ ms: null, timedOut: true }))).toMatchObject({ outcome: 'hang', met: false });
    expect(judgeEdge(1, side({ ms: null, error: 'exit code 134: FATAL ERROR' }))).toMatchObject({ outcome: 'crashed', met: false });
  });

  it("reads the scale probe's line, and nothing from output that is not its line", () => {
    expect(parseScaleLine('{"products":14,"runsMs":[10],"statuses":{},"troubles":[],"maxRssMB":1}')?.runsMs).toEqual([10]);
    expect(parseScaleLine('Killed')).toBeUndefined();
  });

  it('puts the growth and the edge beside their targets in the table', () => {
    const rows = scalingRows({
      repeat: 2,
      pool: 2,
      timeoutMs: 300_000,
      rssSource: 'time -v',
      products: [point(14, 1000), point(500, 45_000)],
      growth500vs14: { ratio: 45, target: 40, met: false },
      tpch: [point(1, 70_000)],
      tpchEdge: { scale: 1, outcome: 'published', met: true, message: '' },
    });
    expect(rows.find((r) => r[0] === 'scaling 500 / 14 products')?.slice(1, 4)).toEqual([45, '≤ 40×', 'NOT met (1.1× the target)']);
    expect(rows.find((r) => r[0] === 'scaling TPC-H 1 edge')?.slice(1, 4)).toEqual(['published', 'runs or clear memory error', 'met']);
  });
});

describe('a scaling process that hangs', () => {
  it('is killed after its timeout with everything under it, and reported as timed out', async () => {
    // Under /usr/bin/time (as the bench runs it) the command is a grandchild: the whole process group must go.
    const rss = existsSync('/usr/bin/time') ? 'time -v' : 'VmHWM poll';
    const hang = 'console.log(process.pid); setInterval(() => {}, 1000);';
    const sample = await measureProcess(process.execPath, ['-e', hang], rss, { timeoutMs: 5000, anyExit: true });
    expect(sample.timedOut).toBe(true);
    const pid = Number(sample.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // Killed: gone, or a zombie until the init process reaps it (its parent, time, was killed too).
    const running = (): boolean => {
      try {
        return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(running()).toBe(false);
  }, 30_000);

  it('is not timed out when it ends in time', async () => {
    const sample = await measureProcess(process.execPath, ['-e', 'process.exit(3)'], 'VmHWM poll', { timeoutMs: 20_000, anyExit: true });
    expect(sample).toMatchObject({ timedOut: false, exitCode: 3 });
  }, 30_000);
});

describe("the cold baseline's native catalog", () => {
  // The policy gate loads the catalog's tables side by side; on one connection a CREATE between
  // an appender's creation and its flush failed the baseline now and then on a busy machine.
  it('loads every table of a catalog side by side, each with all its rows', async () => {
    const { mesh } = await loadSample('daff');
    const { tables } = buildCatalog(mesh);
    const engine = new NativeCatalogEngine();
    try {
      for (let round = 0; round < 3; round++) await Promise.all(tables.map((table) => engine.load(table)));
      const counts = await Promise.all(tables.map((t) => engine.query(`SELECT count(*) AS n FROM "${t.spec.name}"`)));
      expect(counts.map((c) => (c.ok ? c.rows[0]?.['n'] : c.message))).toEqual(tables.map((t) => t.rows.length));
    } finally {
      engine.release();
    }
  });
});
