import { tableFromIPC } from 'apache-arrow';
import { AuditLog, queryAs } from '../../governance/access/queryAs.ts';
import { formatTable, tableJson } from './arrowTable.ts';
import {
  type CliIo,
  type Command,
  defaultPool,
  ENGINE_OPTION,
  engineOf,
  hostFor,
  parseOptions,
  UsageError,
  wholeNumber,
} from './command.ts';
import { openRunnableMesh } from './openMesh.ts';
import { runMeshFor } from './runSession.ts';

/** `quanta query`: the mesh run, then one SELECT over its output ports (as a persona with --as). */
export const query: Command = {
  name: 'query',
  usage: `  quanta query <mesh-dir> "<sql>" [--ticks N] [--max-rows N] [--engine wasm|native] [--json] [--as <persona> [--purpose <p>]]
      Run the mesh, then query its output ports, each a table "<product-id>"."<port>".
      With --as, the query runs as a persona of mesh.yaml: a port it may not read is an
      error, classified columns come back masked, and each read is audited on stderr.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      json: { type: 'boolean' },
      ticks: { type: 'string', short: 't' },
      'max-rows': { type: 'string' },
      pool: { type: 'string' },
      as: { type: 'string' },
      purpose: { type: 'string' },
      ...ENGINE_OPTION,
    });
    const [dirArg, sql, ...extra] = positionals;
    const persona = values['as'];
    const purpose = values['purpose'];
    if (purpose !== undefined && persona === undefined) throw new UsageError('--purpose goes with --as <persona>');
    if (sql === undefined || sql.trim() === '')
      throw new UsageError('give the SQL to run, e.g. quanta query <mesh-dir> \'SELECT * FROM "orders".orders\'');
    if (extra.length > 0) throw new UsageError('put the SQL in quotes: it must be one argument');
    const ticks = wholeNumber(values['ticks'], '--ticks', 0, 0);
    const maxRows = wholeNumber(values['max-rows'], '--max-rows', 50, 1);
    const pool = wholeNumber(values['pool'], '--pool', defaultPool(), 1);
    const engine = engineOf(values['engine']);
    const opened = await openRunnableMesh(io, dirArg);
    if (!opened) return 1;
    const host = hostFor(io, pool, engine);
    const print = (ipc: Uint8Array): void => {
      const table = tableFromIPC(ipc);
      io.out(values['json'] === true ? `${JSON.stringify(tableJson(table), null, 2)}\n` : formatTable(table, maxRows));
    };
    try {
      const session = await runMeshFor(opened, host, ticks, { ...io, progress: io.progress === true });
      for (const id of session.troubled) {
        const last = session.runtime.lastRun(id);
        io.err(`note: ${id} is ${last?.status ?? 'not published'}${last?.problem ? `: ${last.problem.message}` : ''}\n`);
      }
      if (typeof persona === 'string') {
        const asPersona = await queryAsPersona(io, session.runtime, persona, sql, typeof purpose === 'string' ? purpose : undefined);
        if (asPersona === undefined) return 1;
        print(asPersona);
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
      print(outcome.ipc);
      return 0;
    } finally {
      await host.dispose();
    }
  },
};

/** As a persona: denied ports are an error, classified columns come back masked, every read is audited on stderr. */
async function queryAsPersona(
  io: CliIo,
  runtime: Parameters<typeof queryAs>[0],
  persona: string,
  sql: string,
  purpose: string | undefined,
): Promise<Uint8Array | undefined> {
  const audit = new AuditLog();
  const outcome = await queryAs(runtime, persona, sql, { ...(purpose === undefined ? {} : { purpose }), audit });
  for (const entry of audit.entries) {
    const masked = entry.columnsMasked.length > 0 ? `; masked: ${entry.columnsMasked.join(', ')}` : '';
    io.err(`audit: ${entry.persona} ${entry.decision} "${entry.product}".${entry.port} (${entry.reason}${masked})\n`);
  }
  if (outcome.ok) return outcome.ipc;
  io.err(`quanta query: ${outcome.error.message}\n`);
  return undefined;
}
