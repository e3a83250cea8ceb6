import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMesh } from '../../core/load/buildMesh.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';
import { loadSample, REPO } from '../helpers.ts';

/* docs/scenarios.md's full example is a real scenario: dropped into daff it loads without a single diagnostic. */

async function example(): Promise<string> {
  const doc = await fsp.readFile(nodePath.join(REPO, 'docs/scenarios.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## A whole scenario'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('docs/scenarios.md has no yaml block under "A whole scenario"');
  return block;
}

describe('docs/scenarios.md', () => {
  it('shows a whole scenario that daff loads cleanly, every part of it in the model', async () => {
    const daff = await loadSample('daff');
    const path = 'scenarios/doc-example.scenario.yaml';
    const text = (await example()).replace('id: schema-drift', 'id: doc-example');
    const files = new Map(daff.mesh.files).set(path, parseYaml(path, text));
    const built = buildMesh(files);
    expect(built.diagnostics.filter((d) => d.file === path)).toEqual([]);
    const scenario = built.mesh.scenarios.find((s) => s.id === 'doc-example');
    expect(scenario).toMatchObject({ principle: 'incident', level: 'beginner', minutes: 15, persona: 'finance-analyst' });
    expect(scenario?.roles.map((r) => r.id)).toEqual(['player']);
    expect(scenario?.setup.map((a) => a.kind)).toEqual(['run', 'fault', 'run']);
    const step = scenario?.steps[0];
    expect(step?.events).toEqual([{ afterTicks: 2, action: { kind: 'tick', ticks: 1 } }]);
    expect(step?.goals.map((g) => g.kind)).toEqual(['status', 'status', 'nonBreaking']);
    expect([step?.hints.length, step?.solution.map((a) => a.kind)]).toEqual([2, ['edit']]);
  });
});
