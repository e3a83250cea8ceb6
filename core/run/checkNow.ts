import { compileContractChecks, evaluateCheck } from '../contracts/contractChecks.ts';
import type { Contract, DataProduct, OutputPort } from '../model/types.ts';
import { compilePort, judgePorts } from './publishVerdict.ts';
import type { ColumnInfo, RunRequest } from './quantumProtocol.ts';
import { DEFAULT_TIMEOUT_SECONDS, runOnQuantum } from './quantumRun.ts';
import type { QuantumHost } from './runTypes.ts';
import { parseDuration } from './simTime.ts';

/*
 * "Run this check now": one rule of a port's contract measured on data the port already has
 * (its newest published version, or a refused candidate), without publishing anything.
 *
 * It is the publish path with the transform taken out: the rule is compiled by the same
 * compilePort as at publish, the data is loaded as the port's table in a quantum leased from
 * the same host, under the product's own memory limit and simulation.timeout, and the quantum
 * measures it with the same code (measureChecks.ts: the one-SELECT guard, the sandbox, the
 * samples); judgePorts words the verdict. So a rule passes here exactly when it would pass
 * at publish on the same data, and a hostile rule is refused or stopped the same way.
 */

/** The data to check: Arrow IPC bytes of the port's table (a PortVersion's `ipc`, `columns`). */
export interface CheckData {
  readonly ipc: Uint8Array;
  readonly columns?: readonly ColumnInfo[] | undefined;
}

export type CheckNowResult =
  | {
      readonly status: 'passed' | 'failed';
      /** The measured value in the rule's unit (a percent for `unit: percent` counts). */
      readonly measured: number;
      /** Rows in the table. */
      readonly total: number;
      readonly unit: 'rows' | 'percent';
      /** Up to five failing values (masked by shape for a classified column), as publish names them. */
      readonly samples: readonly string[];
      /** The verdict, worded as the run log words it. */
      readonly message: string;
      readonly severity: 'error' | 'warning';
    }
  | {
      /** `error`: the rule's SQL failed or was refused; `unrunnable`: Quanta does not run the rule; `stopped`: the quantum timed out or broke. */
      readonly status: 'error' | 'unrunnable' | 'stopped';
      readonly message: string;
      readonly severity?: 'error' | 'warning';
    };

/** Runs the rule at `rulePath` of `contract` (the port's contract, possibly with an edited rule) on `data`. */
export async function checkRuleNow(
  host: QuantumHost,
  product: DataProduct,
  port: OutputPort,
  contract: Contract,
  rulePath: readonly (string | number)[],
  data: CheckData,
): Promise<CheckNowResult> {
  const { checks, table } = compilePort(port.name, contract);
  const check = checks.find((c) => samePath(c.path, rulePath));
  if (!check) {
    const skipped = compileContractChecks(contract).skipped.find((s) => samePath(s.path, rulePath));
    return {
      status: 'unrunnable',
      message: skipped ? `Quanta does not run this rule: ${skipped.reason}` : 'there is no rule at this place',
    };
  }
  const request: RunRequest = {
    productId: product.id,
    inputs: [{ kind: 'arrow', name: scratchName(port.name), ipc: data.ipc, ...(data.columns ? { columns: data.columns } : {}) }],
    ports: [
      { name: port.name, checks: [{ id: check.id, sql: check.sql, ...(check.samples === undefined ? {} : { samples: check.samples }) }] },
    ],
  };
  const timeoutSeconds = parseDuration(product.settings?.simulation.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
  // Its own lease name: a cancel of the product's run never stops a check, and `stopCheckNow` stops only the check.
  const ran = await runOnQuantum(host, { ...product, id: checkNowLease(product.id) }, request, { timeoutSeconds, crash: false });
  if ('problem' in ran) return { status: 'stopped', message: ran.problem.message, severity: check.severity };
  if (!ran.outcome.ok) return { status: 'error', message: ran.outcome.error.message, severity: check.severity };
  const portRun = ran.outcome.ports[0];
  const measured = portRun?.measurements.find((m) => m.id === check.id);
  const judged = judgePorts([{ port: { ...port, contract }, checks: [check], table }], portRun ? [portRun] : [], 0, () => ({
    line: 0,
    column: 0,
  })).checks.find((c) => c.id === check.id);
  if (!measured || measured.error !== undefined || !judged) {
    return { status: 'error', message: judged?.message ?? `${check.id}: not measured`, severity: check.severity };
  }
  const verdict = evaluateCheck(check, measured.value, measured.total, measured.samples);
  return {
    status: judged.passed ? 'passed' : 'failed',
    measured: verdict.measured,
    total: measured.total,
    unit: check.unit,
    samples: measured.samples ?? [],
    message: judged.message,
    severity: check.severity,
  };
}

/** The name a check-now of `productId` leases its quantum under. */
function checkNowLease(productId: string): string {
  return `${productId} (check now)`;
}

/** Stops a check-now of `productId` under way (its result is `stopped`); false when none runs or the host cannot. */
export function stopCheckNow(host: QuantumHost, productId: string): boolean {
  return host.cancel(checkNowLease(productId));
}

/** The input the data is loaded as before it is copied to the port's table (never the port's own name). */
function scratchName(portName: string): string {
  return portName === 'check_now_data' ? 'check_now_data_' : 'check_now_data';
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}
