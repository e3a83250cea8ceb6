import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultPool } from '../../core/node/commands/command.ts';
import { quantaAhead } from '../../workers/node/cliEntry.ts';

const cores = availableParallelism();

describe('how many quanta the CLI boots before it reads the mesh', () => {
  it('is the default pool for a command that runs the mesh: one per core but one, at least one', () => {
    expect(defaultPool()).toBe(Math.max(1, cores - 1));
    for (const argv of [
      ['run', 'm'],
      ['query', 'm', 'SELECT 1'],
      ['scenario', 'check', 'm', 's'],
      ['check', 'm', '--run'],
      ['check', 'm', '--ticks', '2'],
    ])
      expect(quantaAhead(argv)).toBe(defaultPool());
  });

  it('is one for quanta check without a run: the catalog quantum', () => {
    expect(quantaAhead(['check', 'm', '--against', 'base'])).toBe(1);
  });

  it('follows --pool, in either spelling, but never boots more than one per core ahead', () => {
    expect(quantaAhead(['run', 'm', '--pool', '1'])).toBe(1);
    expect(quantaAhead(['run', 'm', '--pool=1'])).toBe(1);
    expect(quantaAhead(['run', 'm', '--pool', String(cores + 8)])).toBe(cores);
    expect(quantaAhead(['run', 'm', '--pool', 'many'])).toBe(defaultPool());
  });
});
