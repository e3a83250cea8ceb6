import nodePath from 'node:path';
import { OpenLineageRecorder, type ColumnLineage, type PortOutcome, type RunEvent } from '../../export/openLineage.ts';
import type { Mesh } from '../../model/types.ts';
import { duckdbTypeOf } from '../../run/declaredTypes.ts';
import type { MeshRuntime } from '../../run/meshRuntime.ts';
import type { RuntimeEvent } from '../../run/runTypes.ts';
import { asFields, asList, asString } from '../../model/read.ts';
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
      recorder.finished(event.run, new Date(), outcomesOf(mesh, runtime, event.run.product, event.run.status === 'published'));
  };
  return { recorder, observe };
}

/** Each output port's columns: as published, as the refused candidate had them, or as its contract declares them. */
function outcomesOf(mesh: Mesh, runtime: MeshRuntime, productId: string, published: boolean): PortOutcome[] {
  const product = mesh.products.find((p) => p.id === productId);
  return (product?.outputPorts ?? []).map((port) => {
    const version = published ? runtime.latestVersion(productId, port.name) : undefined;
    if (version?.columns) return { port: port.name, columns: version.columns, version: version.version, rows: version.rows };
    const candidate = runtime.candidate(productId, port.name);
    if (candidate) return { port: port.name, columns: candidate.columns, rows: candidate.rows };
    const schema = asList(port.contract?.document['schema']).map(asFields);
    const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
    const columns = asList(table?.['properties']).flatMap((raw) => {
      const property = asFields(raw);
      const name = asString(property['name']);
      return name ? [{ name, type: duckdbTypeOf(property) ?? 'UNKNOWN' }] : [];
    });
    return { port: port.name, columns };
  });
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
  await writeFileAtomic(target, new TextEncoder().encode(events.map((e) => `${JSON.stringify(e)}\n`).join('')));
  io.err(`wrote ${events.length} OpenLineage events to ${file}\n`);
}
