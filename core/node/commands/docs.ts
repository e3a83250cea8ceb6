import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { quoteIdent } from '../../contracts/contractChecks.ts';
import type { ProductPageFacts, QualityResultFact, RunFacts } from '../../discovery/productPage.ts';
import { buildDocsSite, type PortSample } from '../../docs/site.ts';
import { queryAs, type PortUsage, type QueryTarget } from '../../governance/access/queryAs.ts';
import type { Mesh } from '../../model/types.ts';
import type { MeshRuntime } from '../../run/meshRuntime.ts';
import { formatSeconds } from '../../run/simTime.ts';
import { displayPath, plural } from '../cliText.ts';
import { tableJson } from './arrowTable.ts';
import { type Command, defaultPool, ENGINE_OPTION, engineOf, hostFor, parseOptions, UsageError, wholeNumber } from './command.ts';
import { GeneratedFolderError, previousFiles, writeGeneratedFolder } from '../generatedFolder.ts';
import { openMesh } from './openMesh.ts';
import { runMeshFor } from './runSession.ts';

/*
 * `quanta docs`: the mesh's documentation as a static site (core/docs/) written to a folder,
 * for teams who do not run Quanta. By default the mesh runs first, so pages show the latest
 * check results, measured freshness, published versions and a few sample rows masked as for a
 * reader with no purposes. The folder must be empty, new, or a site this command wrote before
 * (its marker file says which files are its own: only those are replaced).
 */

/** Written last: the site's own files, so the next run knows the folder and what it may replace. */
export const DOCS_MARKER = '.quanta-docs.json';
/** The marker's generator: a folder another generator wrote is not this site. */
const GENERATOR = 'quanta docs';
const SAMPLE_ROWS = 5;
const SAMPLE_CELL_CHARS = 80;
/** A persona of no team holding no purpose: masked wherever a classification masks. */
const READER = { id: 'quanta-docs-reader', name: 'Docs reader', purposes: [] as string[] };

export const docs: Command = {
  name: 'docs',
  usage: `  quanta docs <mesh-dir> --out <dir> [--no-run] [--pool N] [--engine wasm|native]
      Write the mesh's documentation as a static HTML site that opens from disk (no server,
      no network): an index with search, a page per domain and per product, the lineage
      diagram. The mesh runs first so pages show check results, freshness and sample rows
      (masked); --no-run documents the files only. <dir> must be empty, new, or a site
      quanta docs wrote before.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      out: { type: 'string', short: 'o' },
      'no-run': { type: 'boolean' },
      pool: { type: 'string' },
      ...ENGINE_OPTION,
    });
    if (positionals.length !== 1) throw new UsageError('give one mesh folder, e.g. quanta docs sample-meshes/daff --out daff-docs');
    const outArg = values['out'];
    if (typeof outArg !== 'string' || outArg.trim() === '') throw new UsageError('give the folder to write the site to: --out <dir>');
    const pool = wholeNumber(values['pool'], '--pool', defaultPool(), 1);
    const engine = engineOf(values['engine']);
    const out = nodePath.resolve(io.cwd, outArg);
    const opened = await openMesh(io, positionals[0]);
    const mesh = opened.loaded.mesh;
    if (nodePath.relative(opened.dir, out) === '' || !nodePath.relative(out, opened.dir).startsWith('..'))
      throw new UsageError(`--out "${outArg}" is the mesh folder or holds it; write the site somewhere else`);
    // Refused before the run: a folder this command may not write costs no run.
    await previousFiles(out, DOCS_MARKER, GENERATOR).catch((error: unknown) => {
      throw error instanceof GeneratedFolderError ? new UsageError(`--out "${outArg}": ${error.message}`) : error;
    });

    const skipRun = values['no-run'] === true || opened.errors.length > 0;
    if (values['no-run'] !== true && opened.errors.length > 0)
      io.err(
        `${plural(opened.errors.length, 'error')} in this mesh: documenting its files without running it (quanta validate lists them)\n`,
      );
    let ran: { facts: ProductPageFacts; samples: PortSample[] } | undefined;
    if (!skipRun) {
      const host = hostFor(io, pool, engine);
      try {
        const session = await runMeshFor(opened, host, 0, { ...io, progress: io.progress === true });
        if (session.troubled.size > 0)
          io.err(`note: ${[...session.troubled].join(', ')} refused or failed in the run; their pages show what the run found\n`);
        ran = { facts: runFacts(mesh, session.runtime), samples: await samples(mesh, session.runtime) };
      } finally {
        await host.dispose();
      }
    }

    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const files = buildDocsSite(mesh, {
      ...(ran ? { facts: ran.facts, samples: ran.samples, ran: true } : { facts: { scorecard: { usage: usageOf(mesh) } } }),
      ...(await minisearchBrowserBuild()),
      generated: `Made by quanta docs from ${opened.name} on ${when} UTC${ran ? ', after a run of the mesh' : ', without a run'}.`,
    });
    try {
      await writeGeneratedFolder(out, files, DOCS_MARKER, GENERATOR);
    } catch (error) {
      if (!(error instanceof GeneratedFolderError)) throw error;
      io.err(`quanta docs: ${error.message}\n`);
      return 1;
    }
    const pages = [...files.keys()].filter((f) => f.endsWith('.html')).length;
    io.out(`wrote ${plural(pages, 'page')} to ${displayPath(io.cwd, out, '')}: open ${displayPath(io.cwd, out, 'index.html')}\n`);
    return 0;
  },
};

/** MiniSearch's own browser build and its MIT license, from the installed package. */
async function minisearchBrowserBuild(): Promise<{ minisearchScript: string; minisearchLicense?: string }> {
  const require = createRequire(import.meta.url);
  // The package exports only its module entries; the UMD build sits beside them in dist/.
  const root = nodePath.resolve(nodePath.dirname(require.resolve('minisearch')), '..', '..');
  const minisearchScript = await fsp.readFile(nodePath.join(root, 'dist', 'umd', 'index.js'), 'utf8');
  const license = await fsp.readFile(nodePath.join(root, 'LICENSE.txt'), 'utf8').catch(() => undefined);
  return { minisearchScript, ...(license === undefined ? {} : { minisearchLicense: license }) };
}

/** What the run measured, in the product page's terms. */
function runFacts(mesh: Mesh, runtime: MeshRuntime): ProductPageFacts {
  const runs: RunFacts[] = [];
  const qualityResults: QualityResultFact[] = [];
  const portVersions: NonNullable<ProductPageFacts['portVersions']>[number][] = [];
  const freshness: NonNullable<ProductPageFacts['freshness']>[number][] = [];
  for (const product of mesh.products) {
    const last = runtime.lastRun(product.id);
    if (last) {
      const late = product.outputPorts.some((p) => runtime.freshness(product.id, p.name)?.late === true);
      runs.push({
        product: product.id,
        published: last.status === 'published',
        checksPassed: last.checks.filter((c) => c.passed).length,
        checksTotal: last.checks.length,
        slaMet: !late,
      });
      for (const c of last.checks) {
        qualityResults.push({
          product: product.id,
          port: c.port,
          rule: c.id,
          passed: c.passed,
          severity: c.severity,
          // A check's description may end in what this run measured; the page shows the result beside it.
          text: (c.description || c.id).replace(/: measured .*$/s, '').replace(/ — (?:passed|late|failed|refused)$/, ''),
          ...(c.passed ? {} : { detail: measuredPart(c.message, c.id) }),
        });
      }
    }
    for (const port of product.outputPorts) {
      for (const v of runtime.history(product.id, port.name)) {
        portVersions.push({
          product: product.id,
          port: port.name,
          version: v.version,
          at: v.simulatedAt,
          rows: v.rows,
          ...(port.contract ? { contractVersion: port.contract.version } : {}),
        });
      }
      const f = runtime.freshness(product.id, port.name);
      if (f) freshness.push({ product: product.id, port: port.name, ageText: formatSeconds(f.ageSeconds), met: !f.late });
    }
  }
  return { runs, qualityResults, portVersions, freshness, scorecard: { runs: runtime, usage: usageOf(mesh) } };
}

/** What a failed check measured, from its message: `orders.quality[0]: measured 120, mustBeGreaterThan 1000 — failed` → `measured 120, mustBeGreaterThan 1000`. */
function measuredPart(message: string, id: string): string {
  const text = message.startsWith(`${id}: `) ? message.slice(id.length + 2) : message;
  const measured = text.indexOf(': measured ');
  return (measured >= 0 ? text.slice(measured + 2) : text).replace(/ — (?:failed|late|refused)$/, '');
}

/** Persona queries the usage files record (usage/*.usage.yaml), as the scorecard's usage: what the audit log would give. */
function usageOf(mesh: Mesh): PortUsage[] {
  return mesh.usage.flatMap((file) =>
    file.ports.flatMap((port) =>
      Object.entries(port.queries).map(([personaId, queries]) => ({ productId: file.product, port: port.port, personaId, queries })),
    ),
  );
}

/** A few rows of each published port, queried as a reader of no team with no purposes (so classified columns come back masked). */
async function samples(mesh: Mesh, runtime: MeshRuntime): Promise<PortSample[]> {
  const personas = mesh.manifest?.personas ?? [];
  let id = READER.id;
  for (let n = 2; personas.some((p) => p.id === id); n++) id = `${READER.id}-${n}`;
  const manifest = mesh.manifest ?? { file: 'mesh.yaml', name: 'mesh', title: 'mesh', description: '', teams: [] };
  const readerMesh: Mesh = { ...mesh, manifest: { ...manifest, personas: [...personas, { ...READER, id }] } };
  const target: QueryTarget = {
    mesh: readerMesh,
    simulatedAt: () => runtime.simulatedAt(),
    latestVersion: (product, port) => runtime.latestVersion(product, port),
    query: (sql, exposure) => runtime.query(sql, exposure),
  };
  const out: PortSample[] = [];
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const at = { product: product.id, port: port.name };
      if (!runtime.latestVersion(product.id, port.name)) continue;
      const outcome = await queryAs(target, id, `SELECT * FROM ${quoteIdent(product.id)}.${quoteIdent(port.name)} LIMIT ${SAMPLE_ROWS}`);
      if (!outcome.ok) {
        // The access rule's own reason, about "a reader with no purposes" rather than the made-up persona's id.
        const reason = outcome.decisions.find((d) => !d.allowed)?.reason ?? outcome.error.message;
        out.push({ ...at, unavailable: `No sample rows: ${reason.split(id).join('a reader with no purposes')}.` });
        continue;
      }
      const table = tableFromIPC(outcome.ipc);
      const columns = table.schema.fields.map((f) => f.name);
      const rows = tableJson(table).map((row) => columns.map((c) => cell(row[c])));
      out.push({ ...at, columns, rows, masked: outcome.decisions.flatMap((d) => d.maskedColumns.map((m) => m.column)) });
    }
  }
  return out;
}

function cell(value: unknown): string {
  const text = value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return [...text].length > SAMPLE_CELL_CHARS ? `${[...text].slice(0, SAMPLE_CELL_CHARS - 1).join('')}…` : text;
}
