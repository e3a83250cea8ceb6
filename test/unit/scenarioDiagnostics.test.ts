import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../core/diagnostics/codes.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The bad-scenario corpus (test/fixtures/bad-scenarios/): each file, dropped into a copy of
 * hello-mesh, must give its one diagnostic at its place — like every other mesh file — and
 * never crash the load.
 */

const CORPUS = nodePath.join(REPO, 'test/fixtures/bad-scenarios');

interface BadScenario {
  readonly file: string;
  readonly code: DiagnosticCode;
  readonly line: number;
  readonly column: number;
  readonly message: RegExp;
}

const cases: readonly BadScenario[] = [
  { file: 'unknown-product', code: 'QUANTA_E040', line: 9, column: 18, message: /product "daily-revenu", which is not in this mesh/ },
  { file: 'unknown-fault-kind', code: 'QUANTA_E083', line: 7, column: 13, message: /"rename-column".*called renameColumn now/ },
  { file: 'missing-policy', code: 'QUANTA_E080', line: 9, column: 17, message: /policy "emails-are-hashed", which is not in force/ },
  { file: 'bad-yaml', code: 'QUANTA_E001', line: 7, column: 12, message: /unclosed "\["/ },
  { file: 'unknown-goal-kind', code: 'QUANTA_E082', line: 8, column: 15, message: /kind "rowCount", which Quanta does not know/ },
  {
    file: 'unknown-port',
    code: 'QUANTA_E081',
    line: 10,
    column: 15,
    message: /output port "revenue" of daily-revenue, whose output ports are: daily_revenue/,
  },
  {
    file: 'unknown-table',
    code: 'QUANTA_E081',
    line: 6,
    column: 63,
    message: /table "order_lines" of daily-revenue, which reads only: orders/,
  },
  { file: 'two-actions', code: 'QUANTA_E084', line: 6, column: 5, message: /does 2 things at once \(run, tick\)/ },
  { file: 'no-action', code: 'QUANTA_E084', line: 8, column: 9, message: /does nothing/ },
  { file: 'query-without-persona', code: 'QUANTA_E085', line: 8, column: 9, message: /names no persona, and the scenario has none/ },
  { file: 'unknown-persona', code: 'QUANTA_E025', line: 9, column: 18, message: /persona "auditor"/ },
  { file: 'old-format', code: 'QUANTA_W086', line: 7, column: 13, message: /old format \(action: run\); it is skipped/ },
  {
    file: 'seed-data-edit',
    code: 'QUANTA_E087',
    line: 7,
    column: 13,
    message: /writes "domains\/sales\/orders\/data\/orders.csv": a scenario changes the mesh's YAML files and transform.sql, not seed data/,
  },
  { file: 'step-without-goals', code: 'QUANTA_E010', line: 6, column: 5, message: /has no goals/ },
  {
    file: 'path-escape',
    code: 'QUANTA_E031',
    line: 11,
    column: 17,
    message: /"\.\.\/\.\.\/outside\.sql", which is not a path inside the mesh folder/,
  },
  { file: 'goal-missing-field', code: 'QUANTA_E010', line: 8, column: 9, message: /missing the required field "is"/ },
  { file: 'too-many-ticks', code: 'QUANTA_E013', line: 7, column: 11, message: /8760 is greater than 1000/ },
  { file: 'unknown-change', code: 'QUANTA_E012', line: 6, column: 21, message: /"splitProduct", which is not allowed/ },
];

async function loadWith(fixture: string) {
  const dir = await tempDir('bad-scenario');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  await fsp.mkdir(nodePath.join(dir, 'scenarios'), { recursive: true });
  await fsp.copyFile(nodePath.join(CORPUS, `${fixture}.scenario.yaml`), nodePath.join(dir, 'scenarios', `${fixture}.scenario.yaml`));
  try {
    return await loadMesh(new NodeFileSystem(dir));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

describe('the bad-scenario corpus', () => {
  it('has a case for every file in test/fixtures/bad-scenarios, and a file for every case', async () => {
    const files = (await fsp.readdir(CORPUS)).map((n) => n.replace(/\.scenario\.yaml$/, '')).sort();
    expect(files).toEqual(cases.map((c) => c.file).sort());
  });

  it.each(cases)('reports $code for $file at line $line, column $column', async ({ file, code, line, column, message }) => {
    const loaded = await loadWith(file);
    const path = `scenarios/${file}.scenario.yaml`;
    const mine = loaded.diagnostics.filter((d) => d.file === path && d.code !== 'QUANTA_W014');
    expect(mine.map((d) => ({ code: d.code, line: d.line, column: d.column }))).toEqual([{ code, line, column }]);
    expect(mine[0]?.message).toMatch(message);
    // Nothing else of the mesh is blamed for the scenario's mistake.
    expect(loaded.diagnostics.filter((d) => d.file !== path && d.severity === 'error')).toEqual([]);
  });

  it('leaves a tick event out of range out of the model, so nothing plays it', async () => {
    const loaded = await loadWith('too-many-ticks');
    expect(loaded.mesh.scenarios.find((s) => s.id === 'too-many-ticks')?.setup).toEqual([{ kind: 'run' }]);
  });

  it('leaves out of the model what it cannot read, and keeps the rest', async () => {
    const loaded = await loadWith('unknown-goal-kind');
    const scenario = loaded.mesh.scenarios.find((s) => s.id === 'unknown-goal-kind');
    expect(scenario?.steps.map((s) => ({ title: s.title, goals: s.goals.length }))).toEqual([{ title: 'Enough rows', goals: 0 }]);
  });
});
