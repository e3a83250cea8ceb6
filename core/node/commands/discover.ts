import { searchProducts, type SearchFilters } from '../../discovery/search.ts';
import { ARCHETYPES, type Archetype, type Mesh } from '../../model/types.ts';
import { alignColumns, plural } from '../cliText.ts';
import { parseOptions, UsageError, wholeNumber, type Command } from './command.ts';
import { openMesh } from './openMesh.ts';

/** `quanta discover`: the mesh's products that match a query, ranked, each with why it matched (core/discovery/search.ts). */
export const discover: Command = {
  name: 'discover',
  usage: `  quanta discover <mesh-dir> "<query>" [--domain <d>] [--archetype <a>] [--status <s>] [--personal]
                  [--limit <n>] [--json]
      Search the data products by name, id, tag, domain, owner, port, column, classification
      and description (prefix and misspellings too), ranked, with why each matched.
      Exit 0 with results, 1 with none.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      domain: { type: 'string' },
      archetype: { type: 'string' },
      status: { type: 'string' },
      personal: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [dirArg, query, ...extra] = positionals;
    if (dirArg === undefined || query === undefined || extra.length > 0)
      throw new UsageError('give the mesh folder and one query, e.g. quanta discover sample-meshes/daff "email"');
    const filters = filtersOf(values);
    const limit = wholeNumber(values['limit'], '--limit', 10, 1);
    const { loaded, errors, shown } = await openMesh(io, dirArg);
    const mesh = loaded.mesh;
    const results = searchProducts(mesh, query, { filters, limit });
    const rows = results.map((r, i) => ({ rank: i + 1, ...productColumns(mesh, r.product), ...r }));
    if (values['json'] === true) io.out(`${JSON.stringify({ query, filters, results: rows }, null, 2)}\n`);
    else if (rows.length === 0)
      io.out(`no data product matches "${query}"${Object.keys(filters).length > 0 ? ' with these filters' : ''}\n`);
    else {
      const table = [
        ['rank', 'product', 'domain', 'owner', 'why'],
        ...rows.map((r) => [String(r.rank), r.product, r.domain, r.owner ?? '—', r.why]),
      ];
      io.out(`${alignColumns(table, new Set([0])).join('\n')}\n`);
    }
    // Search reads what loaded; a mesh with errors may be missing products, which the person should know.
    if (errors.length > 0)
      io.err(`${plural(errors.length, 'error')} in this mesh; some products may be missing. Run: quanta validate ${shown('')}\n`);
    return rows.length > 0 ? 0 : 1;
  },
};

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
