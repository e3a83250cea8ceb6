import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { terminalSafe } from '../../core/node/cliText.ts';
import { sampleInMemory, SAMPLES_DIR, tempDir } from '../helpers.ts';
import { quanta, type CliResult } from '../support/quantaCli.ts';

/*
 * Hostile content (not files): what a stranger's mesh can say to crash, fool or hang Quanta.
 * Each case is hello-mesh with one file changed, and must give its own diagnostic.
 */
const PRODUCT = 'domains/finance/daily-revenue/product.odps.yaml';
const ORDERS_SETTINGS = 'domains/sales/orders/quanta.yaml';
const decoder = new TextDecoder();

async function helloWith(edit: (files: Record<string, string>) => void): Promise<Record<string, string>> {
  const { files } = await sampleInMemory('hello-mesh');
  const text: Record<string, string> = {};
  for (const [path, content] of Object.entries(files)) text[path] = typeof content === 'string' ? content : decoder.decode(content);
  edit(text);
  return text;
}

async function errorsOf(files: Record<string, string>): Promise<Pick<Diagnostic, 'code' | 'file' | 'line' | 'column' | 'message'>[]> {
  const { diagnostics } = await loadMesh(new MemoryFileSystem(files));
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column, message: d.message }));
}

const replace = (files: Record<string, string>, path: string, from: string | RegExp, to: string): void => {
  const before = files[path] ?? '';
  files[path] = before.replace(from, to);
  if (files[path] === before) throw new Error(`${from} not found in ${path}`);
};

const cli = (...args: string[]): Promise<CliResult> => quanta(args);

describe('circular and hostile YAML', () => {
  it('reports a recursive alias (kind: &k {self: *k}) as QUANTA_E050 at the alias instead of crashing', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'kind: DataProduct', 'kind: &k {self: *k}'));
    expect(await errorsOf(files)).toEqual([
      { code: 'QUANTA_E050', file: PRODUCT, line: 3, column: 17, message: expect.stringMatching(/\*k/) },
    ]);
  });

  it('reports an alias to an enclosing list as QUANTA_E050', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'status: active', 'status: active\ntags: &t [a, [b, *t]]'));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['QUANTA_E050']);
  });

  it('keeps an ordinary alias (a copy of an earlier node) working', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'status: active', 'status: &s active\ntags: [*s]'));
    expect(await errorsOf(files)).toEqual([]);
  });

  it('refuses nesting deeper than 64 levels with QUANTA_E051 where it goes too deep', async () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const files = await helloWith((f) => replace(f, PRODUCT, 'status: active', `status: active\ntags: ${deep}`));
    const errors = await errorsOf(files);
    expect(errors.map((e) => [e.code, e.file, e.line])).toEqual([['QUANTA_E051', PRODUCT, 8]]);
  });

  it('refuses a mapping key that is a list (? [a, b]) with QUANTA_E001, without a process warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const files = await helloWith((f) => replace(f, PRODUCT, 'status: active', 'status: active\ncustom:\n  ? [a, b]\n  : 1'));
      expect(await errorsOf(files)).toEqual([
        { code: 'QUANTA_E001', file: PRODUCT, line: 9, column: 5, message: expect.stringMatching(/key/) },
      ]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('reports an encoded UTF-16 surrogate (bytes ED A0 80) as QUANTA_E003 instead of throwing (found by the fuzz)', async () => {
    const { files } = await sampleInMemory('hello-mesh');
    const original = files[PRODUCT];
    const bytes = new Uint8Array([0xed, 0xa0, 0x80, 0x80, ...(original instanceof Uint8Array ? original : [])]);
    const { diagnostics } = await loadMesh(new MemoryFileSystem({ ...files, [PRODUCT]: bytes }));
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ['QUANTA_E003', PRODUCT, 1, 1],
    ]);
  });

  it('lets quanta validate and quanta run exit 1 with the diagnostic on a recursive alias, no stack trace', async () => {
    const dir = await tempDir('alias');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    const product = nodePath.join(dir, PRODUCT);
    await fsp.writeFile(product, (await fsp.readFile(product, 'utf8')).replace('kind: DataProduct', 'kind: &k {self: *k}'));
    const validate = await cli('validate', dir);
    expect(validate.code).toBe(1);
    expect(validate.out).toMatch(/QUANTA_E050/);
    const run = await cli('run', dir);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/QUANTA_E050/);
    expect(run.err).not.toMatch(/TypeError|at .*\.ts:\d+/);
  });
});

describe('ids and shown names', () => {
  it('refuses a product id that is a path (../../finance/daily-revenue) with QUANTA_E056 at the id', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'id: daily-revenue', 'id: ../../finance/daily-revenue'));
    const errors = await errorsOf(files);
    expect(errors).toContainEqual({
      code: 'QUANTA_E056',
      file: PRODUCT,
      line: 4,
      column: 5,
      message: expect.stringMatching(/path separator/),
    });
  });

  it('refuses a product id with a right-to-left override with QUANTA_E056', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'id: daily-revenue', 'id: "daily-\u202Eeunever"'));
    expect((await errorsOf(files)).map((e) => e.code)).toContain('QUANTA_E056');
  });

  it('refuses a product id that differs from its folder name with QUANTA_E026', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, 'id: daily-revenue', 'id: daily-income'));
    expect(await errorsOf(files)).toContainEqual({
      code: 'QUANTA_E026',
      file: PRODUCT,
      line: 4,
      column: 5,
      message: 'product id "daily-income" does not match its folder "daily-revenue"',
    });
  });

  it('refuses an output port name that is not an id with QUANTA_E056', async () => {
    const files = await helloWith((f) => replace(f, PRODUCT, '  - name: daily_revenue', '  - name: "../daily_revenue"'));
    expect((await errorsOf(files)).map((e) => e.code)).toContain('QUANTA_E056');
  });

  it('refuses a product name with terminal escapes or bidi overrides with QUANTA_E057 at the name', async () => {
    for (const name of ['"Daily \\e[31mrevenue"', '"Daily \u202Erevenue"']) {
      const files = await helloWith((f) => replace(f, PRODUCT, 'name: Daily revenue', `name: ${name}`));
      expect(await errorsOf(files)).toEqual([{ code: 'QUANTA_E057', file: PRODUCT, line: 5, column: 7, message: expect.any(String) }]);
    }
  });

  it('refuses a mesh title with a line break (it could forge a line of output) with QUANTA_E057', async () => {
    const files = await helloWith((f) =>
      replace(f, 'mesh.yaml', 'title: Hello, mesh', 'title: "Hello\\nsrc/x.yaml:1:1 QUANTA_E001 error: fake"'),
    );
    expect(await errorsOf(files)).toEqual([
      { code: 'QUANTA_E057', file: 'mesh.yaml', line: 5, column: 8, message: 'the mesh title contains a line break or tab' },
    ]);
  });

  it('refuses a team id longer than 64 characters (the schema follows the id pattern)', async () => {
    const long = `t${'x'.repeat(64)}`;
    const files = await helloWith((f) => replace(f, 'mesh.yaml', '- id: sales-team', `- id: ${long}`));
    expect((await errorsOf(files)).map((e) => e.code)).toContain('QUANTA_E013');
  });
});

describe('duration knobs', () => {
  it('refuses simulation.timeout of 2^31 ms or more (a timer that would fire at once) with QUANTA_E058', async () => {
    const files = await helloWith((f) => replace(f, ORDERS_SETTINGS, 'schedule:', 'simulation:\n  timeout: 2147483648ms\nschedule:'));
    expect(await errorsOf(files)).toEqual([
      {
        code: 'QUANTA_E058',
        file: ORDERS_SETTINGS,
        line: 9,
        column: 12,
        message: 'simulation.timeout is 2147483648ms, but it may be at most 24d',
      },
    ]);
  });

  it('accepts a timeout of 24 days, the longest a timer holds', async () => {
    const files = await helloWith((f) => replace(f, ORDERS_SETTINGS, 'schedule:', 'simulation:\n  timeout: 24d\nschedule:'));
    expect(await errorsOf(files)).toEqual([]);
  });

  it('refuses a schedule of 0 hours and one of more digits than a number holds', async () => {
    const zero = await helloWith((f) => replace(f, ORDERS_SETTINGS, 'every: 1d', 'every: 0h'));
    expect((await errorsOf(zero)).map((e) => e.code)).toEqual(['QUANTA_E058']);
    const huge = await helloWith((f) => replace(f, ORDERS_SETTINGS, 'every: 1d', 'every: 99999999999999999999d'));
    expect((await errorsOf(huge)).map((e) => e.code)).toEqual(['QUANTA_E058']);
  });
});

describe('generator reference cycles', () => {
  it('finds at validation a loop of generator references across products (QUANTA_E059) with its place', async () => {
    const generated = (other: string): string =>
      [
        'apiVersion: quanta/v1',
        'kind: QuantumSettings',
        'archetype: source-aligned',
        'sources:',
        '  - name: rows',
        '    generator:',
        '      rows: 3',
        '      seed: 1',
        '      columns:',
        '        - { name: id, type: sequence }',
        `        - { name: other_id, type: reference, references: ${other}/rows.id }`,
        '',
      ].join('\n');
    const files = await helloWith((f) => {
      f[ORDERS_SETTINGS] = generated('daily-revenue');
      f['domains/finance/daily-revenue/quanta.yaml'] = generated('orders');
    });
    const cycles = (await errorsOf(files)).filter((e) => e.code === 'QUANTA_E059');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatchObject({ file: ORDERS_SETTINGS, line: 11, column: 58 });
    expect(cycles[0]?.message).toMatch(/daily-revenue\/rows → orders\/rows → daily-revenue\/rows/);
  });
});

describe('terminal output', () => {
  it('strips escape sequences, C0/C1 controls and bidi overrides, keeping tab and newline', () => {
    expect(terminalSafe('a\u001B[31mred\u001B[0m\tb\nc')).toBe('ared\tb\nc');
    expect(terminalSafe('title\u001B]0;owned\u0007 ok')).toBe('title ok');
    expect(terminalSafe('x\u202Eevil\u2066y\u009B2Jz\u0007\r')).toBe('xevily' + 'z');
  });

  it('never prints a raw ESC from a mesh name: quanta lineage and validate strip it', async () => {
    const dir = await tempDir('escape');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    const product = nodePath.join(dir, PRODUCT);
    await fsp.writeFile(
      product,
      (await fsp.readFile(product, 'utf8')).replace('name: Daily revenue', 'name: "Daily \\e[2J\\e]0;pwned\\a revenue"'),
    );
    const manifest = nodePath.join(dir, 'mesh.yaml');
    await fsp.writeFile(manifest, (await fsp.readFile(manifest, 'utf8')).replace('title: Hello, mesh', 'title: "Hello \\e[31m\u202Emesh"'));
    for (const args of [
      ['lineage', dir],
      ['validate', dir],
      ['validate', dir, '--json'],
    ]) {
      const { out, err } = await cli(...args);
      for (const raw of ['\u001B', '\u009B', '\u202E', '\u0007']) expect(out + err).not.toContain(raw);
    }
  });
});
