import {
  OpenLineageRecorder,
  portOutcomes,
  type ColumnLineage,
  type PortOutcome,
  type RunEvent,
} from '../../../core/export/openLineage.ts';
import type { Mesh } from '../../../core/model/types.ts';
import type { MeshRuntime } from '../../../core/run/meshRuntime.ts';
import type { ProductRun, RuntimeEvent } from '../../../core/run/runTypes.ts';

/*
 * The app's side of issue 17's OpenLineage events ("Download OpenLineage" in the run log): the
 * runtime's events of a document, as they happen (Run all, Run one, Tick ×N, a scenario's
 * steps: they all run on the document's runtime), kept as what the CLI's recorder needs. The
 * events themselves are made at download time, by core/export/openLineage.ts as for
 * `quanta run --openlineage`, so the column lineage (polyglot, loaded only then) can be added.
 */

/** The producer URI of the app's events and facets (the CLI's is `urn:quanta:cli`). */
export const APP_PRODUCER = 'urn:quanta:app';

/** The ABORT message of a product run the user stopped. */
export const STOPPED = 'stopped by the user (Stop in the app): it keeps its last result';

/** At most this many runtime events are kept per document; the oldest go first. */
export const LINEAGE_LIMIT = 20_000;

/** One runtime event, with the mesh its runtime ran and what its ports held when it happened. */
export type LineageRecord =
  | { readonly kind: 'started'; readonly mesh: Mesh; readonly product: string; readonly tick: number; readonly at: Date }
  | {
      readonly kind: 'finished';
      readonly mesh: Mesh;
      readonly run: ProductRun;
      readonly at: Date;
      readonly outcomes: readonly PortOutcome[];
    };

export class LineageLog {
  readonly #records: LineageRecord[] = [];
  readonly #limit: number;
  #runs = 0;

  constructor(limit = LINEAGE_LIMIT) {
    this.#limit = limit;
  }

  /** How many runtime events are kept. */
  get size(): number {
    return this.#records.length;
  }

  /**
   * How many of them make events: a start, or a run that settled (a product that was not due,
   * or could not run and never started, makes none). None: nothing ran yet, or since a reset.
   */
  get runs(): number {
    return this.#runs;
  }

  /** Reset runs: the runtime and its events are gone. */
  clear(): void {
    this.#records.length = 0;
    this.#runs = 0;
  }

  /**
   * A runtime event of `mesh`'s runtime. A settled run's ports are read now: the runtime moves
   * on, and a later run replaces the candidate or the version this one left.
   */
  record(mesh: Mesh, event: RuntimeEvent, runtime: Pick<MeshRuntime, 'latestVersion' | 'candidate'>, at = new Date()): void {
    if (event.type === 'started') this.#push({ kind: 'started', mesh, product: event.product, tick: event.tick, at });
    else if (event.type === 'finished') {
      // Stop (the app's, not the CLI's): the rest of a stopped run is its last one, which must not
      // be told again as a COMPLETE; it is a run that did not happen after all, an ABORT.
      const run = event.run.stopped ? { ...event.run, skipped: STOPPED } : event.run;
      const outcomes = run.skipped === undefined ? portOutcomes(mesh, runtime, run.product, run.status === 'published') : [];
      this.#push({ kind: 'finished', mesh, run, at, outcomes });
    }
  }

  /**
   * The OpenLineage RunEvents of every kept runtime event, oldest first: a START per product
   * run and its COMPLETE, FAIL or ABORT. Each stretch of events of one mesh (an edit gives the
   * next run a new one) goes through its own recorder, so an event describes the mesh that ran.
   */
  events(columnLineage?: ColumnLineage): RunEvent[] {
    const lineage = columnLineage && cached(columnLineage);
    const out: RunEvent[] = [];
    let mesh: Mesh | undefined;
    let recorder: OpenLineageRecorder | undefined;
    const flush = (): void => {
      if (recorder) out.push(...recorder.events);
    };
    for (const record of this.#records) {
      if (record.mesh !== mesh || !recorder) {
        flush();
        mesh = record.mesh;
        recorder = new OpenLineageRecorder(mesh, { producer: APP_PRODUCER, ...(lineage ? { columnLineage: lineage } : {}) });
      }
      if (record.kind === 'started') recorder.started(record.product, record.tick, record.at);
      else recorder.finished(record.run, record.at, record.outcomes);
    }
    flush();
    return out;
  }

  #push(record: LineageRecord): void {
    this.#records.push(record);
    if (makesEvents(record)) this.#runs += 1;
    if (this.#records.length > this.#limit)
      for (const dropped of this.#records.splice(0, this.#records.length - this.#limit)) if (makesEvents(dropped)) this.#runs -= 1;
  }
}

function makesEvents(record: LineageRecord): boolean {
  return record.kind === 'started' || (record.run.skipped === undefined && record.run.status !== 'stale');
}

/** A transform's analysis once per query text: each run of a product asks for the same one. */
function cached(lineage: ColumnLineage): ColumnLineage {
  const done = new Map<string, ReturnType<ColumnLineage>>();
  return (sql, namespace) => {
    const key = `${namespace}\u0000${sql}`;
    if (!done.has(key)) done.set(key, lineage(sql, namespace));
    return done.get(key);
  };
}

/** The download's file name: `<mesh>-openlineage.jsonl`, the mesh's name kept to safe characters. */
export function lineageFileName(meshName: string): string {
  const safe = meshName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'mesh';
  return `${safe}-openlineage.jsonl`;
}
