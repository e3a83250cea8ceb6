import { rankProducts, type RankedResult, type RankOptions, type RunFacts } from '../../discovery/rank.ts';
import { searchProducts, type SearchFilters } from '../../discovery/search.ts';
import { ARCHETYPES, type Archetype, type Mesh } from '../../model/types.ts';
import { alignColumns, plural } from '../cliText.ts';
import {
  defaultPool,
  ENGINE_OPTION,
  engineOf,
  hostFor,
  parseOptions,
  UsageError,
  wholeNumber,
  type CliIo,
  type Command,
} from './command.ts';
import { openMesh, openRunnableMesh, type OpenedMesh } from './openMesh.ts';
import { runFactsOfSession } from './runFacts.ts';
import { runMeshFor } from './runSession.ts';

/** `quanta discover`: the mesh's products that match a query, ranked by relevance × trust × use (core/discovery/rank.ts), each with why. */
export const discover: Command = {
  name: 'discover',
  usage: `  quanta discover <mesh-dir> "<query>" [--domain <d>] [--archetype <a>] [--status <s>] [--personal]
                  [--sla-met [--engine wasm|native]] [--limit <n>] [--json]
      Search the data products by name, id, tag, domain, owner, port, column, classification
      and description (prefix and misspellings too), ranked by relevance × trust × use
      (ratings in feedback/, counts in usage/, consumers from lineage; docs/discovery.md),
      with why each matched, why it ranks there, and possible duplicates. An empty query ""
      lists the whole marketplace. --sla-met runs the mesh first and keeps the products
      whose output ports met their freshness SLA. --limit: 10 results (50 for "") by default.
      Exit 0 with results, 1 with none.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      domain: { type: 'string' },
      archetype: { type: 'string' },
      status: { type: 'string' },
      personal: { type: 'boolean' },
      'sla-met': { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      ...ENGINE_OPTION,
    });
    const [dirArg, query, ...extra] = positionals;
    if (dirArg === undefined || query === undefined || extra.length > 0)
      throw new UsageError('give the mesh folder and one query, e.g. quanta discover sample-meshes/daff "email" (or "" for every product)');
    const filters = filtersOf(values);
    const slaMet = values['sla-met'] === true;
    const limit = wholeNumber(values['limit'], '--limit', slaMet || query.trim() !== '' ? 10 : 50, 1);
    const opened = slaMet ? await openRunnableMesh(io, dirArg) : await openMesh(io, dirArg);
    if (!opened) return 1;
    const mesh = opened.loaded.mesh;
    const runs = slaMet ? await runFacts(io, opened, values['engine']) : undefined;
    const options: RankOptions = { filters: slaMet ? { ...filters, slaMet: true } : filters, limit, ...(runs ? { runs } : {}) };
    const ranked = rankProducts(mesh, query, options);
    const matches = new Map(searchProducts(mesh, query, { filters, limit: mesh.products.length }).map((r) => [r.product, r.matches]));
    const rows = ranked.map((r) => ({ ...productColumns(mesh, r.product), ...r, matches: matches.get(r.product) ?? [] }));
    const shownFilters = slaMet ? { ...filters, slaMet: true } : filters;
    if (values['json'] === true) io.out(`${JSON.stringify({ query, filters: shownFilters, results: rows }, null, 2)}\n`);
    else if (rows.length === 0)
      io.out(
        `no data product matches${query.trim() === '' ? '' : ` "${query}"`}${Object.keys(shownFilters).length > 0 ? ' with these filters' : ''}\n`,
      );
    else io.out(formatTable(rows, query));
    // Search reads what loaded; a mesh with errors may be missing products, which the person should know.
    if (opened.errors.length > 0)
      io.err(
        `${plural(opened.errors.length, 'error')} in this mesh; some products may be missing. Run: quanta validate ${opened.shown('')}\n`,
      );
    return rows.length > 0 ? 0 : 1;
  },
};

/** The table, each result followed by why it ranks there and its possible duplicates, indented under the product. */
function formatTable(rows: readonly (RankedResult & { domain: string; owner?: string })[], query: string): string {
  const empty = query.trim() === '';
  const table = alignColumns(
    [
      ['rank', 'product', 'domain', 'owner', empty ? 'rating' : 'why'],
      ...rows.map((r) => [String(r.rank), r.product, r.domain, r.owner ?? '—', empty ? ratingText(r) : r.why]),
    ],
    new Set([0]),
  );
  const indent = ' '.repeat((table[0] ?? '').indexOf('product'));
  const lines = [table[0] ?? ''];
  rows.forEach((r, i) => {
    lines.push(table[i + 1] ?? '', `${indent}${r.whyRank}`);
    for (const s of r.similar) {
      const other = s.product;
      const columns = `${Math.round(s.overlap * 100)}% of output columns shared`;
      lines.push(
        s.moreUsed === other
          ? `${indent}possible duplicate of ${other} (more used; ${columns})`
          : `${indent}possible duplicate: ${other} (${r.product} is more used; ${columns})`,
      );
    }
  });
  return `${lines.join('\n')}\n`;
}

function ratingText(r: RankedResult): string {
  return r.rating ? `${r.rating.mean.toFixed(1)}★ (${r.rating.count})` : '—';
}

/** Runs the mesh once (like `quanta run`) for what the SLA filter and trust need to know. */
async function runFacts(io: CliIo, opened: OpenedMesh, engine: unknown): Promise<RunFacts[]> {
  const host = hostFor(io, defaultPool(), engineOf(engine));
  try {
    const session = await runMeshFor(opened, host, 0, { ...io, progress: false });
    return runFactsOfSession(opened.loaded.mesh, session);
  } finally {
    await host.dispose();
  }
}

function filtersOf(values: Record<string, unknown>): SearchFilters {
  const { domain, archetype, status, personal } = values;
  if (archetype !== undefined && !ARCHETYPES.includes(archetype as Archetype))
    throw new UsageError(`--archetype must be one of ${ARCHETYPES.join(', ')}, not "${String(archetype)}"`);
  return {
    ...(typeof domain === 'string' ? { domain } : {}),
    ...(archetype !== undefined ? { archetype: archetype as Archetype } : {}),
    ...(typeof status === 'string' ? { status } : {}),
    ...(personal === true ? { personal: true } : {}),
  };
}

/** The table's product columns: its shown name, domain and owner team. */
function productColumns(mesh: Mesh, id: string): { name: string; domain: string; owner?: string } {
  const product = mesh.products.find((p) => p.id === id);
  const domain = mesh.domains.find((d) => d.id === product?.domain);
  const owner = product?.team ?? domain?.team;
  return { name: product?.name ?? id, domain: product?.domain ?? '', ...(owner === undefined ? {} : { owner }) };
}
