import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_MARKER } from '../../core/node/commands/docs.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { loadSample, REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';
import { quantaWithHosts } from '../support/quantaCli.ts';

function loadMeshAt(dir: string): ReturnType<typeof loadMesh> {
  return loadMesh(new NodeFileSystem(dir));
}

/** Whitespace as a browser reads it, so assertions do not depend on how the HTML is laid out. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ >/g, '>').replace(/> </g, '><');
}

/*
 * `quanta docs` as a user calls it (issue 16): the site of daff, hello-mesh and retail written
 * to a temp folder, then crawled like a browser would — every href and src of every page must
 * name a file of the site (and an anchor on it), and nothing may point at the network. A mesh
 * whose names carry markup must show it as text. In-process quanta keep the runs quick.
 */

const { cli, dispose } = quantaWithHosts();
afterAll(dispose);

async function siteFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await fsp.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = nodePath.relative(dir, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join('/');
    files.set(path, await fsp.readFile(nodePath.join(dir, path), 'utf8'));
  }
  return files;
}

/** Every href/src of every page that does not lead to a file of the site or to an id on it. */
function brokenLinks(files: ReadonlyMap<string, string>): string[] {
  const broken: string[] = [];
  for (const [page, text] of files) {
    if (!page.endsWith('.html')) continue;
    for (const match of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const link = (match[1] ?? '').replace(/&amp;/g, '&');
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? page : nodePath.posix.normalize(nodePath.posix.join(nodePath.posix.dirname(page), path));
      const body = files.get(target);
      if (body === undefined) broken.push(`${page} → ${link} (no file)`);
      else if (anchor !== undefined && anchor !== '' && !body.includes(` id="${anchor}"`)) broken.push(`${page} → ${link} (no anchor)`);
    }
  }
  return broken;
}

const sites = new Map<string, { dir: string; files: Map<string, string>; out: string }>();

beforeAll(async () => {
  for (const [sample, run] of [
    ['daff', true],
    ['hello-mesh', true],
    ['retail', false],
  ] as const) {
    const dir = nodePath.join(await tempDir(`docs-${sample}`), 'site');
    const result = await cli('docs', nodePath.join(SAMPLES_DIR, sample), '--out', dir, ...(run ? [] : ['--no-run']), '--pool', '1');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    sites.set(sample, { dir, files: await siteFiles(dir), out: result.out });
  }
}, 240_000);

function site(sample: string): { dir: string; files: Map<string, string>; out: string } {
  const found = sites.get(sample);
  if (!found) throw new Error(`no site for ${sample}`);
  return found;
}

describe('quanta docs', () => {
  it.each(['daff', 'hello-mesh', 'retail'])(
    'writes a page for every product and every domain of %s, and an index and a lineage page',
    async (sample) => {
      const { mesh } = await loadSample(sample);
      const { files, out } = site(sample);
      for (const p of mesh.products) expect(files.has(`product-${p.id}.html`), p.id).toBe(true);
      for (const d of mesh.domains) expect(files.has(`domain-${d.id}.html`), d.id).toBe(true);
      expect(files.has('index.html')).toBe(true);
      expect(files.has('lineage.html')).toBe(true);
      const pages = [...files.keys()].filter((f) => f.endsWith('.html'));
      expect(pages).toHaveLength(mesh.products.length + mesh.domains.length + 2);
      expect(out).toMatch(new RegExp(`^wrote ${pages.length} pages to .*index\\.html\\n$`));
      // Every product is a card of the index, linking to its page.
      for (const p of mesh.products) expect(files.get('index.html')).toContain(`href="product-${p.id}.html"`);
    },
  );

  it.each(['daff', 'hello-mesh', 'retail'])('has no broken link or anchor anywhere in the site of %s', (sample) => {
    expect(brokenLinks(site(sample).files)).toEqual([]);
  });

  it.each(['daff', 'hello-mesh', 'retail'])('points at nothing on the network and forbids inline scripts in %s', (sample) => {
    for (const [name, text] of site(sample).files) {
      // MiniSearch's own build is copied unchanged; its comments cite web pages, which it never loads.
      if (name === 'assets/minisearch.js' || name.endsWith('.txt')) continue;
      expect(text, name).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
      expect(text, name).not.toMatch(/\bfetch\(|XMLHttpRequest|@import/);
    }
    for (const [name, text] of site(sample).files) {
      if (!name.endsWith('.html')) continue;
      expect(flat(text).replace(/&#39;/g, "'"), name).toMatch(
        /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:" ?\/?>/,
      );
      // Scripts come from files of the site only, and no element carries a handler or a style.
      expect(text.match(/<script(?![^>]*\ssrc="assets\/[a-z-]+\.js")/g), name).toBeNull();
      expect(text, name).not.toMatch(/\son[a-z]+=|\sstyle="/i);
    }
  });

  it('copies MiniSearch’s browser build unchanged, with its license', async () => {
    const { files } = site('daff');
    const umd = await fsp.readFile(nodePath.join(REPO, 'node_modules/minisearch/dist/umd/index.js'), 'utf8');
    expect(files.get('assets/minisearch.js')).toBe(umd);
    expect(files.get('assets/minisearch.LICENSE.txt')).toMatch(/Copyright .* Luca Ongaro[\s\S]*Permission is hereby granted/);
    expect(files.get('assets/search-data.js')).toMatch(/^window\.QUANTA_DOCS = \{"index":/);
  });

  it('shows what the run measured on daff: check results, freshness, versions and masked sample rows', () => {
    const page = flat(site('daff').files.get('product-listener-registrations.html') ?? '');
    expect(page).toContain('chip-good">passed</span>');
    expect(page).toMatch(/<td>latency<\/td><td>[^<]+<\/td><td>\d+[smhd][^<]*<span class="chip chip-good">met<\/span>/);
    expect(page).toMatch(/<h4>Versions<\/h4>\s*<div class="table-wrap"><table><thead><tr><th scope="col">Version<\/th>/);
    // listener-registrations holds personal data: a reader with no purposes sees it masked.
    expect(page).toMatch(/As a reader with no purposes sees it: [a-z_, ]+ masked\./);
    expect(page).toContain('***');
    // A port granted per request shows no sample, and says whom to ask.
    const royalties = flat(site('daff').files.get('product-artist-royalties.html') ?? '');
    expect(royalties).toMatch(/No sample rows: contract daff\.finance\.artist-royalties\.artist_royalties is granted per request .*: ask /);
    expect(royalties).not.toContain('quanta-docs-reader');
  });

  it('says a site made with --no-run has no run facts', () => {
    const page = flat(site('retail').files.get('index.html') ?? '');
    expect(page).toContain('without a run');
    expect(page).not.toMatch(/chip-(?:good|bad)">(?:checks \d|\d+ failing)/);
    expect(flat(site('retail').files.get('product-online-orders.html') ?? '')).toContain('No run: sample rows appear');
  });

  it('flags a possible duplicate on the page of the less used product, with the shared columns as it names them', () => {
    const page = flat(site('retail').files.get('product-store-orders.html') ?? '');
    expect(page).toMatch(
      /<h2 id="similar-h">Possible duplicates<\/h2>.*<a href="product-online-orders.html">Online orders<\/a>.*unit_price_eur/,
    );
  });
});

describe('quanta docs on a hostile mesh', () => {
  it('renders markup in names, descriptions and column names as text', async () => {
    const mesh = await tempDir('docs-hostile');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
    const odps = nodePath.join(mesh, 'domains/sales/orders/product.odps.yaml');
    await fsp.writeFile(
      odps,
      (await fsp.readFile(odps, 'utf8'))
        .replace('name: Orders', `name: "<script>alert('name')</script>"`)
        .replace(/purpose: .*/, `purpose: '"><img src=x onerror=alert(1)> Every order'`),
    );
    const odcs = nodePath.join(mesh, 'domains/sales/orders/orders.odcs.yaml');
    await fsp.writeFile(
      odcs,
      (await fsp.readFile(odcs, 'utf8')).replace('- name: customer_email', '- name: "<b onmouseover=alert(2)>email"'),
    );
    const out = nodePath.join(await tempDir('docs-hostile-out'), 'site');
    const result = await cli('docs', mesh, '--out', out, '--no-run');
    expect(result.code).toBe(0);
    expect((await loadMeshAt(mesh)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = await siteFiles(out);
    const all = [...files].filter(([name]) => name !== 'assets/minisearch.js');
    for (const [name, text] of all) {
      expect(text, name).not.toContain("<script>alert('name')");
      expect(text, name).not.toContain('<img src=x');
      expect(text, name).not.toContain('<b onmouseover');
    }
    expect(files.get('product-orders.html')).toContain('&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;');
    expect(files.get('product-orders.html')).toContain('&lt;b onmouseover=alert(2)&gt;email');
    expect(files.get('index.html')).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(brokenLinks(files)).toEqual([]);
  });
});

describe('quanta docs on a mesh with errors', () => {
  it('documents what loaded without running it, and says why on stderr', async () => {
    const mesh = await tempDir('docs-broken');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
    const odps = nodePath.join(mesh, 'domains/finance/daily-revenue/product.odps.yaml');
    await fsp.writeFile(
      odps,
      (await fsp.readFile(odps, 'utf8')).replace('contractId: hello.sales.orders', 'contractId: hello.sales.nothing'),
    );
    const out = nodePath.join(await tempDir('docs-broken-out'), 'site');
    const result = await cli('docs', mesh, '--out', out);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/^1 error in this mesh: documenting its files without running it/);
    const files = await siteFiles(out);
    expect(flat(files.get('product-daily-revenue.html') ?? '')).toContain('no product publishes it');
    expect(flat(files.get('index.html') ?? '')).toContain('without a run');
    expect(brokenLinks(files)).toEqual([]);
  });
});

describe('quanta docs after a run with a refused publish', () => {
  it('says so on stderr, and the product page shows the failing rule with what was measured', async () => {
    const mesh = await tempDir('docs-refused');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
    const contract = nodePath.join(mesh, 'domains/sales/orders/orders.odcs.yaml');
    await fsp.writeFile(contract, (await fsp.readFile(contract, 'utf8')).replace('mustBeGreaterThan: 0', 'mustBeGreaterThan: 1000'));
    const out = nodePath.join(await tempDir('docs-refused-out'), 'site');
    const result = await cli('docs', mesh, '--out', out, '--pool', '1');
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/^note: .*orders.* refused or failed in the run; their pages show what the run found\n$/);
    const page = flat(await fsp.readFile(nodePath.join(out, 'product-orders.html'), 'utf8'));
    expect(page).toMatch(
      /<td>orders: at least 1,001 rows<\/td><td>error<\/td><td><span class="chip chip-bad">failed<\/span> ?<span class="muted small">measured 120, mustBeGreaterThan 1000<\/span>/,
    );
  }, 120_000);
});

describe('quanta docs --out', () => {
  it('refuses a folder that is not empty and not a site it wrote, and writes nothing there', async () => {
    const out = await tempDir('docs-busy');
    await fsp.writeFile(nodePath.join(out, 'notes.txt'), 'mine');
    const result = await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--out', out, '--no-run');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/is not empty and was not written by quanta docs \(no \.quanta-docs\.json\)/);
    expect(await fsp.readdir(out)).toEqual(['notes.txt']);
  });

  it('rewrites a site it wrote before: its own stale pages go, files it did not write stay', async () => {
    const out = nodePath.join(await tempDir('docs-again'), 'site');
    expect((await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--out', out, '--no-run')).code).toBe(0);
    const marker = JSON.parse(await fsp.readFile(nodePath.join(out, DOCS_MARKER), 'utf8')) as { files: string[] };
    await fsp.writeFile(nodePath.join(out, 'product-gone.html'), 'stale');
    await fsp.writeFile(
      nodePath.join(out, DOCS_MARKER),
      JSON.stringify({ generator: 'quanta docs', files: [...marker.files, 'product-gone.html', '../outside.txt'] }),
    );
    await fsp.writeFile(nodePath.join(out, 'README.txt'), 'added by a person');
    await fsp.writeFile(nodePath.join(out, '..', 'outside.txt'), 'never touched');
    const again = await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--out', out, '--no-run');
    expect(again.code).toBe(0);
    const names = await fsp.readdir(out);
    expect(names).not.toContain('product-gone.html');
    expect(names).toContain('README.txt');
    expect(names).toContain('product-orders.html');
    expect(await fsp.readFile(nodePath.join(out, '..', 'outside.txt'), 'utf8')).toBe('never touched');
  });

  it('does not write through a link in a site it wrote before', async () => {
    const out = nodePath.join(await tempDir('docs-link'), 'site');
    expect((await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--out', out, '--no-run')).code).toBe(0);
    const elsewhere = await tempDir('docs-elsewhere');
    await fsp.rm(nodePath.join(out, 'assets'), { recursive: true });
    await fsp.symlink(elsewhere, nodePath.join(out, 'assets'));
    const result = await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'), '--out', out, '--no-run');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/assets is not a folder \(a link or a file\); remove it first/);
    expect(await fsp.readdir(elsewhere)).toEqual([]);
  });

  it('will not write the site over the mesh folder', async () => {
    const mesh = await tempDir('docs-self');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
    await fsp.writeFile(nodePath.join(mesh, DOCS_MARKER), JSON.stringify({ files: [] }));
    const result = await cli('docs', mesh, '--out', mesh, '--no-run');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/is the mesh folder or holds it/);
  });

  it('needs --out', async () => {
    const result = await cli('docs', nodePath.join(SAMPLES_DIR, 'hello-mesh'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--out <dir>/);
  });
});
