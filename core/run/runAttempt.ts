import type { GeneratedValue } from '../generate/generator.ts';
import type { DataProduct } from '../model/types.ts';
import { compilePort, type CompiledPort, type Locate } from './publishVerdict.ts';
import type { RunOutcome, RunRequest, SourceInput, TableFault } from './quantumProtocol.ts';
import { DEFAULT_TIMEOUT_SECONDS, runOnQuantum } from './quantumRun.ts';
import type { Announced, Inputs } from './runInputs.ts';
import type { QuantumHost, RunProblem } from './runTypes.ts';
import { formatSeconds, parseDuration } from './simTime.ts';
import { sourceInputs } from './sourceInputs.ts';
import { withinTimeout } from '../util/withinTimeout.ts';

/** A run whose quantum succeeded: its outcome and the checks it measured. */
export interface Attempt {
  readonly outcome: Extract<RunOutcome, { ok: true }>;
  readonly compiled: readonly CompiledPort[];
}

/** A run that failed before it could be judged (`stopped`: by a crash or cancel aimed at it). */
export interface FailedAttempt {
  readonly problem: RunProblem;
  readonly durationMs: number;
  readonly stopped: boolean;
}

/**
 * Everything of a product's run that does not touch the runtime's state: its sources
 * (sourceInputs.ts) next to the input ports' data it was handed, the run on a quantum
 * (quantumRun.ts), the contract measurements. The runtime judges the outcome.
 */
export async function attemptRun(
  product: DataProduct,
  read: Inputs,
  at: {
    readonly host: QuantumHost;
    readonly tick: number;
    /** The version this run would publish is `version + 1`. */
    readonly version: number;
    /** Wall-clock ms the run started at, and the clock. */
    readonly started: number;
    readonly now: () => number;
    readonly readFile: (path: string) => Promise<Uint8Array>;
    readonly referenceValues: (reference: string) => readonly GeneratedValue[];
    readonly locate: Locate;
    /** Asked once the sources are read: the faults in force on this run. */
    readonly tableFaults: () => readonly TableFault[];
    /** Asked once the sources are read: takes an injected crash aimed at this run, if any. */
    readonly takeCrash: () => boolean;
    /** Hands the exported ports on, as soon as the quantum has exported them. */
    readonly announce?: ((ports: Announced) => void) | undefined;
  },
): Promise<Attempt | FailedAttempt> {
  const inputs = [...read.inputs];
  const timeoutSeconds = parseDuration(product.settings?.simulation.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
  try {
    // Reading seed files counts against the run's timeout: a file that never ends (a FIFO
    // a file system let through) fails the product instead of hanging the mesh.
    const limit = `reading its seed files took longer than simulation.timeout (${formatSeconds(timeoutSeconds)}) in quanta.yaml`;
    const sources = sourceInputs(product, { tick: at.tick, readFile: at.readFile, referenceValues: at.referenceValues, locate: at.locate });
    inputs.push(...(await withinTimeout(sources, timeoutSeconds * 1000, () => new Error(limit))));
  } catch (error) {
    const problem = {
      message: error instanceof Error ? error.message : String(error),
      ...(product.settings ? { file: product.settings.file } : {}),
    };
    return { problem, durationMs: 0, stopped: false };
  }

  const compiled = product.outputPorts.map((port) => ({ port, ...compilePort(port.name, port.contract) }));
  const dataAt = new Date(read.dataAt).toISOString();
  const ran = await runOnQuantum(at.host, product, runRequest(product, compiled, inputs, at.tableFaults()), {
    timeoutSeconds,
    crash: at.takeCrash(),
    onExported: (exported) =>
      at.announce?.(new Map(exported.map((p) => [p.port, { ipc: p.ipc, columns: p.columns, version: at.version + 1, dataAt }]))),
  });
  if ('problem' in ran) return { problem: ran.problem, durationMs: at.now() - at.started, stopped: ran.stopped };
  const { outcome } = ran;
  if (!outcome.ok) {
    const { message, file, line } = outcome.error;
    return { problem: { message, ...(file ? { file } : {}), ...(line ? { line } : {}) }, durationMs: outcome.durationMs, stopped: false };
  }
  return { outcome, compiled };
}

/** What the product's quantum is asked to do: read `inputs`, run the transform, measure each port's checks. */
function runRequest(
  product: DataProduct,
  compiled: readonly CompiledPort[],
  inputs: readonly SourceInput[],
  faults: readonly TableFault[],
): RunRequest {
  const ports = compiled.map(({ port, checks }) => ({
    name: port.name,
    checks: checks.map((c) => ({
      id: c.id,
      sql: c.sql,
      ...(c.samples === undefined ? {} : { samples: c.samples }),
      ...(c.aggregate === undefined ? {} : { aggregate: c.aggregate }),
    })),
  }));
  const transform = product.transform ? { file: product.transform.path, sql: product.transform.text } : undefined;
  return { productId: product.id, ...(transform ? { transform } : {}), inputs, ports, ...(faults.length > 0 ? { faults } : {}) };
}
