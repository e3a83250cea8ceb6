import { recordUsage } from '../../edits/usageEdits.ts';
import { EditError } from '../../model/editError.ts';
import { plural } from '../cliText.ts';
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
import { openRunnableMesh, type OpenedMesh } from './openMesh.ts';
import { formatRunTable, runJson } from './runReport.ts';
import { openLineageRecorder, writeLineage } from './openLineageRun.ts';
import { readsOfRuns } from './runFacts.ts';
import { runMeshFor, type RunSession } from './runSession.ts';

/** `quanta run`: every product in its own quantum, each output checked against its contract before it publishes. */
export const run: Command = {
  name: 'run',
  usage: `  quanta run <mesh-dir> [--ticks N] [--pool N] [--engine wasm|native] [--record-usage] [--openlineage <file.jsonl>] [--json]
      Run every product in its own DuckDB-WASM quantum, checking each output against its
      contract before it publishes; then advance simulated time N ticks (1 tick = 1 hour).
      --engine native runs each product in its own native DuckDB database instead (needs the
      optional @duckdb/node-api; not bound by wasm's 4 GB memory ceiling), sandboxed alike.
      --record-usage adds the run's reads (each consumer's run reads each of its inputs once)
      and ticks to usage/<product>.usage.yaml, which rank quanta discover (docs/discovery.md).
      --openlineage writes an OpenLineage RunEvent per product run start and end (START, then
      COMPLETE or FAIL) as JSON lines: schema, data-quality assertions, versions, column
      lineage (docs/openlineage.md).
      Exit code 1 if any publish was refused or any product failed.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      json: { type: 'boolean' },
      ticks: { type: 'string', short: 't' },
      pool: { type: 'string' },
      'record-usage': { type: 'boolean' },
      openlineage: { type: 'string' },
      ...ENGINE_OPTION,
    });
    const lineageFile = values['openlineage'];
    if (lineageFile !== undefined && (typeof lineageFile !== 'string' || lineageFile === ''))
      throw new UsageError('give the file to write with --openlineage <file.jsonl>');
    if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
    const ticks = wholeNumber(values['ticks'], '--ticks', 0, 0);
    const pool = wholeNumber(values['pool'], '--pool', defaultPool(), 1);
    const engine = engineOf(values['engine']);
    const opened = await openRunnableMesh(io, positionals[0]);
    if (!opened) return 1;
    const host = hostFor(io, pool, engine);
    try {
      const json = values['json'] === true;
      const lineage = typeof lineageFile === 'string' ? await openLineageRecorder(opened.loaded.mesh) : undefined;
      const session = await runMeshFor(opened, host, ticks, {
        ...io,
        progress: io.progress === true && !json,
        ...(lineage ? { onEvent: lineage.observe } : {}),
      });
      if (lineage && typeof lineageFile === 'string') await writeLineage(io, lineageFile, lineage.recorder.events);
      io.out(json ? `${JSON.stringify(runJson(session, opened.name), null, 2)}\n` : formatRunTable(session, opened.name));
      const recorded = values['record-usage'] === true ? await writeUsage(io, opened, session) : true;
      return session.troubled.size === 0 && recorded ? 0 : 1;
    } finally {
      await host.dispose();
    }
  },
};

/** The run's reads into the usage files, each written atomically inside the mesh folder; false when a file could not take them. */
async function writeUsage(io: CliIo, opened: OpenedMesh, session: RunSession): Promise<boolean> {
  const reads = readsOfRuns(opened.loaded.mesh, session.reports);
  const ticks = session.reports.length;
  let result: ReturnType<typeof recordUsage>;
  try {
    result = recordUsage(opened.loaded.mesh.files, reads, ticks);
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    io.err(`✗ usage not recorded: ${error.message}\n`);
    return false;
  }
  const encoder = new TextEncoder();
  for (const path of result.changed) await opened.fs.writeFile(path, encoder.encode(result.files.get(path)?.text ?? ''));
  const total = reads.reduce((sum, r) => sum + r.reads, 0);
  io.err(
    result.changed.length === 0
      ? 'no product read another in this run; no usage recorded\n'
      : `recorded ${plural(total, 'read')} over ${plural(ticks, 'tick')} in ${result.changed.map((p) => opened.shown(p)).join(', ')}\n`,
  );
  return true;
}
