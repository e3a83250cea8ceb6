import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../core/diagnostics/codes.ts';
import { REPO } from '../helpers.ts';

const readme = await fsp.readFile(nodePath.join(REPO, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with exactly the two commands a new user needs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(
      firstBlock
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/\s+#.*$/, '')),
    ).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it.each(Object.keys(DIAGNOSTIC_CODES))('documents %s', (code) => {
    expect(readme).toContain(`| ${code} |`);
  });

  it.each(['core', 'renderer', 'electron', 'workers', 'sample-meshes', 'test', 'scripts', 'bin', 'bench'])(
    'has a README in the top-level folder %s',
    async (folder) => {
      await expect(fsp.stat(nodePath.join(REPO, folder, 'README.md'))).resolves.toBeTruthy();
    },
  );
});
