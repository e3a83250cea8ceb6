import { promises as fsp } from 'node:fs';
import { availableParallelism } from 'node:os';
import nodePath from 'node:path';
import { parseArgs } from 'node:util';
import { tableFromIPC } from 'apache-arrow';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { formatLineage, LINEAGE_FORMATS, type LineageFormat } from '../lineage/formatLineage.ts';
import { loadMesh, type LoadedMesh } from '../load/loadMesh.ts';
import type { QuantumHost } from '../run/runTypes.ts';
import { ACCESS_USAGE, accessCommand } from './accessCommand.ts';
import { CHECK_USAGE, checkCommand } from './checkCommand.ts';
import { DIFF_USAGE, diffCommand } from './diffCommand.ts';
import { AuditLog, queryAs } from '../governance/access/queryAs.ts';
import { displayPath, plural, terminalSafeIo } from './cliText.ts';
import { NodeFileSystem } from './nodeFileSystem.ts';
import { formatRunTable, formatTable, meshNameOf, runJson, runMeshFor, tableJson } from './runCommands.ts';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  /** Where quanta come from (worker threads in bin/quanta.mjs); `size` is the pool size. */
  readonly createHost?: (size: number) => QuantumHost;
  /** Show live progress on stderr (set when stderr is a terminal). */
  readonly progress?: boolean;
}

const USAGE = `Quanta — model and run a data mesh on your laptop.

Usage:
  quanta validate <mesh-dir> [--json]
      Check every file of the mesh. Prints file:line:col code message per problem.
      Exit code 0 when there are no errors (warnings allowed), 1 otherwise.
  quanta lineage <mesh-dir> [--format text|mermaid|dot]
      Print the data products grouped by domain and the lineage between them.
  quanta run <mesh-dir> [--ticks N] [--pool N] [--json]
      Run every product in its own DuckDB-WASM quantum, checking each output against its
      contract before it publishes; then advance simulated time N ticks (1 tick = 1 hour).
      Exit code 1 if any publish was refused or any product failed.
  quanta query <mesh-dir> "<sql>" [--ticks N] [--max-rows N] [--json] [--as <persona> [--purpose <p>]]
      Run the mesh, then query its output ports, each a table "<product-id>"."<port>".
      With --as, the query runs as a persona of mesh.yaml: a port it may not read is an
      error, classified columns come back masked, and each read is audited on stderr.
${CHECK_USAGE}${DIFF_USAGE}${ACCESS_USAGE}
  quanta help | --help
  quanta --version

Examples:
  npx quanta validate sample-meshes/hello-mesh
  npx quanta lineage sample-meshes/daff --format mermaid > daff.mmd
  npx quanta run sample-meshes/hello-mesh --ticks 24
  npx quanta query sample-meshes/hello-mesh 'SELECT * FROM "daily-revenue".daily_revenue'
  npx quanta check sample-meshes/daff --format junit > policies.xml
  npx quanta diff orders-v1.odcs.yaml orders.odcs.yaml
  npx quanta access sample-meshes/daff --as trainee '"listener-profiles".listener_profiles'
`;

/** Exit codes: 0 ok, 1 the mesh has errors, 2 the command line is wrong. */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Everything printed may carry text from a mesh: strip terminal control sequences from all of it.
  const io = terminalSafeIo(rawIo);
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === 'version') {
    io.out(`quanta ${await version()}\n`);
    return 0;
  }
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(rest, io);
      case 'lineage':
        return await lineageCommand(rest, io);
      case 'run':
        return await runCommand(rest, io);
      case 'query':
        return await queryCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'check':
        return await checkCommand(rest, io);
      case 'access':
        return await accessCommand(rest, io);
      default:
        io.err(`quanta: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`quanta ${command}: ${error.message}\nRun "quanta help" for usage.\n`);
      return 2;
    }
    // A bug of Quanta's, not of the mesh: one line for the person, the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`quanta ${command}: internal error: ${message.split('\n')[0] ?? message}\n`);
    if (process.env['QUANTA_DEBUG'] && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    else io.err('  This is a bug in Quanta. Set QUANTA_DEBUG=1 to see where it happened, and report it.\n');
    return 2;
  }
}

class UsageError extends Error {}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(args: readonly string[], options: ParseOptions): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function openMesh(dirArg: string | undefined, io: CliIo): Promise<{ dir: string; loaded: LoadedMesh }> {
  if (dirArg === undefined) throw new UsageError('give the mesh folder, e.g. sample-meshes/hello-mesh');
  const dir = nodePath.resolve(io.cwd, dirArg);
  const stats = await fsp.stat(dir).catch(() => undefined);
  if (!stats?.isDirectory()) throw new UsageError(`"${dirArg}" is not a folder`);
  return { dir, loaded: await loadMesh(new NodeFileSystem(dir)) };
}

async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
  const { dir, loaded } = await openMesh(positionals[0], io);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = loaded.diagnostics.length - errors;
  const shown = (d: Diagnostic): string => displayPath(io.cwd, dir, d.file);
  if (values['json'] === true) {
    const report = {
      mesh: loaded.mesh.manifest?.name ?? nodePath.basename(dir),
      valid: errors === 0,
      errors,
      warnings,
      counts: {
        domains: loaded.mesh.domains.length,
        products: loaded.mesh.products.length,
        policies: loaded.mesh.policies.length,
        scenarios: loaded.mesh.scenarios.length,
      },
      diagnostics: loaded.diagnostics.map((d) => ({ ...d, path: shown(d) })),
    };
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return errors === 0 ? 0 : 1;
  }
  for (const d of loaded.diagnostics) {
    io.out(`${formatDiagnostic({ ...d, file: shown(d) })}\n    hint: ${d.hint}\n`);
  }
  const name = loaded.mesh.manifest?.name ?? nodePath.basename(dir);
  const { domains, products } = loaded.mesh;
  const summary = [
    plural(domains.length, 'domain'),
    plural(products.length, 'product'),
    plural(loaded.mesh.policies.length, 'policy'),
    plural(loaded.mesh.scenarios.length, 'scenario'),
  ].join(', ');
  if (errors === 0) {
    io.out(`✓ ${name} is valid (${summary}; ${plural(warnings, 'warning')})\n`);
    return 0;
  }
  io.out(`✗ ${name}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${summary})\n`);
  return 1;
}

async function lineageCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string', short: 'f', default: 'text' } });
  const format = values['format'];
  if (typeof format !== 'string' || !LINEAGE_FORMATS.includes(format as LineageFormat)) {
    throw new UsageError(`--format must be one of ${LINEAGE_FORMATS.join(', ')}`);
  }
  const { dir, loaded } = await openMesh(positionals[0], io);
  io.out(formatLineage(loaded.mesh, format as LineageFormat));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(
      `${plural(errors.length, 'error')} in this mesh; the lineage above may be incomplete. Run: quanta validate ${displayPath(io.cwd, dir, '')}\n`,
    );
    return 1;
  }
  return 0;
}

function count(value: unknown, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min)
    throw new UsageError(`${flag} must be a whole number ≥ ${min}, not "${String(value)}"`);
  return n;
}

/** Loads the mesh for running; a mesh with errors is not run (its diagnostics are printed). */
async function openRunnableMesh(dirArg: string | undefined, io: CliIo): Promise<{ dir: string; loaded: LoadedMesh } | undefined> {
  const opened = await openMesh(dirArg, io);
  const errors = opened.loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return opened;
  for (const d of errors) io.err(`${formatDiagnostic({ ...d, file: displayPath(io.cwd, opened.dir, d.file) })}\n    hint: ${d.hint}\n`);
  io.err(`✗ ${plural(errors.length, 'error')} in this mesh; fix them before running it (quanta validate lists them too)\n`);
  return undefined;
}

function hostFor(io: CliIo, pool: number): QuantumHost {
  if (!io.createHost) throw new Error('this build of quanta has no quantum host; run it through bin/quanta.mjs');
  return io.createHost(pool);
}

async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    ticks: { type: 'string', short: 't' },
    pool: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
  const ticks = count(values['ticks'], '--ticks', 0, 0);
  const pool = count(values['pool'], '--pool', availableParallelism(), 1);
  const opened = await openRunnableMesh(positionals[0], io);
  if (!opened) return 1;
  const host = hostFor(io, pool);
  try {
    const session = await runMeshFor(opened.loaded.mesh, opened.dir, host, ticks, {
      ...io,
      progress: io.progress === true && values['json'] !== true,
    });
    const name = meshNameOf(opened.loaded.mesh, opened.dir);
    if (values['json'] === true) io.out(`${JSON.stringify(runJson(session, name), null, 2)}\n`);
    else io.out(formatRunTable(session, name));
    return session.troubled.size === 0 ? 0 : 1;
  } finally {
    await host.dispose();
  }
}

async function queryCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    ticks: { type: 'string', short: 't' },
    'max-rows': { type: 'string' },
    pool: { type: 'string' },
    as: { type: 'string' },
    purpose: { type: 'string' },
  });
  const [dirArg, sql, ...extra] = positionals;
  const persona = values['as'];
  const purpose = values['purpose'];
  if (purpose !== undefined && persona === undefined) throw new UsageError('--purpose goes with --as <persona>');
  if (sql === undefined || sql.trim() === '')
    throw new UsageError('give the SQL to run, e.g. quanta query <mesh-dir> \'SELECT * FROM "orders".orders\'');
  if (extra.length > 0) throw new UsageError('put the SQL in quotes: it must be one argument');
  const ticks = count(values['ticks'], '--ticks', 0, 0);
  const maxRows = count(values['max-rows'], '--max-rows', 50, 1);
  const pool = count(values['pool'], '--pool', availableParallelism(), 1);
  const opened = await openRunnableMesh(dirArg, io);
  if (!opened) return 1;
  const host = hostFor(io, pool);
  try {
    const session = await runMeshFor(opened.loaded.mesh, opened.dir, host, ticks, { ...io, progress: io.progress === true });
    for (const id of session.troubled) {
      const run = session.runtime.lastRun(id);
      io.err(`note: ${id} is ${run?.status ?? 'not published'}${run?.problem ? `: ${run.problem.message}` : ''}\n`);
    }
    if (typeof persona === 'string') {
      // As a persona: denied ports are an error, classified columns come back masked, every read is audited.
      const audit = new AuditLog();
      const asPersona = await queryAs(session.runtime, persona, sql, { ...(typeof purpose === 'string' ? { purpose } : {}), audit });
      for (const entry of audit.entries) {
        const masked = entry.columnsMasked.length > 0 ? `; masked: ${entry.columnsMasked.join(', ')}` : '';
        io.err(`audit: ${entry.persona} ${entry.decision} "${entry.product}".${entry.port} (${entry.reason}${masked})\n`);
      }
      if (!asPersona.ok) {
        io.err(`quanta query: ${asPersona.error.message}\n`);
        return 1;
      }
      const table = tableFromIPC(asPersona.ipc);
      io.out(values['json'] === true ? `${JSON.stringify(tableJson(table), null, 2)}\n` : formatTable(table, maxRows));
      return 0;
    }
    const outcome = await session.runtime.query(sql);
    if (!outcome.ok) {
      const tables = opened.loaded.mesh.products.flatMap((p) => p.outputPorts.map((port) => `"${p.id}".${port.name}`));
      io.err(
        `quanta query: ${outcome.error.message}\n    hint: output ports are tables named "<product-id>".<port>: ${tables.slice(0, 8).join(', ')}${tables.length > 8 ? ', …' : ''}\n`,
      );
      return 1;
    }
    const table = tableFromIPC(outcome.ipc);
    io.out(values['json'] === true ? `${JSON.stringify(tableJson(table), null, 2)}\n` : formatTable(table, maxRows));
    return 0;
  } finally {
    await host.dispose();
  }
}

async function version(): Promise<string> {
  const pkg = new URL('../../package.json', import.meta.url);
  const text = await fsp.readFile(pkg, 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}
