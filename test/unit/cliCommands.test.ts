import { describe, expect, it } from 'vitest';
import { quanta, type CliResult } from '../support/quantaCli.ts';

/*
 * The shape every `quanta` command shares (core/node/commands/): its usage is in `quanta
 * help`, and a wrong command line is answered the same way by each — one line naming the
 * command and the problem, a pointer to `quanta help`, exit code 2.
 */
const cli = (...args: string[]): Promise<CliResult> => quanta(args);

const COMMANDS = ['validate', 'lineage', 'run', 'query', 'check', 'diff', 'access'];
// `scenario` has subcommands (list, check): test/integration/scenarioCli.test.ts covers its command line.
const IN_HELP = [...COMMANDS, 'scenario'];

describe('every quanta command', () => {
  it('has its usage in quanta help, in the order of the list', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    const at = IN_HELP.map((name) => help.out.indexOf(`\n  quanta ${name} `));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The last command's block runs straight into the help line, no blank line between.
    expect(help.out).toContain('goal holds, 1 when one does not.\n  quanta help | --help\n');
  });

  it.each(COMMANDS)('answers an unknown option of quanta %s with its name, a pointer to quanta help and exit 2', async (name) => {
    const result = await cli(name, 'sample-meshes/hello-mesh', '--no-such-option');
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(new RegExp(`^quanta ${name}: .*--no-such-option.*\\nRun "quanta help" for usage\\.\\n$`));
  });

  it.each(['validate', 'lineage', 'check'])('answers quanta %s on a path that is not a folder with exit 2', async (name) => {
    const result = await cli(name, 'no/such/folder');
    expect(result).toEqual({ code: 2, out: '', err: `quanta ${name}: "no/such/folder" is not a folder\nRun "quanta help" for usage.\n` });
  });

  it('answers quanta access on a path that is not a folder like the other commands, not as a mesh with errors', async () => {
    const result = await cli('access', 'no/such/folder', '--as', 'trainee', '"orders".orders');
    expect(result).toEqual({ code: 2, out: '', err: 'quanta access: "no/such/folder" is not a folder\nRun "quanta help" for usage.\n' });
  });

  it('answers quanta access without its arguments in the same convention', async () => {
    const result = await cli('access', 'sample-meshes/daff');
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      'quanta access: give the mesh folder, --as <persona> and one port as "<product-id>".<port>\nRun "quanta help" for usage.\n',
    );
  });
});
