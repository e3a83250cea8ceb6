import nodePath from 'node:path';
import { exportDbtFrom, type Transpile } from '../../export/dbtExport.ts';
import type { DbtLayout } from '../../export/dbtLayout.ts';
import { plural } from '../cliText.ts';
import { GeneratedFolderError, writeGeneratedFolder } from '../generatedFolder.ts';
import { parseOptions, UsageError, type Command } from './command.ts';
import { openRunnableMesh } from './openMesh.ts';

/** The marker a dbt export leaves in its folder: what it wrote, so the next export replaces only that. */
export const DBT_MARKER = '.quanta-export.json';
const GENERATOR = 'quanta export dbt';
const LAYOUTS: readonly DbtLayout[] = ['one-project', 'project-per-domain'];

/** `quanta export dbt`: the mesh as a dbt project (core/export/dbtExport.ts, docs/dbt-export.md). */
export const exportCommand: Command = {
  name: 'export',
  usage: `  quanta export dbt <mesh-dir> --out <dir> [--layout one-project|project-per-domain] [--no-spark] [--json]
      Write the mesh as a dbt project: a model per output port (its transform, inputs bound
      with ref()), enforced model contracts typed from the ODCS schemas, access from port
      visibility, a group per domain, model versions from contract versions, the contracts'
      rules as dbt tests, seeds from seed files and generators, and profiles for dbt-duckdb
      and a local Spark session. SQL is transpiled to Spark SQL (--no-spark: DuckDB only).
      --layout project-per-domain: a dbt project per domain (domains in a dependency cycle
      share one), cross-domain refs as cross-project refs wired with dbt-loom, a README with
      the build order. What dbt cannot express is listed in the README and printed here.
      <dir> must be empty, new, or a project quanta export wrote before.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      out: { type: 'string', short: 'o' },
      layout: { type: 'string' },
      'no-spark': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [format, dirArg, ...extra] = positionals;
    if (format !== 'dbt')
      throw new UsageError(`export writes dbt projects: quanta export dbt <mesh-dir> --out <dir>${format ? ` (not "${format}")` : ''}`);
    if (dirArg === undefined || extra.length > 0)
      throw new UsageError('give one mesh folder, e.g. quanta export dbt sample-meshes/daff --out daff-dbt');
    const outArg = values['out'];
    if (typeof outArg !== 'string' || outArg === '') throw new UsageError('give the folder to write with --out <dir>');
    const layout = (values['layout'] ?? 'one-project') as DbtLayout;
    if (!LAYOUTS.includes(layout)) throw new UsageError(`--layout is one of ${LAYOUTS.join(', ')}, not "${String(values['layout'])}"`);
    const opened = await openRunnableMesh(io, dirArg);
    if (!opened) return 1;
    const out = nodePath.resolve(io.cwd, outArg);
    if (out === opened.dir || out.startsWith(opened.dir + nodePath.sep) || opened.dir.startsWith(out + nodePath.sep))
      throw new UsageError(`--out must be outside the mesh folder (and not contain it): ${outArg}`);
    const spark = values['no-spark'] === true ? undefined : await sparkTranspiler();
    const result = await exportDbtFrom(opened.fs, opened.loaded.mesh, { layout, ...(spark ? { spark } : {}) });
    try {
      await writeGeneratedFolder(out, result.files, DBT_MARKER, GENERATOR);
    } catch (error) {
      if (error instanceof GeneratedFolderError) throw new UsageError(`--out: ${error.message}`);
      throw error;
    }
    const tests = [...result.files.keys()].filter((f) => /^(?:[a-z0-9_]+\/)?tests\//.test(f)).length;
    const seeds = [...result.files.keys()].filter((f) => /^(?:[a-z0-9_]+\/)?seeds\//.test(f) && f.endsWith('.csv')).length;
    if (values['json'] === true) {
      const projects = result.projects.map((p) => ({ name: p.name, dir: p.dir, domains: p.domains, upstream: p.upstream }));
      io.out(
        `${JSON.stringify({ out, layout, projects, models: result.models, seeds, singularTests: tests, notes: result.notes }, null, 2)}\n`,
      );
      return 0;
    }
    io.out(
      `✓ dbt project of ${opened.name} in ${outArg}: ${plural(result.models.length, 'model')}, ${plural(seeds, 'seed')}, ` +
        `${plural(tests, 'singular test')} (plus not_null/unique/accepted_values)${spark ? ', DuckDB and Spark SQL' : ', DuckDB SQL only'}\n`,
    );
    if (result.notes.length > 0) {
      io.out(`\nNot carried over, or carried differently (also in ${nodePath.join(outArg, 'README.md')}):\n`);
      for (const note of result.notes) io.out(`  - ${note.product ? `${note.product}: ` : ''}${note.text}\n`);
    }
    if (layout === 'one-project')
      io.out(`\nBuild it: cd ${outArg} && dbt build --profiles-dir .   (pip install "dbt-core~=1.11" "dbt-duckdb~=1.11")\n`);
    else
      io.out(
        `\n${plural(result.projects.length, 'dbt project')}, built in this order (pip install "dbt-core~=1.11" "dbt-duckdb~=1.11" "dbt-loom==0.9.6"):\n` +
          result.projects.map((p) => `  (cd ${nodePath.join(outArg, p.name)} && dbt build --profiles-dir .)\n`).join(''),
      );
    return 0;
  },
};

/** DuckDB → Spark SQL (sparkSql.ts, on polyglot): loaded only by this command, as polyglot's wasm is large. */
async function sparkTranspiler(): Promise<Transpile> {
  const { duckdbToSpark } = await import('../sparkSql.ts');
  return duckdbToSpark;
}
