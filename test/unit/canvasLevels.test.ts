import { describe, expect, it } from 'vitest';
import type { GovernanceReport } from '../../core/governance/policy/evaluate.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { ProductRun } from '../../core/run/runTypes.ts';
import {
  DETAIL_ZOOM,
  MIN_TYPE_ZOOM,
  NORMAL_TYPE,
  PRESENTATION_TYPE,
  canvasPx,
  detailLevel,
  longestWord,
  summaryTypeVariables,
  zoomStep,
} from '../../renderer/src/canvas/levelOfDetail.ts';
import { meshProblems, problemCounts, problemWords } from '../../renderer/src/canvas/problems.ts';
import { readRunLogOpen, writeRunLogOpen, type PreferenceStorage } from '../../renderer/src/editor/presentation.ts';
import { loadSample, sampleInMemory } from '../helpers.ts';

/*
 * The canvas on a projector, its pure half: which level of detail a zoom gets and how big the
 * summary's type is in canvas pixels (the cards are tested in Chromium, test/e2e/projector.spec.ts),
 * the problems gathered per product for the badges and the problem list, and the remembered
 * run log.
 */

describe('level of detail', () => {
  it('shows details from DETAIL_ZOOM up and the summary below it', () => {
    expect(detailLevel(zoomStep(1))).toBe('detail');
    expect(detailLevel(zoomStep(DETAIL_ZOOM))).toBe('detail');
    expect(detailLevel(zoomStep(DETAIL_ZOOM - 0.001))).toBe('summary');
    expect(detailLevel(zoomStep(0.1))).toBe('summary');
  });

  it('sizes summary type for a zoom at or below the real one, so it is never smaller on screen than asked', () => {
    for (let zoom = MIN_TYPE_ZOOM; zoom < DETAIL_ZOOM; zoom += 0.0137) {
      const step = zoomStep(zoom);
      expect(step).toBeLessThanOrEqual(zoom + 1e-9);
      // …and close to it: at most one step of 0.025 below.
      expect(zoom - step).toBeLessThan(0.025 + 1e-9);
      expect(canvasPx(NORMAL_TYPE.name, step) * zoom).toBeGreaterThanOrEqual(NORMAL_TYPE.name - 0.05);
    }
  });

  it('changes the step only a few times over a whole zoom gesture, so the canvas re-renders that often and not per frame', () => {
    const steps = new Set<number>();
    for (let zoom = 2; zoom > 0.05; zoom *= 0.99) steps.add(zoomStep(zoom));
    expect(steps.size).toBeLessThanOrEqual(20);
    expect(Math.min(...steps)).toBe(MIN_TYPE_ZOOM);
  });

  it('gives presentation mode bigger type, and caps domain titles at their header band', () => {
    const normal = summaryTypeVariables(0.5, NORMAL_TYPE, 46);
    const presenting = summaryTypeVariables(0.5, PRESENTATION_TYPE, 46);
    expect(parseFloat(presenting['--lod-name'] ?? '')).toBeGreaterThan(parseFloat(normal['--lod-name'] ?? ''));
    expect(normal['--lod-name']).toBe('26px');
    expect(parseFloat(summaryTypeVariables(MIN_TYPE_ZOOM, PRESENTATION_TYPE, 46)['--lod-domain'] ?? '')).toBe(40);
  });

  it('measures the longest word of a name, the part that cannot wrap', () => {
    expect(longestWord('Listener registrations')).toBe(13);
    expect(longestWord('top-daily_podcasts')).toBe(8);
    expect(longestWord('')).toBe(1);
  });
});

function run(product: string, fields: Partial<ProductRun> & Pick<ProductRun, 'status'>): ProductRun {
  return { product, version: 0, rows: 0, checks: [], durationMs: 5, tick: 0, ...fields };
}

function reportWith(violations: GovernanceReport['policies'][number]['violations']): GovernanceReport {
  return {
    policies: [
      {
        id: 'owner-named',
        title: 'Owner named',
        scope: 'product',
        severity: 'warning',
        source: 'mesh',
        file: 'policies/o.policy.yaml',
        violations,
      },
    ],
    diagnostics: [],
    blocking: 0,
    warnings: violations.length,
    score: { score: 90, products: [], domains: [] },
  };
}

describe('problems on the canvas', () => {
  it("puts a file's diagnostics on the product whose folder holds it, and the mesh's own on the mesh", async () => {
    const { fs } = await sampleInMemory('hello-mesh');
    const file = 'domains/finance/daily-revenue/product.odps.yaml';
    const text = new TextDecoder().decode(await fs.readFile(file));
    await fs.writeFile(file, new TextEncoder().encode(text.replace('contractId: hello.sales.orders', 'contractId: hello.sales.nowhere')));
    await fs.writeFile(
      'mesh.yaml',
      new TextEncoder().encode(`${new TextDecoder().decode(await fs.readFile('mesh.yaml'))}\nunknownKey: 1\n`),
    );
    const { mesh, diagnostics } = await loadMesh(fs);
    const groups = meshProblems(mesh, { diagnostics });
    const revenue = groups.find((g) => g.productId === 'daily-revenue');
    expect(revenue?.diagnostics.length).toBeGreaterThan(0);
    expect(revenue?.diagnostics[0]?.where).toMatch(/^domains\/finance\/daily-revenue\/product\.odps\.yaml:\d+:\d+$/);
    expect(revenue?.diagnostics[0]?.text).toMatch(/^QUANTA_E\d+ .*nowhere/);
    const meshGroup = groups.at(-1);
    expect(meshGroup?.productId).toBeUndefined();
    expect(meshGroup?.diagnostics.some((d) => d.where?.startsWith('mesh.yaml:'))).toBe(true);
    expect(groups.some((g) => g.productId === 'orders')).toBe(false);
  });

  it('counts each failed check of a refused run, a failed or stale run once, and every violation', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const check = {
      port: 'orders',
      description: 'no negative amounts',
      severity: 'error' as const,
      passed: false,
      file: 'domains/sales/orders/orders.odcs.yaml',
      line: 30,
      column: 9,
    };
    const groups = meshProblems(mesh, {
      runs: {
        orders: {
          status: 'refused',
          last: run('orders', {
            status: 'refused',
            checks: [
              { ...check, id: 'a', message: 'amount < 0 in 2 rows' },
              { ...check, id: 'b', message: 'order_id repeats' },
              { ...check, id: 'c', severity: 'warning', message: 'only a warning' },
            ],
          }),
        },
        'daily-revenue': { status: 'stale', last: run('daily-revenue', { status: 'stale', staleBecause: ['orders'] }) },
      },
      report: reportWith([
        {
          policy: 'owner-named',
          severity: 'warning',
          product: 'orders',
          message: 'no owner',
          at: { file: 'domains/sales/orders/product.odps.yaml', line: 3, column: 1 },
        },
      ]),
    });
    const orders = groups.find((g) => g.productId === 'orders');
    expect(orders?.count).toBe(3); // two failed error checks and one violation; the warning check is not a problem
    expect(orders?.severity).toBe('error');
    expect(orders?.run[0]?.text).toBe('publish refused by its contract');
    expect(orders?.run.slice(1).map((l) => l.text)).toEqual(['amount < 0 in 2 rows', 'order_id repeats']);
    expect(orders?.policies).toEqual([
      { severity: 'warning', text: 'owner-named: no owner', where: 'domains/sales/orders/product.odps.yaml:3' },
    ]);
    const revenue = groups.find((g) => g.productId === 'daily-revenue');
    expect([revenue?.count, revenue?.severity]).toEqual([1, 'warning']);
    expect(problemCounts(groups)).toEqual({ orders: { count: 3, severity: 'error' }, 'daily-revenue': { count: 1, severity: 'warning' } });
    expect([problemWords(1), problemWords(3)]).toEqual(['1 problem', '3 problems']);
  });

  it('says nothing about a product that is running again or has not run, nor about one that published', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const groups = meshProblems(mesh, {
      runs: {
        orders: { status: 'running', last: run('orders', { status: 'failed', problem: { message: 'boom' } }) },
        'daily-revenue': { status: 'published', last: run('daily-revenue', { status: 'published', version: 1, rows: 3 }) },
      },
    });
    expect(groups).toEqual([]);
  });
});

describe('the remembered run log', () => {
  it('reads back what was written, and nothing from storage that refuses or holds junk', () => {
    const map = new Map<string, string>();
    const storage: PreferenceStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
    expect(readRunLogOpen(storage)).toBeUndefined();
    writeRunLogOpen(storage, false);
    expect(readRunLogOpen(storage)).toBe(false);
    writeRunLogOpen(storage, true);
    expect(readRunLogOpen(storage)).toBe(true);
    map.set('quanta.editor.runLogOpen', 'maybe');
    expect(readRunLogOpen(storage)).toBeUndefined();
    const refusing: PreferenceStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readRunLogOpen(refusing)).toBeUndefined();
    expect(() => writeRunLogOpen(refusing, true)).not.toThrow();
  });
});
