import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../core/diagnostics/codes.ts';
import { meshFileProblem } from '../../electron/meshFilePaths.ts';
import { addFeedback, feedbackPath } from '../../core/edits/feedbackEdits.ts';
import { recordUsage } from '../../core/edits/usageEdits.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { EditError } from '../../core/model/editError.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { planSave } from '../../core/save/savePlan.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * Feedback and usage files (docs/discovery.md) over a copy of hello-mesh (products orders and
 * daily-revenue; teams sales-team and finance-team; personas finance-analyst and newcomer):
 * each bad file gives its diagnostic at its place and the rest of the mesh still loads; a
 * load → save writes them back byte for byte; addFeedback appends and keeps every old byte.
 */

const { files: hello } = await sampleInMemory('hello-mesh');

async function load(extra: Record<string, string>): ReturnType<typeof loadMesh> {
  return loadMesh(new MemoryFileSystem({ ...hello, ...extra }));
}

/** 1-based line and column of the `offset`-th character of `needle` in `text`. */
function at(text: string, needle: string, offset = 0): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

const feedback = (entries: string, product = 'daily-revenue'): string =>
  `apiVersion: quanta/v1\nkind: Feedback\nproduct: ${product}\nentries:\n${entries}`;
const usage = (ports: string, ticks = '30', product = 'orders'): string =>
  `apiVersion: quanta/v1\nkind: Usage\nproduct: ${product}\nperiod: { from: 2026-11-01, to: 2026-11-30 }\nticks: ${ticks}\nports:\n${ports}`;

interface BadCase {
  readonly name: string;
  readonly path: string;
  readonly text: string;
  readonly code: DiagnosticCode;
  /** Where the diagnostic points: the needle in the text and the offset into it. */
  readonly needle: string;
  readonly offset?: number;
  readonly message: RegExp;
}

const good = '  - team: finance-team\n    rating: 4\n    date: 2026-11-20\n';
const cases: readonly BadCase[] = [
  {
    name: 'a rating above 5',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback(`${good}  - team: sales-team\n    rating: 7\n    date: 2026-11-21\n`),
    code: 'QUANTA_E093',
    needle: 'rating: 7',
    offset: 8,
    message: /rating 7 in feedback entry 2 .* not a whole number from 1 to 5/,
  },
  {
    name: 'a rating that is not whole',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    rating: 3.5\n    date: 2026-11-21\n'),
    code: 'QUANTA_E093',
    needle: 'rating: 3.5',
    offset: 8,
    message: /rating 3\.5 in feedback entry 1/,
  },
  {
    name: 'a rating of 0',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    rating: 0\n    date: 2026-11-21\n'),
    code: 'QUANTA_E093',
    needle: 'rating: 0',
    offset: 8,
    message: /rating 0/,
  },
  {
    name: 'a rating written as text',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    rating: "5"\n    date: 2026-11-21\n'),
    code: 'QUANTA_E011',
    needle: 'rating: "5"',
    offset: 8,
    message: /must be a number, found a string/,
  },
  {
    name: 'an unknown product',
    path: 'feedback/daily-revenu.feedback.yaml',
    text: feedback(good, 'daily-revenu'),
    code: 'QUANTA_W090',
    needle: 'product: daily-revenu',
    offset: 9,
    message: /product "daily-revenu", which this mesh does not have/,
  },
  {
    name: 'an unknown team',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: marketing\n    rating: 4\n    date: 2026-11-20\n'),
    code: 'QUANTA_E091',
    needle: 'team: marketing',
    offset: 6,
    message: /team "marketing", which mesh.yaml does not declare/,
  },
  {
    name: 'an unknown persona',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - persona: auditor\n    rating: 4\n    date: 2026-11-20\n'),
    code: 'QUANTA_E091',
    needle: 'persona: auditor',
    offset: 9,
    message: /persona "auditor"/,
  },
  {
    name: 'a port that is not an output port',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    port: orders\n    rating: 4\n    date: 2026-11-20\n'),
    code: 'QUANTA_E092',
    needle: 'port: orders',
    offset: 6,
    message: /"orders" is not an output port of daily-revenue \(its output ports: daily_revenue\)/,
  },
  {
    name: 'a date that is not a day',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    rating: 4\n    date: 2026-02-30\n'),
    code: 'QUANTA_E094',
    needle: 'date: 2026-02-30',
    offset: 6,
    message: /"2026-02-30" .* not a YYYY-MM-DD calendar day/,
  },
  {
    name: 'both team and persona',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: sales-team\n    persona: newcomer\n    rating: 4\n    date: 2026-11-20\n'),
    code: 'QUANTA_E096',
    needle: 'persona: newcomer',
    message: /has both team and persona/,
  },
  {
    name: 'neither team nor persona',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - rating: 4\n    date: 2026-11-20\n'),
    code: 'QUANTA_E096',
    needle: 'rating: 4',
    message: /has neither team nor persona/,
  },
  {
    name: 'bad YAML',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback('  - team: [sales-team\n    rating: 4\n'),
    code: 'QUANTA_E001',
    needle: '[sales-team',
    message: /./,
  },
  {
    name: 'the wrong kind',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback(good).replace('kind: Feedback', 'kind: Usage'),
    code: 'QUANTA_E012',
    needle: 'kind: Usage',
    offset: 6,
    message: /"kind" is "Usage", which is not allowed/,
  },
  {
    name: 'a file not named after its product',
    path: 'feedback/revenue.feedback.yaml',
    text: feedback(good),
    code: 'QUANTA_E097',
    needle: 'product: daily-revenue',
    offset: 9,
    message: /must be named feedback\/daily-revenue.feedback.yaml/,
  },
  {
    name: 'a comment over 2000 characters',
    path: 'feedback/daily-revenue.feedback.yaml',
    text: feedback(`  - team: sales-team\n    rating: 4\n    comment: ${'x'.repeat(2001)}\n    date: 2026-11-20\n`),
    code: 'QUANTA_E013',
    needle: 'comment: x',
    offset: 9,
    message: /comment/,
  },
  {
    name: 'negative reads',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: -4\n'),
    code: 'QUANTA_E095',
    needle: 'reads: -4',
    offset: 7,
    message: /reads of port "orders" .* is -4; it must be a whole number from 0/,
  },
  {
    name: 'infinite reads',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: .inf\n'),
    code: 'QUANTA_E095',
    needle: 'reads: .inf',
    offset: 7,
    message: /is Infinity/,
  },
  {
    name: 'zero ticks',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: 4\n', '0'),
    code: 'QUANTA_E095',
    needle: 'ticks: 0',
    offset: 7,
    message: /ticks 0 .* from 1 to/,
  },
  {
    name: 'a port counted twice',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: 4\n  - port: orders\n    reads: 5\n'),
    code: 'QUANTA_E098',
    needle: 'port: orders\n    reads: 5',
    offset: 6,
    message: /port "orders" is listed twice/,
  },
  {
    name: 'usage of a port that is not an output port',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: order\n    reads: 4\n'),
    code: 'QUANTA_E092',
    needle: 'port: order\n',
    offset: 6,
    message: /"order" is not an output port of orders/,
  },
  {
    name: 'queries by an unknown persona',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: 4\n    queries: { auditor: 3 }\n'),
    code: 'QUANTA_E091',
    needle: 'auditor: 3',
    offset: 9,
    message: /queries by persona "auditor"/,
  },
  {
    name: 'a period that ends before it starts',
    path: 'usage/orders.usage.yaml',
    text: usage('  - port: orders\n    reads: 4\n').replace('to: 2026-11-30', 'to: 2026-10-30'),
    code: 'QUANTA_E094',
    needle: '2026-10-30',
    message: /ends \(2026-10-30\) before it starts \(2026-11-01\)/,
  },
];

describe('feedback and usage files: the bad-input corpus', () => {
  it.each(cases)('reports $name ($code) at its place, and the mesh still loads', async (bad) => {
    const { mesh, diagnostics } = await load({ [bad.path]: bad.text });
    const found = diagnostics.filter((d) => d.file === bad.path);
    expect(found.map((d) => d.code)).toContain(bad.code);
    const problem = found.find((d) => d.code === bad.code);
    expect({ line: problem?.line, column: problem?.column }).toEqual(at(bad.text, bad.needle, bad.offset ?? 0));
    expect(problem?.message).toMatch(bad.message);
    // Nothing else of the mesh is reported, and its products are all there.
    expect(diagnostics.filter((d) => d.file !== bad.path)).toEqual([]);
    expect(mesh.products.map((p) => p.id).sort()).toEqual(['daily-revenue', 'orders']);
  });

  it('leaves an entry with an unusable value out of the model and keeps the good ones', async () => {
    const text = feedback(
      `${good}  - team: sales-team\n    rating: 9\n    date: 2026-11-21\n  - persona: newcomer\n    rating: 2\n    date: 2026-11-22\n`,
    );
    const { mesh } = await load({ 'feedback/daily-revenue.feedback.yaml': text });
    expect(mesh.feedback).toEqual([
      {
        file: 'feedback/daily-revenue.feedback.yaml',
        product: 'daily-revenue',
        entries: [
          { team: 'finance-team', rating: 4, date: '2026-11-20', index: 0 },
          { persona: 'newcomer', rating: 2, date: '2026-11-22', index: 2 },
        ],
      },
    ]);
  });

  it('loads a mesh without feedback or usage folders with empty lists', async () => {
    const { mesh, diagnostics } = await load({});
    expect(diagnostics).toEqual([]);
    expect(mesh.feedback).toEqual([]);
    expect(mesh.usage).toEqual([]);
  });

  it('reads a usage file into counts per port', async () => {
    const { mesh, diagnostics } = await load({
      'usage/orders.usage.yaml': usage('  - port: orders\n    reads: 240\n    queries: { finance-analyst: 12, newcomer: 3 }\n'),
    });
    expect(diagnostics).toEqual([]);
    expect(mesh.usage).toEqual([
      {
        file: 'usage/orders.usage.yaml',
        product: 'orders',
        ticks: 30,
        period: { from: '2026-11-01', to: '2026-11-30' },
        ports: [{ port: 'orders', reads: 240, queries: { 'finance-analyst': 12, newcomer: 3 } }],
      },
    ]);
  });

  it('warns about a YAML file in feedback/ that is not named *.feedback.yaml', async () => {
    const { diagnostics } = await load({ 'feedback/daily-revenue.yaml': feedback(good) });
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['QUANTA_W039', 'feedback/daily-revenue.yaml']]);
  });
});

const commented = `# Feedback on daily revenue.   Hand-written: odd spacing and comments stay.
apiVersion: quanta/v1
kind:    Feedback
product: 'daily-revenue'
entries:
    # the first rating
    - team: finance-team
      rating: 5   # great
      comment: >-
        Clear columns,
        late on Mondays
      date: 2026-11-20
# end of list`;

describe('feedback files: round trip and addFeedback', () => {
  it('writes every feedback and usage file back byte-identical after a load', async () => {
    const extra = {
      'feedback/daily-revenue.feedback.yaml': commented,
      'usage/orders.usage.yaml': `${usage('  - port: orders\n    reads: 240   # from the audit log\n')}\n\n`,
    };
    const { mesh } = await load(extra);
    const { writes } = planSave({ files: mesh.files, saved: new Map(), folderPaths: [], diagnostics: [] });
    for (const [path, text] of Object.entries(extra))
      expect(new TextDecoder().decode(writes.get(path) ?? new Uint8Array()), path).toBe(text);
  });

  const entry = {
    product: 'daily-revenue',
    persona: 'newcomer',
    rating: 2,
    comment: 'Where is "net"? Units: EUR\nor cents',
    date: '2026-12-01',
  } as const;

  it('appends an entry after the last byte of the file, keeping every byte before it', async () => {
    const { mesh } = await load({ 'feedback/daily-revenue.feedback.yaml': commented });
    const next = addFeedback(mesh.files, entry, mesh);
    const text = textOf(next, feedbackPath('daily-revenue'));
    expect(text.startsWith(`${commented}\n`)).toBe(true);
    expect(text.slice(commented.length)).toBe(
      '\n    - persona: newcomer\n      rating: 2\n      comment: "Where is \\"net\\"? Units: EUR\\nor cents"\n      date: 2026-12-01\n',
    );
    const rebuilt = buildMesh(next);
    expect(rebuilt.diagnostics).toEqual([]);
    expect(rebuilt.mesh.feedback[0]?.entries.map((e) => [e.rating, e.comment])).toEqual([
      [5, 'Clear columns, late on Mondays'],
      [2, 'Where is "net"? Units: EUR\nor cents'],
    ]);
    // Only the feedback file changed.
    for (const [path, file] of mesh.files) if (path !== feedbackPath('daily-revenue')) expect(next.get(path)).toBe(file);
  });

  it('creates the file when the product has none', async () => {
    const { mesh } = await load({});
    const next = addFeedback(mesh.files, { product: 'orders', team: 'finance-team', port: 'orders', rating: 4, date: '2026-12-01' }, mesh);
    const rebuilt = buildMesh(next);
    expect(rebuilt.diagnostics).toEqual([]);
    expect(rebuilt.mesh.feedback).toEqual([
      {
        file: 'feedback/orders.feedback.yaml',
        product: 'orders',
        entries: [{ team: 'finance-team', port: 'orders', rating: 4, date: '2026-12-01', index: 0 }],
      },
    ]);
  });

  it('adds to a file whose entries are not last, through the Document API, comments kept', async () => {
    const text = `# top comment\napiVersion: quanta/v1\nkind: Feedback\nentries: # the list\n  - team: sales-team\n    rating: 3\n    date: 2026-11-02\nproduct: daily-revenue\n`;
    const { mesh } = await load({ 'feedback/daily-revenue.feedback.yaml': text });
    const next = addFeedback(mesh.files, entry, mesh);
    const written = textOf(next, feedbackPath('daily-revenue'));
    expect(written).toContain('# top comment');
    expect(written).toContain('# the list');
    expect(buildMesh(next).mesh.feedback[0]?.entries.map((e) => e.rating)).toEqual([3, 2]);
  });

  it('turns an empty `entries: []` into a block list with the entry', async () => {
    const text = `kind: Feedback\nproduct: daily-revenue # rated by finance\nentries: []\n`;
    const { mesh } = await load({ 'feedback/daily-revenue.feedback.yaml': text });
    const next = addFeedback(mesh.files, { product: 'daily-revenue', team: 'finance-team', rating: 5, date: '2026-12-01' }, mesh);
    expect(textOf(next, feedbackPath('daily-revenue'))).toBe(
      'kind: Feedback\nproduct: daily-revenue # rated by finance\nentries:\n  - team: finance-team\n    rating: 5\n    date: 2026-12-01\n',
    );
  });

  it.each([
    ['an unknown product', { ...entry, product: 'nope' }, /no data product "nope"/],
    ['a rating of 6', { ...entry, rating: 6 }, /whole number from 1 to 5, not 6/],
    ['a rating of 4.5', { ...entry, rating: 4.5 }, /not 4.5/],
    ['a bad date', { ...entry, date: '2026-13-01' }, /calendar day/],
    ['an unknown persona', { ...entry, persona: 'auditor' }, /persona "auditor" is not declared/],
    ['both team and persona', { ...entry, team: 'sales-team' }, /exactly one team or one persona/],
    ['a port of another product', { ...entry, port: 'orders' }, /"orders" is not an output port of daily-revenue/],
    ['a comment too long', { ...entry, comment: 'x'.repeat(2001) }, /at most 2000 characters/],
  ])('refuses %s with an EditError', async (_name, bad, message) => {
    const { mesh } = await load({});
    expect(() => addFeedback(mesh.files, bad, mesh)).toThrow(EditError);
    expect(() => addFeedback(mesh.files, bad, mesh)).toThrow(message);
  });

  it('refuses to add to a file that does not parse rather than overwrite it', async () => {
    const { mesh } = await load({ 'feedback/daily-revenue.feedback.yaml': feedback('  - team: [x\n') });
    expect(() => addFeedback(mesh.files, entry, mesh)).toThrow(/cannot be read/);
  });
});

describe('usage files: recordUsage (quanta run --record-usage)', () => {
  it('adds reads and ticks to an existing file, keeping its comments and other ports', async () => {
    const text = usage('  - port: orders # the only port\n    reads: 240\n    queries: { newcomer: 3 }\n');
    const { mesh } = await load({ 'usage/orders.usage.yaml': text });
    const { files, changed } = recordUsage(mesh.files, [{ product: 'orders', port: 'orders', reads: 5 }], 2);
    expect(changed).toEqual(['usage/orders.usage.yaml']);
    const written = textOf(files, 'usage/orders.usage.yaml');
    expect(written).toContain('# the only port');
    const rebuilt = buildMesh(files);
    expect(rebuilt.diagnostics).toEqual([]);
    expect(rebuilt.mesh.usage[0]).toMatchObject({ ticks: 32, ports: [{ port: 'orders', reads: 245, queries: { newcomer: 3 } }] });
  });

  it('creates the file of a product that has none', async () => {
    const { mesh } = await load({});
    const { files } = recordUsage(mesh.files, [{ product: 'orders', port: 'orders', reads: 1 }], 1);
    const rebuilt = buildMesh(files);
    expect(rebuilt.diagnostics).toEqual([]);
    expect(rebuilt.mesh.usage).toEqual([
      { file: 'usage/orders.usage.yaml', product: 'orders', ticks: 1, ports: [{ port: 'orders', reads: 1, queries: {} }] },
    ]);
  });

  it('refuses a file it cannot read, and counts that would pass the largest exact whole number', async () => {
    const { mesh } = await load({ 'usage/orders.usage.yaml': 'kind: Usage\nticks: [1\n' });
    expect(() => recordUsage(mesh.files, [{ product: 'orders', port: 'orders', reads: 1 }], 1)).toThrow(/cannot be read/);
    const full = (await load({ 'usage/orders.usage.yaml': usage(`  - port: orders\n    reads: ${Number.MAX_SAFE_INTEGER}\n`) })).mesh;
    expect(() => recordUsage(full.files, [{ product: 'orders', port: 'orders', reads: 1 }], 1)).toThrow(EditError);
  });
});

describe('the desktop save channel', () => {
  it('writes feedback and usage files, and nothing else in their folders', () => {
    expect(meshFileProblem('feedback/orders.feedback.yaml', 'write')).toBeUndefined();
    expect(meshFileProblem('usage/orders.usage.yaml', 'write')).toBeUndefined();
    expect(meshFileProblem('feedback/orders.yaml', 'write')).toMatch(/not a file of the mesh format/);
    expect(meshFileProblem('usage/x/orders.usage.yaml', 'write')).toMatch(/not a file of the mesh format/);
    expect(meshFileProblem('feedback/.feedback.yaml', 'write')).toMatch(/hidden/);
  });
});

function textOf(files: MeshFiles, path: string): string {
  const file = files.get(path);
  return file?.text ?? '';
}
