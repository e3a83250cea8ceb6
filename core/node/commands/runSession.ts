import { PolicyGate } from '../../governance/policy/policyGate.ts';
import { resolvePolicies } from '../../governance/policy/policies.ts';
import { MeshRuntime } from '../../run/meshRuntime.ts';
import type { MeshRunReport, QuantumHost, RuntimeEvent } from '../../run/runTypes.ts';
import { catalogEnginesFor, type CliIo } from './command.ts';
import type { OpenedMesh } from './openMesh.ts';

/*
 * A mesh run by the CLI (`quanta run`, `quanta query`, `quanta check --run`): once at tick 0,
 * then N ticks of simulated time, with the policy gate's verdict refusing the publishes that
 * blocking policies forbid.
 */
export interface RunSession {
  readonly runtime: MeshRuntime;
  readonly reports: readonly MeshRunReport[];
  /** Products that were refused or failed at any tick. */
  readonly troubled: ReadonlySet<string>;
}

/** The policy gate of a CLI command: its catalog engine (handed in through `io`) leases a quantum of the command's host. */
export function policyGate(io: Pick<CliIo, 'createCatalogEngine'>, host: QuantumHost): PolicyGate {
  return new PolicyGate(catalogEnginesFor(io, host));
}

/** Runs the mesh once at tick 0, then `ticks` more ticks; the files are read through the folder `opened` already holds. */
export async function runMeshFor(
  opened: Pick<OpenedMesh, 'loaded' | 'fs'>,
  host: QuantumHost,
  ticks: number,
  io: Pick<CliIo, 'err' | 'progress' | 'createCatalogEngine'> & {
    /** Every runtime event as it happens, with the runtime to ask about it (e.g. `quanta run --openlineage`). */
    readonly onEvent?: (event: RuntimeEvent, runtime: MeshRuntime) => void;
  },
): Promise<RunSession> {
  const { mesh } = opened.loaded;
  const progress = io.progress ? new Progress(io.err) : undefined;
  // Policies over the model (policies over run data are `quanta check --run`'s job), evaluated
  // in a quantum of the pool while the first products run: each publish waits for the verdict.
  const gate = policyGate(io, host);
  // Every quantum this run can use at once, booting side by side from the start.
  host.prestart?.(mesh.products.length + (resolvePolicies(mesh).policies.length > 0 ? 1 : 0));
  const verdict = gate.evaluate(mesh);
  verdict.catch(() => undefined); // awaited below; the run goes on meanwhile
  const runtime = new MeshRuntime(mesh, {
    host,
    readFile: (path) => opened.fs.readFile(path),
    now: () => performance.now(),
    onEvent: (event) => {
      progress?.update(event);
      io.onEvent?.(event, runtime);
    },
    policyChecks: gate.policyChecks,
    policyVerdict: verdict,
  });
  const reports: MeshRunReport[] = [];
  const troubled = new Set<string>();
  const note = (report: MeshRunReport): void => {
    reports.push(report);
    for (const p of report.products) if (!p.skipped && (p.status === 'refused' || p.status === 'failed')) troubled.add(p.product);
  };
  try {
    const first = await runtime.runAll();
    await verdict; // a catalog quantum that failed fails the command, as before the run
    note(first);
    for (const report of await runtime.advance(ticks)) note(report);
  } finally {
    progress?.done();
  }
  return { runtime, reports, troubled };
}

/** One live line on stderr: the tick, products done, and which are running. */
class Progress {
  readonly #write: (text: string) => void;
  #tick = 0;
  #running = new Set<string>();
  #done = 0;
  #total = 0;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  update(event: RuntimeEvent): void {
    if (event.type === 'tick') this.#tick = event.tick;
    else if (event.type === 'started') this.#running.add(event.product);
    else {
      this.#running.delete(event.run.product);
      this.#done = event.done;
      this.#total = event.total;
    }
    const running = [...this.#running].join(', ');
    const line = `tick ${this.#tick}: ${this.#done}/${this.#total} product${this.#total === 1 ? '' : 's'}${running ? ` — running ${running}` : ''}`;
    this.#write(`\r\x1b[2K${line.slice(0, 110)}`);
  }

  done(): void {
    this.#write('\r\x1b[2K');
  }
}
