import nodePath from 'node:path';
import { jsonLines, OpenLineageRecorder, portOutcomes, type ColumnLineage, type RunEvent } from '../../export/openLineage.ts';
import type { Mesh } from '../../model/types.ts';
import type { MeshRuntime } from '../../run/meshRuntime.ts';
import type { RuntimeEvent } from '../../run/runTypes.ts';
import { writeFileAtomic } from '../nodeFileSystem.ts';
import type { CliIo } from './command.ts';

/*
 * `quanta run --openlineage <file>`: the session's runtime events turned into OpenLineage
 * RunEvents (core/export/openLineage.ts) as they happen, column lineage from polyglot's SQL
 * analysis of each port's query, written as JSON lines when the run ends.
 */

/** The producer URI of Quanta's events and facets. */
export const PRODUCER = 'urn:quanta:cli';

export async function openLineageRecorder(mesh: Mesh): Promise<{
  readonly recorder: OpenLineageRecorder;
  readonly observe: (event: RuntimeEvent, runtime: MeshRuntime) => void;
}> {
  const recorder = new OpenLineageRecorder(mesh, { producer: PRODUCER, columnLineage: await polyglotLineage() });
  const observe = (event: RuntimeEvent, runtime: MeshRuntime): void => {
    if (event.type === 'started') recorder.started(event.product, event.tick, new Date());
    else if (event.type === 'finished')
      recorder.finished(event.run, new Date(), portOutcomes(mesh, runtime, event.run.product, event.run.status === 'published'));
  };
  return { recorder, observe };
}

/** polyglot's column lineage (a maintained SQL analysis, docs in ARCHITECTURE); none when it cannot read the query. */
async function polyglotLineage(): Promise<ColumnLineage> {
  const { openLineageColumnLineage } = await import('@polyglot-sql/sdk');
  return (sql, namespace) => {
    try {
      const result = openLineageColumnLineage(sql, {
        producer: PRODUCER,
        datasetNamespace: namespace,
        outputDataset: { namespace, name: 'out' },
        dialect: 'duckdb',
      });
      return result.success ? (result.facet?.fields as ReturnType<ColumnLineage>) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The events as JSON lines, written atomically where the user asked. */
export async function writeLineage(io: Pick<CliIo, 'cwd' | 'err'>, file: string, events: readonly RunEvent[]): Promise<void> {
  const target = nodePath.resolve(io.cwd, file);
  await writeFileAtomic(target, new TextEncoder().encode(jsonLines(events)));
  io.err(`wrote ${events.length} OpenLineage events to ${file}\n`);
}
