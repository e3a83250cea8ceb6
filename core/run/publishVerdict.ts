import {
  checkSchemaConformance,
  compileContractChecks,
  evaluateCheck,
  quoteIdent,
  type ContractCheck,
} from '../contracts/contractChecks.ts';
import type { Contract, OutputPort } from '../model/types.ts';
import { contentHash } from '../util/contentHash.ts';
import type { PortRun } from './quantumProtocol.ts';
import type { CheckResult, Freshness, PortVersion, ProductRun, RefusedCandidate } from './runTypes.ts';
import { formatSeconds, freshnessSla } from './simTime.ts';

/*
 * The verdict on a run: its measurements judged against the contracts (schema conformance,
 * the checks, freshness) and, with the policy results the caller adds, publish or refuse.
 * Pure functions: the runtime hands in what the quantum measured and records the outcome.
 */

/** A product's output port with its contract compiled to checks against the port's table. */
export interface CompiledPort {
  readonly port: OutputPort;
  readonly checks: readonly ContractCheck[];
  readonly table: string;
}

/** Where a path inside a contract file is written, for a check result's file:line:column. */
export type Locate = (contract: Contract, path: readonly (string | number)[]) => { line: number; column: number };

/**
 * A port's checks, with the contract's table read from the port's table in the quantum.
 * Exported for the bench, whose native baseline runs the very same check SQL.
 */
export function compilePort(portName: string, contract: Contract | undefined): { checks: ContractCheck[]; table: string } {
  if (!contract) return { checks: [], table: portName };
  // By convention the contract's (first) table is the port; name it so in the SQL either way.
  const table = contract.tables.find((t) => t.name === portName)?.name ?? contract.tables[0]?.name ?? portName;
  const { checks } = compileContractChecks(contract, (name) => (name === table ? quoteIdent(portName) : quoteIdent(name)));
  return { checks, table };
}

export function judgeFreshness(ageSeconds: number, latencySeconds: number | undefined): Freshness {
  return {
    ageSeconds,
    ...(latencySeconds === undefined ? {} : { latencySeconds }),
    late: latencySeconds !== undefined && ageSeconds > latencySeconds,
  };
}

/**
 * Every port's measurements judged: schema conformance (an error), each check by its
 * severity, freshness against the SLA (a warning: late data is still the best there is).
 * `ageSeconds`: how old the oldest source data the run read is now.
 */
export function judgePorts(
  compiled: readonly CompiledPort[],
  runs: readonly PortRun[],
  ageSeconds: number,
  locate: Locate,
): { checks: CheckResult[]; freshness: Map<string, Freshness> } {
  const checks: CheckResult[] = [];
  const freshness = new Map<string, Freshness>();
  for (const { port, checks: portChecks, table } of compiled) {
    const run = runs.find((p) => p.port === port.name);
    const contract = port.contract;
    const sla = freshnessSla(contract);
    freshness.set(port.name, judgeFreshness(ageSeconds, sla?.latencySeconds));
    if (!run || !contract) continue;
    const result = (
      id: string,
      message: string,
      severity: 'error' | 'warning',
      passed: boolean,
      path: readonly (string | number)[],
      figures: Pick<CheckResult, 'measured' | 'expected'> = {},
    ) => checkResult(contract, port.name, { id, message, severity, passed, ...figures }, locate(contract, path));
    for (const problem of checkSchemaConformance(contract, table, run.columns)) {
      checks.push(result(`${table}.${problem.column}.schema`, problem.message, 'error', false, problem.path));
    }
    for (const check of portChecks) {
      const measured = run.measurements.find((m) => m.id === check.id);
      if (!measured || measured.error !== undefined) {
        const message = `${check.description || check.id}: the check's SQL failed: ${measured?.error ?? 'not measured'}`;
        checks.push(result(check.id, message, check.severity, false, check.path));
        continue;
      }
      const verdict = evaluateCheck(check, measured.value, measured.total, measured.samples);
      const figures = { measured: verdict.measured, expected: expectation(check) };
      checks.push(result(check.id, verdict.message, check.severity, verdict.passed, check.path, figures));
    }
    if (sla) {
      const late = ageSeconds > sla.latencySeconds;
      const message = `freshness: data is ${formatSeconds(ageSeconds)} old, the contract promises at most ${sla.text} — ${late ? 'late' : 'passed'}`;
      checks.push(
        result(`${table}.freshness`, message, 'warning', !late, sla.path, { measured: ageSeconds, expected: `at most ${sla.text}` }),
      );
    }
  }
  return { checks, freshness };
}

/**
 * Publish, or refuse with the reason in words: any failing check of severity error refuses —
 * a contract check, a schema problem, or a blocking policy (checks whose id starts `policy:`).
 */
export function publishVerdict(
  checks: readonly CheckResult[],
): { readonly publish: true } | { readonly publish: false; readonly message: string } {
  const refused = checks.filter((c) => !c.passed && c.severity === 'error');
  if (refused.length === 0) return { publish: true };
  const policies = refused.filter((c) => c.id.startsWith('policy:')).length;
  const contract = refused.length - policies;
  const why = [
    ...(contract > 0 ? [`${contract} contract check${contract === 1 ? '' : 's'} failed`] : []),
    ...(policies > 0 ? [`${policies} blocking polic${policies === 1 ? 'y is' : 'ies are'} violated`] : []),
  ].join(' and ');
  return { publish: false, message: `publish refused: ${why}` };
}

/**
 * A judged run's outcome: refused, with the verdict's reason (its ports keep their last good
 * versions), or version `version + 1` of every port to publish. `staleBecause`: troubled
 * upstream products; a run on their last good data publishes, but as stale.
 */
export function concludeRun(
  checks: readonly CheckResult[],
  ports: readonly PortRun[],
  run: {
    readonly product: string;
    readonly version: number;
    readonly tick: number;
    readonly simulatedAt: string;
    /** Simulated time of the oldest source data the run read, ISO. */
    readonly dataAt: string;
    readonly freshness: (port: string) => Freshness;
    readonly durationMs: number;
    readonly staleBecause: readonly string[];
    /** The condition picking the rows of `port` that break check `id`, for a row-level check (failingRows.ts). */
    readonly rowPredicate?: (port: string, id: string) => string | undefined;
  },
): { readonly run: ProductRun; readonly publish: readonly PortVersion[]; readonly refuse: readonly RefusedCandidate[] } {
  const { product, version, tick, durationMs, staleBecause } = run;
  const rows = ports.reduce((sum, p) => sum + p.rows, 0);
  const stale = staleBecause.length > 0 ? { staleBecause } : {};
  const verdict = publishVerdict(checks);
  if (!verdict.publish) {
    return {
      run: { product, version, rows, checks, durationMs, tick, status: 'refused', problem: { message: verdict.message }, ...stale },
      publish: [],
      // What it would have published, for people to look at (never an input: see PortHistory.refuse).
      refuse: ports.map((port): RefusedCandidate => {
        const portChecks = checks.filter((c) => c.port === port.port || !c.port);
        const rowChecks = portChecks.flatMap((c) => {
          const predicate = c.passed ? undefined : run.rowPredicate?.(port.port, c.id);
          return predicate === undefined ? [] : [{ id: c.id, predicate }];
        });
        return {
          product,
          port: port.port,
          tick,
          simulatedAt: run.simulatedAt,
          rows: port.rows,
          bytes: port.ipc.byteLength,
          ipc: port.ipc,
          columns: port.columns,
          checks: portChecks,
          rowChecks,
          durationMs,
        };
      }),
    };
  }
  const next = version + 1;
  const publish = ports.map((port): PortVersion => ({
    product,
    port: port.port,
    version: next,
    tick,
    simulatedAt: run.simulatedAt,
    dataAt: run.dataAt,
    rows: port.rows,
    bytes: port.ipc.byteLength,
    hash: contentHash(port.ipc),
    ipc: port.ipc,
    columns: port.columns,
    checks: checks.filter((c) => c.port === port.port),
    profile: port.profile,
    freshness: run.freshness(port.port),
    durationMs,
  }));
  const status = staleBecause.length > 0 ? 'stale' : 'published';
  return { run: { product, status, version: next, rows, checks, durationMs, tick, ...stale }, publish, refuse: [] };
}

/** What a check expects, in the contract's words: `mustBe 0`, `mustBeBetween [1, 5] %`. */
function expectation(check: ContractCheck): string {
  const { op, value } = check.operator;
  const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return `${op} ${shown}${check.unit === 'percent' ? ' %' : ''}`;
}

function checkResult(
  contract: Contract,
  port: string,
  check: Pick<CheckResult, 'id' | 'message' | 'severity' | 'passed' | 'measured' | 'expected'>,
  at: { line: number; column: number },
): CheckResult {
  const { id, message, severity, passed, measured, expected } = check;
  const figures = { ...(measured === undefined ? {} : { measured }), ...(expected === undefined ? {} : { expected }) };
  return { id, port, description: message, severity, passed, message, ...figures, file: contract.file, line: at.line, column: at.column };
}
