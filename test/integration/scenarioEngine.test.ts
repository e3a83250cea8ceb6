import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { readMeshFiles } from '../../core/load/readMeshFiles.ts';
import type { MeshFiles, Scenario } from '../../core/model/types.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { policyGate } from '../../core/node/commands/runSession.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { RuntimeScenarioHost } from '../../core/scenarios/runtimeHost.ts';
import { playAction, ScenarioError } from '../../core/scenarios/scenarioActions.ts';
import {
  currentStep,
  elapsedMs,
  evaluateScenario,
  isFinished,
  resetScenario,
  revealHint,
  shownHints,
  startScenario,
} from '../../core/scenarios/scenarioEngine.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The scenario engine as the app's store drives it, on hello-mesh and real quanta: start
 * (snapshot, setup), evaluate after runs and edits, steps advancing and their events,
 * hints, the clock, reset. The store's host is played by RuntimeScenarioHost, the CLI's.
 */

const quanta: QuantumHost[] = [];
afterAll(async () => {
  await Promise.all(quanta.map((h) => h.dispose()));
});

const WALK = `apiVersion: quanta/v1
kind: Scenario
id: engine-walk
title: Revenue loses a column, then the mesh gets a bad edit
persona: finance-analyst
setup:
  - run: all
  - edit: { kind: setField, file: domains/sales/orders/orders.odcs.yaml, path: [description, purpose], value: Orders of the scenario. }
  - fault: { kind: dropColumn, product: daily-revenue, table: orders, column: amount_eur }
  - run: all
steps:
  - title: Revenue publishes again
    goals:
      - kind: status
        product: daily-revenue
        is: published
    hints: [Read the run log., Remove the fault.]
  - title: The mesh is valid again
    events:
      - edit: { kind: setField, file: domains/finance/daily-revenue/product.odps.yaml, path: [inputPorts, 0, version], value: 2.0.0 }
      - afterTicks: 2
        fault: { kind: crash, product: orders }
    goals:
      - kind: valid
`;

interface Played {
  readonly host: RuntimeScenarioHost;
  readonly scenario: Scenario;
  readonly disk: MeshFiles;
}

async function open(scenarioText: string, id: string, valid = true): Promise<Played> {
  const dir = await tempDir('scenario-engine');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  await fsp.mkdir(nodePath.join(dir, 'scenarios'), { recursive: true });
  await fsp.writeFile(nodePath.join(dir, 'scenarios', `${id}.scenario.yaml`), scenarioText);
  const fs = new NodeFileSystem(dir);
  const loaded = await loadMesh(fs);
  if (valid) expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const scenario = loaded.mesh.scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  const pool = new InProcessHost(2);
  quanta.push(pool);
  const host = await RuntimeScenarioHost.create(
    loaded.mesh.files,
    { host: pool, readFile: (path) => fs.readFile(path) },
    policyGate({ createCatalogEngine: (h) => new QuantumCatalogEngine(h) }, pool),
  );
  return { host, scenario, disk: (await readMeshFiles(fs)).files };
}

const texts = (files: MeshFiles): [string, string][] =>
  [...files].map(([p, f]): [string, string] => [p, f.text]).sort(([a], [b]) => a.localeCompare(b));

describe('the scenario engine', () => {
  it('starts from a snapshot, plays the setup, and advances a step only once its goals hold', async () => {
    const { host, scenario, disk } = await open(WALK, 'engine-walk');
    let state = await startScenario(host, scenario, 1_000);
    expect(texts(state.snapshot)).toEqual(texts(disk));
    expect(host.files().get('domains/sales/orders/orders.odcs.yaml')?.text).toContain('Orders of the scenario.');
    expect(state.baseline).toBe(host.files());
    expect(host.runtime().faults).toEqual([{ kind: 'dropColumn', product: 'daily-revenue', table: 'orders', column: 'amount_eur' }]);

    state = await evaluateScenario(host, state, 2_000);
    expect(state.step).toBe(0);
    expect(state.goals.map((g) => [g.title, g.holds])).toEqual([['daily-revenue is published', false]]);
    expect(state.goals[0]?.why).toMatch(/^daily-revenue is failed: .*amount_eur/);

    // The participant removes the fault and presses Run.
    await playAction(host, { kind: 'clearFaults', product: 'daily-revenue' }, 'the participant');
    await host.runtime().runAll();
    state = await evaluateScenario(host, state, 3_000);
    expect(state.step).toBe(1);
    expect(state.done).toEqual([{ step: 0, at: 3_000 }]);
    expect(currentStep(state)?.title).toBe('The mesh is valid again');
    // Step 2 started with its bad edit, so its goal is judged and fails at once.
    expect(state.played).toEqual([0]);
    expect(state.goals.map((g) => g.holds)).toEqual([false]);
    expect(state.goals[0]?.why).toMatch(/QUANTA_E022/);
  }, 120_000);

  it('plays an afterTicks event once the clock has gone that far past the step’s start', async () => {
    const { host, scenario } = await open(WALK, 'engine-walk');
    let state = await startScenario(host, scenario, 0);
    await playAction(host, { kind: 'clearFaults' }, 'the participant');
    await host.runtime().runAll();
    state = await evaluateScenario(host, state, 0);
    expect(state.step).toBe(1);
    await host.runtime().advance(1);
    state = await evaluateScenario(host, state, 0);
    expect(host.runtime().faults.some((f) => f.kind === 'crash')).toBe(false);
    await host.runtime().advance(1);
    state = await evaluateScenario(host, state, 0);
    expect(state.played).toEqual([0, 1]);
    expect(host.runtime().faults).toContainEqual({ kind: 'crash', product: 'orders' });
  }, 120_000);

  it('reveals hints one at a time, counts time on the injected clock, and stops it when done', async () => {
    const { host, scenario } = await open(WALK, 'engine-walk');
    let state = await startScenario(host, scenario, 10_000);
    expect(shownHints(state)).toEqual([]);
    state = revealHint(state);
    expect(shownHints(state)).toEqual(['Read the run log.']);
    state = revealHint(revealHint(state));
    expect(shownHints(state)).toEqual(['Read the run log.', 'Remove the fault.']);
    expect(elapsedMs(state, 70_000)).toBe(60_000);

    await playAction(host, { kind: 'clearFaults' }, 'the participant');
    await host.runtime().runAll();
    state = await evaluateScenario(host, state, 80_000);
    expect(state.hintsShown).toBe(0); // a new step starts with its hints hidden
    await playAction(
      host,
      {
        kind: 'edit',
        edit: {
          kind: 'setField',
          file: 'domains/finance/daily-revenue/product.odps.yaml',
          path: ['inputPorts', 0, 'version'],
          value: '1.0.0',
        },
      },
      'the participant',
    );
    state = await evaluateScenario(host, state, 95_000);
    expect(isFinished(state)).toBe(true);
    expect(state.finishedAt).toBe(95_000);
    expect(elapsedMs(state, 500_000)).toBe(85_000);
  }, 120_000);

  it('resets to the files read from disk, byte for byte, with no runs, versions or faults left', async () => {
    const { host, scenario, disk } = await open(WALK, 'engine-walk');
    const state = await startScenario(host, scenario, 0);
    await host.runtime().advance(3);
    await resetScenario(host, state);
    expect(texts(host.files())).toEqual(texts(disk));
    const runtime = host.runtime();
    expect([runtime.tick, runtime.faults, runtime.lastRun('orders'), runtime.latestVersion('orders', 'orders')]).toEqual([
      0,
      [],
      undefined,
      undefined,
    ]);
  }, 120_000);

  it('names the event that cannot be played', async () => {
    const broken = WALK.replace('table: orders, column: amount_eur', 'table: order_lines, column: amount_eur');
    const { host, scenario } = await open(broken.replace('id: engine-walk', 'id: broken-walk'), 'broken-walk', false);
    const started = startScenario(host, scenario, 0);
    await expect(started).rejects.toBeInstanceOf(ScenarioError);
    await expect(started).rejects.toThrow(/^setup event 3 of broken-walk: daily-revenue reads no table "order_lines"/);
  }, 120_000);

  it('refuses a file event that would write outside the mesh folder', async () => {
    const { host } = await open(WALK, 'engine-walk');
    await expect(playAction(host, { kind: 'file', path: '../escape.sql', text: 'SELECT 1' }, 'solution event 1')).rejects.toThrow(
      /^solution event 1: "\.\.\/escape\.sql" is not a path inside the mesh folder/,
    );
    expect(host.files().has('../escape.sql')).toBe(false);
  }, 120_000);
});
