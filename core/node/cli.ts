import { promises as fsp } from 'node:fs';
import { terminalSafeIo } from './cliText.ts';
import { access } from './commands/access.ts';
import { check } from './commands/check.ts';
import { UsageError, type CliIo, type Command } from './commands/command.ts';
import { diff } from './commands/diff.ts';
import { discover } from './commands/discover.ts';
import { docs } from './commands/docs.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/importDbt.ts';
import { lineage } from './commands/lineage.ts';
import { query } from './commands/query.ts';
import { run } from './commands/run.ts';
import { scenario } from './commands/scenario.ts';
import { validate } from './commands/validate.ts';

export type { CliIo } from './commands/command.ts';

/*
 * The `quanta` dispatcher: finds the command, runs it, and turns what goes wrong into an exit
 * code in one place — a UsageError is a wrong command line (2), anything else a bug (2, one line).
 */

/** In the order `quanta help` lists them. */
const COMMANDS: readonly Command[] = [
  validate,
  lineage,
  discover,
  docs,
  exportCommand,
  importCommand,
  run,
  query,
  check,
  diff,
  access,
  scenario,
];

const USAGE = `Quanta — model and run a data mesh on your laptop.

Usage:
${COMMANDS.map((c) => c.usage).join('')}  quanta help | --help
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

/** Exit codes: 0 ok, 1 the mesh has errors (or the answer is no), 2 the command line is wrong. */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Everything printed may carry text from a mesh: strip terminal control sequences from all of it.
  const io = terminalSafeIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.out(`quanta ${await version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`quanta: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
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
