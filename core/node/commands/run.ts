import { type Command, defaultPool, ENGINE_OPTION, engineOf, hostFor, parseOptions, UsageError, wholeNumber } from './command.ts';
import { openRunnableMesh } from './openMesh.ts';
import { formatRunTable, runJson } from './runReport.ts';
import { runMeshFor } from './runSession.ts';

/** `quanta run`: every product in its own quantum, each output checked against its contract before it publishes. */
export const run: Command = {
  name: 'run',
  usage: `  quanta run <mesh-dir> [--ticks N] [--pool N] [--engine wasm|native] [--json]
      Run every product in its own DuckDB-WASM quantum, checking each output against its
      contract before it publishes; then advance simulated time N ticks (1 tick = 1 hour).
      --engine native runs each product in its own native DuckDB database instead (needs the
      optional @duckdb/node-api; not bound by wasm's 4 GB memory ceiling), sandboxed alike.
      Exit code 1 if any publish was refused or any product failed.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      json: { type: 'boolean' },
      ticks: { type: 'string', short: 't' },
      pool: { type: 'string' },
      ...ENGINE_OPTION,
    });
    if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
    const ticks = wholeNumber(values['ticks'], '--ticks', 0, 0);
    const pool = wholeNumber(values['pool'], '--pool', defaultPool(), 1);
    const engine = engineOf(values['engine']);
    const opened = await openRunnableMesh(io, positionals[0]);
    if (!opened) return 1;
    const host = hostFor(io, pool, engine);
    try {
      const json = values['json'] === true;
      const session = await runMeshFor(opened, host, ticks, { ...io, progress: io.progress === true && !json });
      io.out(json ? `${JSON.stringify(runJson(session, opened.name), null, 2)}\n` : formatRunTable(session, opened.name));
      return session.troubled.size === 0 ? 0 : 1;
    } finally {
      await host.dispose();
    }
  },
};
