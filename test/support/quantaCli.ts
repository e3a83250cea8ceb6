import { runCli, type CliIo } from '../../core/node/cli.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO } from '../helpers.ts';

/*
 * `quanta` in the test's own process, as bin/quanta.mjs runs it but with its output captured:
 * faster than a child process and the same dispatcher, options and exit codes.
 */

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `quanta <args>` from the repository's root; `io` replaces parts of the io (cwd, hosts…). */
export async function quanta(args: readonly string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli([...args], { out: (t) => (out += t), err: (t) => (err += t), cwd: REPO, ...io });
  return { code, out, err };
}

/**
 * A `quanta` whose commands may run quanta: in-process hosts and the policy gate's catalog
 * engine, as the bin wires worker threads. `dispose` ends every host it made (call it in afterAll).
 */
export function quantaWithHosts(): { cli: (...args: string[]) => Promise<CliResult>; dispose: () => Promise<void> } {
  const hosts: QuantumHost[] = [];
  const io: Partial<CliIo> = {
    createHost: (size) => {
      const host = new InProcessHost(size);
      hosts.push(host);
      return host;
    },
    createCatalogEngine: (host) => new QuantumCatalogEngine(host),
  };
  return {
    cli: (...args) => quanta(args, io),
    dispose: async () => {
      await Promise.all(hosts.splice(0).map((h) => h.dispose()));
    },
  };
}
