import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The no-cycle rule of eslint.config.js is only worth something if lint fails on a cycle.
 * Each case writes a few tiny files under core/, renderer/src/, workers/ or electron/ of a
 * temporary folder and lints them with the project's own config (ESLint's Node API, the
 * real plugin, nothing mocked); the folder is outside the repo so no other lint or tsc sees it.
 */

const REPO = nodePath.resolve(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(nodePath.join(tmpdir(), 'quanta-no-cycle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(files: Record<string, string>): Promise<{ file: string; rule: string | null; message: string }[]> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
    await writeFile(nodePath.join(dir, path), text);
  }
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: nodePath.join(REPO, 'eslint.config.js') });
  const results = await eslint.lintFiles(Object.keys(files));
  return results.flatMap((r) => r.messages.map((m) => ({ file: nodePath.relative(dir, r.filePath), rule: m.ruleId, message: m.message })));
}

describe('lint refuses import cycles', () => {
  it('fails on two files of core/ that import each other, in both files', { timeout: 60_000 }, async () => {
    const problems = await lint({
      'core/cycle/a.ts': "import { b } from './b.ts';\nexport const a = (): number => b() + 1;\n",
      'core/cycle/b.ts': "import { a } from './a.ts';\nexport const b = (): number => 1;\nexport const c = (): number => a();\n",
    });
    expect(problems).toEqual([
      { file: 'core/cycle/a.ts', rule: 'import-x/no-cycle', message: 'Dependency cycle detected' },
      { file: 'core/cycle/b.ts', rule: 'import-x/no-cycle', message: 'Dependency cycle detected' },
    ]);
  });

  it('fails on a cycle through three files across folders of renderer/src/', { timeout: 60_000 }, async () => {
    const problems = await lint({
      'renderer/src/x/one.ts': "import { two } from '../y/two.ts';\nexport const one = (): number => two();\n",
      'renderer/src/y/two.ts': "import { three } from '../z/three.ts';\nexport const two = (): number => three();\n",
      'renderer/src/z/three.ts':
        "import { one } from '../x/one.ts';\nexport const three = (): number => 3;\nexport const again = (): number => one();\n",
    });
    expect(problems.map((p) => p.rule)).toEqual(['import-x/no-cycle', 'import-x/no-cycle', 'import-x/no-cycle']);
  });

  it('fails on a cycle in workers/ and in electron/ alike', { timeout: 60_000 }, async () => {
    const problems = await lint({
      'workers/cycle/a.ts': "import { b } from './b.ts';\nexport const a = (): number => b() + 1;\n",
      'workers/cycle/b.ts': "import { a } from './a.ts';\nexport const b = (): number => 1;\nexport const c = (): number => a();\n",
      'electron/cycle/a.ts': "import { b } from './b.ts';\nexport const a = (): number => b() + 1;\n",
      'electron/cycle/b.ts': "import { a } from './a.ts';\nexport const b = (): number => 1;\nexport const c = (): number => a();\n",
    });
    expect(problems.map((p) => `${p.file} ${p.rule}`)).toEqual([
      'workers/cycle/a.ts import-x/no-cycle',
      'workers/cycle/b.ts import-x/no-cycle',
      'electron/cycle/a.ts import-x/no-cycle',
      'electron/cycle/b.ts import-x/no-cycle',
    ]);
  });

  it('passes the same files once the shared piece has its own module', { timeout: 60_000 }, async () => {
    const problems = await lint({
      'workers/fixed/shared.ts': 'export const b = (): number => 1;\n',
      'workers/fixed/a.ts': "import { b } from './shared.ts';\nexport const a = (): number => b() + 1;\n",
      'workers/fixed/b.ts': "import { a } from './a.ts';\nexport const c = (): number => a();\n",
    });
    expect(problems).toEqual([]);
  });
});
