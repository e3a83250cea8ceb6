import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMesh } from '../../core/node/commands/openMesh.ts';
import { openScenarioHost } from '../../core/node/commands/scenario.ts';
import type { CliIo } from '../../core/node/commands/command.ts';
import { readMeshFiles } from '../../core/load/readMeshFiles.ts';
import { checkScenario } from '../../core/scenarios/checkScenario.ts';
import { resetScenario } from '../../core/scenarios/scenarioEngine.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, sampleNames, SAMPLES_DIR } from '../helpers.ts';

/*
 * Every scenario shipped in sample-meshes/*\/scenarios, found on disk, so a scenario added
 * later is proved the moment it lands: played through the CLI's own host (real quanta, the
 * policy gate, the mesh's own files) step by step, each step's goals must fail when the step
 * starts (as the app judges them then) and all hold after its reference solution and a run; then reset must give back the very files read
 * from disk and an empty runtime.
 */

const hosts: QuantumHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

const io: CliIo = {
  out: () => undefined,
  err: () => undefined,
  cwd: REPO,
  createHost: (size) => {
    const host = new InProcessHost(size);
    hosts.push(host);
    return host;
  },
  createCatalogEngine: (host) => new QuantumCatalogEngine(host),
};

interface Shipped {
  readonly mesh: string;
  readonly id: string;
}

async function shippedScenarios(): Promise<Shipped[]> {
  const found: Shipped[] = [];
  for (const mesh of await sampleNames()) {
    const dir = nodePath.join(SAMPLES_DIR, mesh, 'scenarios');
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) if (name.endsWith('.scenario.yaml')) found.push({ mesh, id: name.slice(0, -'.scenario.yaml'.length) });
  }
  return found;
}

const shipped = await shippedScenarios();

function texts(files: MeshFiles): [string, string][] {
  return [...files].map(([path, file]): [string, string] => [path, file.text]).sort(([a], [b]) => a.localeCompare(b));
}

describe('every shipped scenario', () => {
  it('is found on disk (schema-drift of daff at least)', () => {
    expect(shipped).toContainEqual({ mesh: 'daff', id: 'schema-drift' });
  });

  describe.each(shipped)('$mesh/$id', ({ mesh, id }) => {
    it('fails its goals when each step starts, meets them all after the step’s solution, and reset restores the files byte for byte', async () => {
      const opened = await openMesh(io, `sample-meshes/${mesh}`);
      expect(opened.errors).toEqual([]);
      const scenario = opened.loaded.mesh.scenarios.find((s) => s.id === id);
      if (!scenario) throw new Error(`scenarios/${id}.scenario.yaml did not load as a scenario with id ${id}`);
      expect(scenario.steps.length).toBeGreaterThan(0);
      const session = await openScenarioHost(opened, io, 2);
      try {
        const result = await checkScenario(session.host, scenario, { solution: true });
        const summary = result.steps.map((s) => ({
          step: s.step + 1,
          failingAtStart: s.atStart.filter((g) => !g.holds).map((g) => g.title),
          failingAfter: s.after.filter((g) => !g.holds).map((g) => `${g.title}: ${g.why}`),
        }));
        for (const step of summary) {
          expect(step.failingAtStart, `step ${step.step}: goals that fail when the step starts`).not.toEqual([]);
          expect(step.failingAfter, `step ${step.step}: goals that fail after the solution`).toEqual([]);
        }
        expect(summary).toHaveLength(scenario.steps.length);
        expect(result.holds).toBe(true);

        await resetScenario(session.host, result.state);
        const disk = await readMeshFiles(opened.fs);
        expect(texts(session.host.files())).toEqual(texts(disk.files));
        const runtime = session.host.runtime();
        expect(runtime.tick).toBe(0);
        expect(runtime.faults).toEqual([]);
        expect(opened.loaded.mesh.products.map((p) => runtime.lastRun(p.id))).toEqual(opened.loaded.mesh.products.map(() => undefined));
      } finally {
        await session.dispose();
      }
    }, 600_000);
  });
});
