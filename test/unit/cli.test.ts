import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SAMPLES_DIR, sampleNames, tempDir } from '../helpers.ts';
import { quanta, type CliResult } from '../support/quantaCli.ts';

const samples = await sampleNames();

const cli = (...args: string[]): Promise<CliResult> => quanta(args);

async function brokenCopy(): Promise<string> {
  const dir = await tempDir('cli');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const product = nodePath.join(dir, 'domains/finance/daily-revenue/product.odps.yaml');
  await fsp.writeFile(
    product,
    (await fsp.readFile(product, 'utf8')).replace('contractId: hello.sales.orders', 'contractId: hello.sales.order'),
  );
  return dir;
}

describe('quanta validate', () => {
  it.each(samples)('exits 0 and says %s is valid', async (name) => {
    const result = await cli('validate', `sample-meshes/${name}`);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`✓ ${name} is valid`));
  });

  it('exits 1 and prints file:line:col code message for each error', async () => {
    const dir = await brokenCopy();
    const result = await cli('validate', dir);
    expect(result.code).toBe(1);
    const relative = nodePath.relative(REPO, nodePath.join(dir, 'domains/finance/daily-revenue/product.odps.yaml'));
    expect(result.out).toContain(
      `${relative}:15:17 QUANTA_E021 error: input port "orders" of daily-revenue reads contract "hello.sales.order"`,
    );
    expect(result.out).toMatch(/✗ hello-mesh: 1 error, 0 warnings/);
  });

  it('prints one JSON object with --json', async () => {
    const result = await cli('validate', await brokenCopy(), '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as {
      valid: boolean;
      errors: number;
      diagnostics: { code: string; line: number; column: number }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors).toBe(1);
    expect(report.diagnostics[0]).toMatchObject({ code: 'QUANTA_E021', line: 15, column: 17 });
  });

  it('explains a folder that is not a mesh, and a wrong command line', async () => {
    const empty = await tempDir('empty');
    const notMesh = await cli('validate', empty);
    expect(notMesh.code).toBe(1);
    expect(notMesh.out).toContain('mesh.yaml:1:1 QUANTA_E005');
    const missing = await cli('validate', 'no/such/folder');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('"no/such/folder" is not a folder');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    expect((await cli('validate', 'sample-meshes/hello-mesh', '--nope')).code).toBe(2);
  });

  it("answers `quanta <command> --help` with that command's usage, running nothing (no host exists here)", async () => {
    for (const [command, line] of [
      ['run', 'quanta run <mesh-dir>'],
      ['check', 'quanta check <mesh-dir>'],
      ['discover', 'quanta discover <mesh-dir>'],
    ] as const) {
      const help = await cli(command, 'sample-meshes/hello-mesh', '--help');
      expect({ command, code: help.code, err: help.err }).toEqual({ command, code: 0, err: '' });
      expect(help.out).toContain(line);
      expect(help.out).not.toContain('quanta lineage');
    }
    expect((await cli('validate', '-h')).out).toContain('quanta validate <mesh-dir>');
  });
});

describe('quanta lineage', () => {
  it('prints products grouped by domain with their edges', async () => {
    const result = await cli('lineage', 'sample-meshes/hello-mesh');
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'Finance (finance)\n  daily-revenue  [consumer-aligned]\n    ← orders.orders as orders  (hello.sales.orders 1.0.0)',
    );
    expect(result.out).toContain('Run order: orders, daily-revenue');
  });

  it.each(['mermaid', 'dot'])('prints %s', async (format) => {
    const result = await cli('lineage', 'sample-meshes/hello-mesh', '--format', format);
    expect(result.code).toBe(0);
    expect(result.out).toContain(format === 'mermaid' ? 'p_orders -->|"orders 1.0.0"| p_daily_revenue' : '"orders" -> "daily-revenue"');
  });

  it('refuses an unknown format', async () => {
    const result = await cli('lineage', 'sample-meshes/hello-mesh', '--format', 'svg');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--format must be one of text, mermaid, dot');
  });
});

describe('the quanta executable', () => {
  it('runs from the package bin with no build step', () => {
    const result = spawnSync(process.execPath, ['bin/quanta.mjs', 'validate', 'sample-meshes/hello-mesh'], { cwd: REPO, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('✓ hello-mesh is valid');
  });
});
