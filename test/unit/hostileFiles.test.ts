import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { MeshReadError } from '../../core/fs/meshFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { readFailure } from '../../core/load/readFailure.ts';
import { runCli } from '../../core/node/cli.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * Files a stranger's mesh (or a tar of it) can carry that are not plain files: FIFOs,
 * devices, symlink loops, dangling links, links out of the folder, huge seeds. Each must
 * become a diagnostic with its own code, quickly — never a hang, a crash or a silent skip.
 * Every case is built for real in a temp folder.
 */
const posix = process.platform !== 'win32';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const ORDERS = 'domains/sales/orders';
const TRANSFORM = 'domains/finance/daily-revenue/transform.sql';
const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await fsp.rm(dir, { recursive: true, force: true });
});

async function helloCopy(): Promise<string> {
  const dir = await tempDir('hostile');
  temps.push(dir);
  const mesh = nodePath.join(dir, 'mesh');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
  return mesh;
}

function errors(diagnostics: readonly Diagnostic[]): { code: string; file: string; line: number; column: number }[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column }));
}

async function replaceWith(mesh: string, relative: string, make: (absolute: string) => Promise<void> | void): Promise<void> {
  const absolute = nodePath.join(mesh, relative);
  await fsp.rm(absolute, { force: true });
  await make(absolute);
}

const mkfifo = (path: string): void => {
  execFileSync('mkfifo', [path]);
};

describe.runIf(posix)('non-regular files in a mesh folder (POSIX: FIFOs and symlinks)', () => {
  it('refuses a mesh.yaml that is a FIFO with QUANTA_E052 instead of waiting for a writer forever', { timeout: 20_000 }, async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, 'mesh.yaml', mkfifo);
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E052', file: 'mesh.yaml', line: 1, column: 1 }]);
    expect(diagnostics[0]?.message).toMatch(/FIFO/);
  });

  it('refuses a seed file that is a FIFO with QUANTA_E052 at its file: field', { timeout: 20_000 }, async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, `${ORDERS}/data/orders.csv`, mkfifo);
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E052', file: `${ORDERS}/quanta.yaml`, line: 7, column: 11 }]);
  });

  it('never blocks reading a FIFO: readFile rejects at once with not-regular', { timeout: 20_000 }, async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, `${ORDERS}/data/orders.csv`, mkfifo);
    const read = new NodeFileSystem(mesh).readFile(`${ORDERS}/data/orders.csv`);
    await expect(read).rejects.toBeInstanceOf(MeshReadError);
    await expect(read).rejects.toMatchObject({ reason: 'not-regular' });
  });

  it('reports a transform.sql that is a dangling symlink as QUANTA_E053, not as a product without a transform', async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, TRANSFORM, (p) => fsp.symlink('gone.sql', p));
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E053', file: TRANSFORM, line: 1, column: 1 }]);
    expect(diagnostics.find((d) => d.code === 'QUANTA_E053')?.message).toMatch(/gone\.sql/);
  });

  it('refuses to run a mesh whose transform.sql is a dangling symlink (it published the raw source before)', async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, TRANSFORM, (p) => fsp.symlink('gone.sql', p));
    let err = '';
    const code = await runCli(['run', mesh], { out: () => undefined, err: (t) => (err += t), cwd: mesh });
    expect(code).toBe(1);
    expect(err).toMatch(/domains\/finance\/daily-revenue\/transform\.sql:1:1 QUANTA_E053/);
  });

  it('reports a transform.sql that is a symlink loop as QUANTA_E053', async () => {
    const mesh = await helloCopy();
    const dir = nodePath.dirname(nodePath.join(mesh, TRANSFORM));
    await replaceWith(mesh, TRANSFORM, (p) => fsp.symlink('loop-b.sql', p));
    await fsp.symlink('transform.sql', nodePath.join(dir, 'loop-b.sql'));
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E053', file: TRANSFORM, line: 1, column: 1 }]);
    expect(diagnostics.find((d) => d.code === 'QUANTA_E053')?.message).toMatch(/loop/);
  });

  it('reports a contract that is a dangling symlink as QUANTA_E053 (any mesh file that is there but unreadable)', async () => {
    const contract = 'domains/finance/daily-revenue/daily_revenue.odcs.yaml';
    const mesh = await helloCopy();
    await replaceWith(mesh, contract, (p) => fsp.symlink('nowhere.yaml', p));
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics).map((e) => e.code)).toContain('QUANTA_E053');
    expect(errors(diagnostics).find((e) => e.code === 'QUANTA_E053')).toMatchObject({ file: contract });
  });

  it('says a mesh.yaml symlinked outside leads outside the mesh folder (QUANTA_E031), not "no mesh.yaml"', async () => {
    const mesh = await helloCopy();
    const outside = nodePath.join(nodePath.dirname(mesh), 'outside.yaml');
    await fsp.rename(nodePath.join(mesh, 'mesh.yaml'), outside);
    await fsp.symlink(outside, nodePath.join(mesh, 'mesh.yaml'));
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E031', file: 'mesh.yaml', line: 1, column: 1 }]);
    expect(diagnostics[0]?.message).toMatch(/symlink leading outside the mesh folder/);
  });

  it('refuses a seed file that is a dangling symlink with QUANTA_E053 at its file: field', async () => {
    const mesh = await helloCopy();
    await replaceWith(mesh, `${ORDERS}/data/orders.csv`, (p) => fsp.symlink('missing.csv', p));
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E053', file: `${ORDERS}/quanta.yaml`, line: 7, column: 11 }]);
  });
});

describe.runIf(posix && isRoot)('device files (creating one needs root: mknod)', () => {
  it('refuses a seed file that is a character device with QUANTA_E052, reading nothing from it', { timeout: 20_000 }, async () => {
    const mesh = await helloCopy();
    // 1:5 is /dev/zero: endless bytes, the device that grew the CLI past 7 GB.
    await replaceWith(mesh, `${ORDERS}/data/orders.csv`, (p) => {
      execFileSync('mknod', [p, 'c', '1', '5']);
    });
    const fs = new NodeFileSystem(mesh);
    const { diagnostics } = await loadMesh(fs);
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E052', file: `${ORDERS}/quanta.yaml`, line: 7, column: 11 }]);
    expect(diagnostics[0]?.message).toMatch(/character device/);
    await expect(fs.readFile(`${ORDERS}/data/orders.csv`)).rejects.toMatchObject({ reason: 'not-regular' });
  });
});

describe('size limits', () => {
  it('refuses a seed file over the limit with QUANTA_E054 naming the limit and how to raise it', async () => {
    const mesh = await helloCopy();
    const fs = new NodeFileSystem(mesh, { maxBytes: 64 });
    const { diagnostics } = await loadMesh(fs);
    const tooLarge = diagnostics.find((d) => d.code === 'QUANTA_E054');
    expect(tooLarge).toMatchObject({ file: `${ORDERS}/quanta.yaml`, line: 7, column: 11 });
    expect(tooLarge?.message).toMatch(/over the seed file limit of 0\.0 MB/);
    expect(tooLarge?.hint).toMatch(/QUANTA_MAX_SEED_MB/);
    await expect(fs.readFile(`${ORDERS}/data/orders.csv`)).rejects.toMatchObject({ reason: 'too-large', limit: 64 });
  });

  it('reads the seed limit from QUANTA_MAX_SEED_MB (512 MB by default)', async () => {
    const mesh = await helloCopy();
    expect(new NodeFileSystem(mesh).maxFileBytes).toBe(512 * 1024 * 1024);
    const previous = process.env['QUANTA_MAX_SEED_MB'];
    process.env['QUANTA_MAX_SEED_MB'] = '2048';
    try {
      expect(new NodeFileSystem(mesh).maxFileBytes).toBe(2048 * 1024 * 1024);
    } finally {
      if (previous === undefined) delete process.env['QUANTA_MAX_SEED_MB'];
      else process.env['QUANTA_MAX_SEED_MB'] = previous;
    }
  });

  it('gives up a read that takes longer than the time limit (MeshReadError timeout → QUANTA_E055)', async () => {
    const mesh = await helloCopy();
    const seed = nodePath.join(mesh, `${ORDERS}/data/orders.csv`);
    const handle = await fsp.open(seed, 'a');
    await handle.truncate(256 * 1024 * 1024); // sparse: reading 256 MB takes far longer than 1 ms
    await handle.close();
    const fs = new NodeFileSystem(mesh, { timeoutMs: 1 });
    await expect(fs.readFile(`${ORDERS}/data/orders.csv`)).rejects.toMatchObject({ reason: 'timeout', limit: 1 });
    const error = await fs.readFile(`${ORDERS}/data/orders.csv`).catch((e: unknown) => e);
    expect(readFailure(`${ORDERS}/data/orders.csv`, error).code).toBe('QUANTA_E055');
  });

  it('refuses a YAML file over 5 MB with QUANTA_E006 without reading it whole', async () => {
    const mesh = await helloCopy();
    const path = nodePath.join(mesh, 'mesh.yaml');
    const handle = await fsp.open(path, 'a');
    await handle.truncate(6 * 1024 * 1024); // sparse: 6 MB of nothing, cheap to create
    await handle.close();
    const { diagnostics } = await loadMesh(new NodeFileSystem(mesh));
    expect(errors(diagnostics)).toEqual([{ code: 'QUANTA_E006', file: 'mesh.yaml', line: 1, column: 1 }]);
  });
});
