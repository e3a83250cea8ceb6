import { promises as fsp } from 'node:fs';
import { terminalSafeIo } from './cliText.ts';
import { UsageError, type CliIo, type Command } from './commands/command.ts';

export type { CliIo } from './commands/command.ts';

/*
 * The `quanta` dispatcher: finds the command, runs it, and turns what goes wrong into an exit
 * code in one place — a UsageError is a wrong command line (2), anything else a bug (2, one line).
 */

/**
 * In the order `quanta help` lists them, each loaded when it runs: a command's module (and what
 * only it uses — the docs site, the dbt import, search) is a chunk of the bundle of its own, so
 * `quanta run` does not parse or hold `quanta docs` (cliBundle.test.ts checks the names match).
 */
export const COMMANDS: readonly { readonly name: string; readonly load: () => Promise<Command> }[] = [
  { name: 'validate', load: async () => (await import('./commands/validate.ts')).validate },
  { name: 'lineage', load: async () => (await import('./commands/lineage.ts')).lineage },
  { name: 'discover', load: async () => (await import('./commands/discover.ts')).discover },
  { name: 'docs', load: async () => (await import('./commands/docs.ts')).docs },
  { name: 'export', load: async () => (await import('./commands/export.ts')).exportCommand },
  { name: 'import', load: async () => (await import('./commands/importDbt.ts')).importCommand },
  { name: 'run', load: async () => (await import('./commands/run.ts')).run },
  { name: 'query', load: async () => (await import('./commands/query.ts')).query },
  { name: 'check', load: async () => (await import('./commands/check.ts')).check },
  { name: 'diff', load: async () => (await import('./commands/diff.ts')).diff },
  { name: 'access', load: async () => (await import('./commands/access.ts')).access },
  { name: 'scenario', load: async () => (await import('./commands/scenario.ts')).scenario },
];

async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  return `Quanta — model and run a data mesh on your laptop.

Usage:
${commands.map((c) => c.usage).join('')}  quanta help | --help
  quanta --version

Examples:
  npx quanta validate sample-meshes/hello-mesh
  npx quanta lineage sample-meshes/daff --format mermaid > daff.mmd
  npx quanta discover sample-meshes/daff "email" --personal
  npx quanta docs sample-meshes/daff --out daff-docs
  npx quanta import dbt my-dbt-project/target/manifest.json --out my-mesh
  npx quanta run sample-meshes/hello-mesh --ticks 24
  npx quanta query sample-meshes/hello-mesh 'SELECT * FROM "daily-revenue".daily_revenue'
  npx quanta check sample-meshes/daff --format junit > policies.xml
  npx quanta diff orders-v1.odcs.yaml orders.odcs.yaml
  npx quanta access sample-meshes/daff --as trainee '"listener-profiles".listener_profiles'
  npx quanta scenario check sample-meshes/daff schema-drift --solution
`;
}

/** Exit codes: 0 ok, 1 the mesh has errors (or the answer is no), 2 the command line is wrong. */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Everything printed may carry text from a mesh: strip terminal control sequences from all of it.
  const io = terminalSafeIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(await usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.out(`quanta ${await version()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`quanta: unknown command "${name}"\n\n${await usage()}`);
    return 2;
  }
  const command = await entry.load();
  // `quanta <command> --help`: that command's lines of `quanta help`, nothing run.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage:\n${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`quanta ${name}: ${error.message}\nRun "quanta help" for usage.\n`);
      return 2;
    }
    // A bug of Quanta's, not of the mesh: one line for the person, the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`quanta ${name}: internal error: ${message.split('\n')[0] ?? message}\n`);
    if (process.env['QUANTA_DEBUG'] && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    else io.err('  This is a bug in Quanta. Set QUANTA_DEBUG=1 to see where it happened, and report it.\n');
    return 2;
  }
}

async function version(): Promise<string> {
  const pkg = new URL('../../package.json', import.meta.url);
  const text = await fsp.readFile(pkg, 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}
