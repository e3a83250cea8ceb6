import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/buildCli.mjs';
import { REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The CLI as a package (issue 15): `npm pack` gives a tarball of prebuilt JavaScript that
 * installs into an empty folder, where `npx quanta` validates and runs a mesh with no
 * TypeScript loader anywhere — not in the folder, and not found from it.
 */
let app: string;
let packed: { readonly files: readonly string[]; readonly size: number };

function sh(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    // The installed CLI must not borrow anything from the checkout: no NODE_OPTIONS loader, no path to its modules.
    env: { ...process.env, NODE_OPTIONS: '', NODE_PATH: '', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  // Packed from a staging copy of what the package ships, with a bundle built for it, so the
  // checkout's own dist/cli (which other tests spawn) is never rewritten under them.
  const stage = await tempDir('quanta-stage');
  for (const file of ['package.json', 'README.md', 'LICENSE', 'NOTICE', 'bin/quanta.mjs'])
    await fsp.cp(nodePath.join(REPO, file), nodePath.join(stage, file), { recursive: true });
  await buildCli(nodePath.join(stage, 'dist', 'cli'));
  const out = await tempDir('quanta-pack');
  const [report] = JSON.parse(ok(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], stage))) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  if (!report) throw new Error('npm pack reported no tarball');
  packed = { files: report.files.map((f) => f.path), size: report.size };
  // An empty folder outside the checkout, so nothing resolves into the repository's node_modules.
  app = await tempDir('quanta-installed');
  await fsp.writeFile(nodePath.join(app, 'package.json'), '{ "name": "a-mesh-repository", "private": true }\n');
  ok(sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', nodePath.join(out, report.filename)], app));
}, 300_000);

describe('the packed quanta CLI', () => {
  it('ships prebuilt JavaScript only: the CLI, its worker and the launcher, no TypeScript sources', () => {
    expect(packed.files).toEqual(expect.arrayContaining(['bin/quanta.mjs', 'dist/cli/quanta.mjs', 'dist/cli/quantum.worker.mjs']));
    expect(packed.files.filter((path) => /\.tsx?$/.test(path))).toEqual([]);
  });

  it('installs without a TypeScript loader or compiler', () => {
    for (const name of ['tsx', 'typescript', 'esbuild', 'react', 'vite'])
      expect(existsSync(nodePath.join(app, 'node_modules', name))).toBe(false);
    expect(existsSync(nodePath.join(app, 'node_modules', 'quanta', 'core'))).toBe(false);
  });

  it('validates a mesh with npx quanta validate', () => {
    const result = sh('npx', ['--no', 'quanta', 'validate', nodePath.join(SAMPLES_DIR, 'hello-mesh')], app);
    expect(result.stderr).not.toMatch(/tsx|ERR_/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hello-mesh is valid');
  });

  it('runs a mesh in its quanta with npx quanta run, every product published', () => {
    const result = sh('npx', ['--no', 'quanta', 'run', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--json'], app);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { products: { id: string; status: string; rows: number }[] };
    expect(report.products.map((p) => [p.id, p.status])).toEqual([
      ['daily-revenue', 'published'],
      ['orders', 'published'],
    ]);
  });

  it('says which version it is, read from the installed package', () => {
    const result = sh('npx', ['--no', 'quanta', 'version'], app);
    expect(result.stdout.trim()).toMatch(/^quanta \d+\.\d+\.\d+/);
  });

  it("runs docs/ci's check job: a pull request that removes a column a consumer reads fails with a JUnit report naming it", async () => {
    // The mesh repository: hello-mesh committed on main, then a change that drops orders.amount_eur.
    const git = (...args: string[]): string => ok(sh('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.org', ...args], app));
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), nodePath.join(app, 'mesh'), { recursive: true });
    git('init', '--quiet', '--initial-branch=main');
    git('add', 'mesh', 'package.json');
    git('commit', '--quiet', '-m', 'hello-mesh');
    const script = nodePath.join(REPO, 'docs', 'ci', 'check-mesh.sh');

    const clean = sh('sh', [script, 'mesh', 'main', 'clean.xml'], app);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(await fsp.readFile(nodePath.join(app, 'clean.xml'), 'utf8')).not.toContain('<failure');

    const contract = nodePath.join(app, 'mesh', 'domains', 'sales', 'orders', 'orders.odcs.yaml');
    const text = await fsp.readFile(contract, 'utf8');
    const dropped = text.replace(/ {6}- name: amount_eur\n[\s\S]*?severity: error\n/, '');
    expect(dropped).not.toContain('amount_eur');
    await fsp.writeFile(contract, dropped);
    const broken = sh('sh', [script, 'mesh', 'main', 'broken.xml'], app);
    expect(broken.status, broken.stdout + broken.stderr).toBe(1);
    const junit = await fsp.readFile(nodePath.join(app, 'broken.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites?[\s>]/);
    expect(junit).toContain('<failure');
    expect(junit).toContain('daily-revenue');
    expect(junit).toContain('amount_eur');
    // The base worktree is gone again.
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
