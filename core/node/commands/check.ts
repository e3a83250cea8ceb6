import { sortDiagnostics } from '../../diagnostics/diagnostic.ts';
import type { GovernanceReport } from '../../governance/policy/evaluate.ts';
import { runDataOf } from '../../governance/policy/policyGate.ts';
import { whatIf } from '../../governance/whatIf.ts';
import { FAIL_ON, impactJson, impactText, judgeImpact, type FailOn } from './checkImpact.ts';
import { checkJson, checkJunit, checkText } from './checkReport.ts';
import { type Command, defaultPool, ENGINE_OPTION, engineOf, hostFor, parseOptions, UsageError, wholeNumber } from './command.ts';
import { openMesh } from './openMesh.ts';
import { policyGate, runMeshFor, type RunSession } from './runSession.ts';

/*
 * `quanta check`: every policy in force (mesh policy files and the built-ins mesh.yaml lists)
 * evaluated over the mesh's catalog in a quantum, plus the mesh's own diagnostics (contracts
 * included), and against a baseline the consumers the change would break. Exit 1 on an error,
 * a blocking violation or (per --fail-on, checkImpact.ts) a broken consumer, so a CI job fails.
 */
const FORMATS = ['text', 'json', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export const check: Command = {
  name: 'check',
  usage: `  quanta check <mesh-dir> [--against <baseline-mesh-dir>] [--fail-on breaking|warning|never] [--run] [--ticks N]
               [--format text|json|junit] [--engine wasm|native]
      Evaluate every policy (policy files and the built-ins mesh.yaml lists) over the mesh's
      catalog, with contract changes against the baseline when given, and list the consumers
      those changes would break. --run runs the mesh first (N ticks), so run results and
      output data are there for policies to read. Exit code 1 on an error, a blocking
      violation, (with --run) a refused publish, or with --against a consumer that would
      break (--fail-on breaking, the default; warning also fails on a warning-level contract
      change; never leaves it to errors and blocking policies). --engine native: the quanta
      (catalog, run) on native DuckDB, as in quanta run.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      against: { type: 'string' },
      'fail-on': { type: 'string', default: 'breaking' },
      format: { type: 'string', short: 'f', default: 'text' },
      run: { type: 'boolean' },
      ticks: { type: 'string', short: 't' },
      ...ENGINE_OPTION,
    });
    const engine = engineOf(values['engine']);
    const format = values['format'];
    if (typeof format !== 'string' || !FORMATS.includes(format as Format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
    const failOn = values['fail-on'];
    if (typeof failOn !== 'string' || !FAIL_ON.includes(failOn as FailOn))
      throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${String(failOn)}"`);
    const ticks = wholeNumber(values['ticks'], '--ticks', 0, 0);
    const run = values['run'] === true || values['ticks'] !== undefined;
    const opened = await openMesh(io, positionals[0]);
    const against = values['against'];
    const baseline = typeof against === 'string' ? (await openMesh(io, against, '--against')).loaded.mesh : undefined;
    const { mesh } = opened.loaded;

    const host = hostFor(io, run ? defaultPool() : 1, engine);
    let report: GovernanceReport;
    let session: RunSession | undefined;
    try {
      // A mesh with errors is not run (quanta run refuses it too); its model is still checked.
      if (run && opened.errors.length === 0) session = await runMeshFor(opened, host, ticks, { ...io, progress: false });
      report = await policyGate(io, host).evaluate(mesh, {
        ...(baseline ? { baseline } : {}),
        ...(session ? { run: runDataOf(mesh, session.runtime) } : {}),
      });
    } catch (error) {
      // Not the user's policies (their SQL errors are results): the quantum itself failed.
      io.err(`quanta check: the catalog quantum failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    } finally {
      await host.dispose();
    }

    // What the change does to the products that read the changed contracts (no policies: they ran above).
    const impact = baseline ? await whatIf(baseline, mesh) : undefined;
    const verdict = impact ? judgeImpact(impact, failOn as FailOn) : undefined;
    const { name, shown } = opened;
    // Federation errors are already among the load diagnostics; SQL errors come from evaluation.
    const diagnostics = sortDiagnostics([...opened.loaded.diagnostics, ...report.policies.flatMap((p) => (p.error ? [p.error] : []))]);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const troubled = session ? [...session.troubled].sort() : [];
    const ok = errors === 0 && report.blocking === 0 && troubled.length === 0 && verdict?.failed !== true;
    const runJson = session ? { run: { tick: session.runtime.tick, troubled } } : {};
    if (format === 'json')
      io.out(
        `${JSON.stringify({ ...checkJson(name, ok, report, diagnostics, shown), ...runJson, ...(impact && verdict ? impactJson(impact, verdict) : {}) }, null, 2)}\n`,
      );
    else if (format === 'junit') io.out(checkJunit(name, report, diagnostics, shown, impact && verdict ? { impact, verdict } : undefined));
    else {
      const ran = troubled.length === 0 ? 'every product published' : `refused or failed: ${troubled.join(', ')} (quanta run shows why)`;
      if (session) io.out(`ran the mesh to tick ${session.runtime.tick}: ${ran}\n`);
      io.out(checkText(name, report, diagnostics, errors, shown));
      if (impact && verdict) io.out(impactText(impact, verdict));
    }
    return ok ? 0 : 1;
  },
};
