import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../core/edits/meshEdits.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { whatIf } from '../../core/governance/whatIf.ts';
import { applyChange } from '../../core/edits/meshChanges.ts';
import { loadSample } from '../helpers.ts';

/* A draft judged against the mesh it would change: who breaks, who is downstream, nothing applied. */
const PLAY_EVENTS = 'domains/media-player/play-events/play_events.odcs.yaml';
const ORDERS = 'domains/sales/orders/orders.odcs.yaml';

function withoutProperty(mesh: Mesh, file: string, name: string): Mesh {
  const contract = mesh.products.flatMap((p) => p.outputPorts).find((p) => p.contract?.file === file)?.contract;
  const index = contract?.tables[0]?.columns.findIndex((c) => c.name === name) ?? -1;
  if (index < 0) throw new Error(`${file} has no property ${name}`);
  return buildMesh(applyEdit(mesh.files, { kind: 'deleteField', file, path: ['schema', 0, 'properties', index] })).mesh;
}

describe('what-if on a draft', () => {
  it('lists exactly the consumers that read a removed column, and what runs downstream of them', async () => {
    const { mesh } = await loadSample('daff');
    const before = new Map(mesh.files);
    const report = await whatIf(mesh, withoutProperty(mesh, PLAY_EVENTS, 'device'));
    // play_events is read by artist-royalties, play-sessions, podcast-listeners and
    // emerging-artists; only play-sessions' SQL reads `device`.
    expect(report.broken.map((b) => b.productId)).toEqual(['play-sessions']);
    expect(report.broken[0]?.reasons[0]).toMatch(/property-removed device in daff\.media-player\.play-events\.play_events/);
    const impact = report.contracts.find((c) => c.productId === 'play-events');
    expect(
      impact?.consumers
        .filter((c) => !c.broken)
        .map((c) => c.productId)
        .sort(),
    ).toEqual(['artist-royalties', 'emerging-artists', 'podcast-listeners']);
    expect(report.affected).not.toContain('play-sessions');
    expect(report.changedFiles).toEqual([PLAY_EVENTS]);
    // Judging a draft changes nothing in the mesh it is judged against.
    expect(new Map(mesh.files)).toEqual(before);
  });

  it('breaks nobody when the removed column is read by no consumer', async () => {
    const { mesh } = await loadSample('hello-mesh');
    expect((await whatIf(mesh, withoutProperty(mesh, ORDERS, 'customer_email'))).broken).toEqual([]);
    const report = await whatIf(mesh, withoutProperty(mesh, ORDERS, 'amount_eur'));
    expect(report.broken.map((b) => b.productId)).toEqual(['daily-revenue']);
  });

  it('names the consumers of a deleted product', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const draft = buildMesh(applyChange(mesh.files, { kind: 'deleteProduct', productId: 'orders' }, mesh)).mesh;
    const report = await whatIf(mesh, draft);
    expect(report.broken).toEqual([{ productId: 'daily-revenue', reasons: ['orders is deleted'] }]);
  });
});
