import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import { MeshSession } from '../../electron/meshSession.ts';
import { REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The desktop app's folder reader and `quanta diff` read files outside the loader's
 * NodeFileSystem; they get the same rule: regular files only, bounded, never a hang.
 */
describe('files that are not files, outside the loader', () => {
  it('refuses to open a mesh folder holding a FIFO, naming it, instead of hanging', async () => {
    const dir = await tempDir('hostile-folder');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    const transform = nodePath.join(dir, 'domains/sales/orders/transform.sql');
    await fsp.rm(transform);
    execFileSync('mkfifo', [transform]);
    const session = await MeshSession.open(dir);
    await expect(session.readAll()).rejects.toThrow(
      'domains/sales/orders/transform.sql is a FIFO (named pipe), not a regular file; Quanta opens only regular files',
    );
  });

  it('answers quanta diff on a FIFO with QUANTA_E008 instead of hanging', async () => {
    const dir = await tempDir('hostile-folder');
    const fifo = nodePath.join(dir, 'v2.odcs.yaml');
    execFileSync('mkfifo', [fifo]);
    let err = '';
    const contract = nodePath.join(SAMPLES_DIR, 'hello-mesh/domains/sales/orders/orders.odcs.yaml');
    const code = await runCli(['diff', contract, fifo], { out: () => undefined, err: (t) => (err += t), cwd: REPO });
    expect(code).toBe(2);
    expect(err).toMatch(/QUANTA_E008 .*is a FIFO \(named pipe\), not a regular file/);
  });
});

describe('an error that is a bug of Quanta', () => {
  it('prints one line and exit code 2, never a stack trace', async () => {
    let err = '';
    const code = await runCli(['run', nodePath.join(SAMPLES_DIR, 'hello-mesh')], {
      out: () => undefined,
      err: (t) => (err += t),
      cwd: REPO,
      createHost: () => {
        throw new TypeError('cannot read properties of undefined (reading "x")');
      },
    });
    expect(code).toBe(2);
    expect(err).toContain('quanta run: internal error: cannot read properties of undefined (reading "x")');
    expect(err).not.toMatch(/\n\s+at /);
  });
});
