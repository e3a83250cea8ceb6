import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, type MeshEdit } from '../../core/edits/meshEdits.ts';
import { evaluatePolicies, type GovernanceReport } from '../../core/governance/policy/evaluate.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { addRoleEdit, roleRows } from '../../renderer/src/inspector/terms/roleTerms.ts';
import { addSlaEdit, removeSlaEdit, slaRows } from '../../renderer/src/inspector/terms/slaTerms.ts';
import { CROSS_DOMAIN_POLICY, crossDomainConsumers, visibilityEdit } from '../../renderer/src/inspector/terms/visibilityTerms.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample } from '../helpers.ts';

/*
 * The SLA & access forms' edits judged by daff's real policies on a real catalog quantum:
 * what the visibility form says a private port would cut off is exactly what
 * quanta.no-cross-domain-private-ports then reports, and the freshness and masking policies
 * follow the SLA and role edits.
 */
const CONTRACT = 'domains/listeners/listener-profiles/listener_profiles.odcs.yaml';

const host = new InProcessHost(1);
const engine = new QuantumCatalogEngine(host);
let daff: Mesh;
beforeAll(async () => {
  daff = (await loadSample('daff')).mesh;
}, 60_000);
afterAll(async () => {
  engine.release();
  await host.dispose();
});

function edited(mesh: Mesh, edit: MeshEdit | undefined): Mesh {
  if (!edit) throw new Error('the form made no edit');
  const built = buildMesh(applyEdit(mesh.files, edit));
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.mesh;
}

function violations(report: GovernanceReport, id: string): { product?: string; port?: string; message: string }[] {
  const result = report.policies.find((p) => p.id === id);
  if (!result) throw new Error(`policy ${id} was not evaluated`);
  expect(result.error).toBeUndefined();
  return result.violations.map((v) => ({
    ...(v.product === undefined ? {} : { product: v.product }),
    ...(v.port === undefined ? {} : { port: v.port }),
    message: v.message,
  }));
}

describe('SLA & access edits under daff’s policies', () => {
  it('a port made private is flagged on exactly the consumers the form named', async () => {
    const product = daff.products.find((p) => p.id === 'listener-profiles')!;
    const port = product.outputPorts[0]!;
    expect(violations(await evaluatePolicies(daff, engine), CROSS_DOMAIN_POLICY)).toEqual([]);
    const named = crossDomainConsumers(daff, product, port);
    const privateMesh = edited(daff, visibilityEdit(daff, product, port, 'private'));
    const found = violations(await evaluatePolicies(privateMesh, engine), CROSS_DOMAIN_POLICY);
    expect(found.map((v) => v.product).sort()).toEqual(named.map((c) => c.product).sort());
    expect(found.map((v) => v.message)).toContain(
      'reads private port listener-profiles.listener_profiles of domain listeners from domain podcasts',
    );
    // Back to public through the form: nothing is flagged.
    const again = privateMesh.products.find((p) => p.id === 'listener-profiles')!;
    const publicMesh = edited(privateMesh, visibilityEdit(privateMesh, again, again.outputPorts[0]!, 'public'));
    expect(violations(await evaluatePolicies(publicMesh, engine), CROSS_DOMAIN_POLICY)).toEqual([]);
  }, 120_000);

  it('removing the freshness SLA is flagged, and the form’s Add SLA property clears it', async () => {
    const file = daff.files.get(CONTRACT) as YamlSourceFile;
    const latency = slaRows(file).find((r) => r.property === 'latency')!;
    const without = edited(daff, removeSlaEdit(file, latency));
    expect(violations(await evaluatePolicies(without, engine), 'quanta.freshness-sla-declared')).toEqual([
      {
        product: 'listener-profiles',
        port: 'listener_profiles',
        message: 'contract daff.listeners.listener-profiles.listener_profiles declares no freshness SLA (slaProperties: latency)',
      },
    ]);
    const restored = edited(without, addSlaEdit(without.files.get(CONTRACT) as YamlSourceFile));
    expect(violations(await evaluatePolicies(restored, engine), 'quanta.freshness-sla-declared')).toEqual([]);
  }, 120_000);

  it('a contract without roles masks its classified columns for everyone; the form’s Add role names a purpose a persona holds', async () => {
    const without = edited(daff, { kind: 'deleteField', file: CONTRACT, path: ['roles'] });
    const masked = violations(await evaluatePolicies(without, engine), 'quanta.classified-columns-masked');
    expect(masked.length).toBeGreaterThan(0);
    expect(masked.every((v) => v.product === 'listener-profiles')).toBe(true);
    const withRole = edited(without, addRoleEdit(without.files.get(CONTRACT) as YamlSourceFile, without));
    expect(roleRows(withRole.files.get(CONTRACT) as YamlSourceFile)).toMatchObject([{ role: 'ml-training', access: 'read' }]);
    expect(violations(await evaluatePolicies(withRole, engine), 'quanta.classified-columns-masked')).toEqual([]);
  }, 120_000);
});
