import { promises as fsp } from 'node:fs';
import { availableParallelism } from 'node:os';
import nodePath from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { type ContractChangeRow } from '../governance/catalog/catalog.ts';
import { diffContracts } from '../governance/diff/contractDiff.ts';
import {
  evaluatePolicies,
  type GovernanceReport,
  type PolicyResult,
  type PortData,
  type Violation,
} from '../governance/policy/evaluate.ts';
import { loadMesh } from '../load/loadMesh.ts';
import type { Mesh } from '../model/types.ts';
import type { QuantumHost } from '../run/runTypes.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import { QuantumCatalogEngine } from './catalogEngine.ts';
import { whatIf, type WhatIfReport } from '../governance/whatIf.ts';
import { FAIL_ON, impactJson, impactJunit, impactText, judgeImpact, type FailOn, type ImpactVerdict } from './checkImpact.ts';
import { displayPath, plural } from './cliText.ts';
import { NodeFileSystem } from './nodeFileSystem.ts';
import { runMeshFor, type RunSession } from './runCommands.ts';

/*
 * `quanta check <mesh> [--against <baseline>] [--fail-on …] [--format text|json|junit]`: every
 * policy in force (mesh policy files and the built-ins mesh.yaml lists) evaluated over the
 * mesh's catalog in a quantum, plus the mesh's own diagnostics (contracts included), and
 * against a baseline the consumers the change would break. Exit 1 on an error, a blocking
 * violation or (per --fail-on, checkImpact.ts) a broken consumer, so a CI job fails; 2 on a
 * wrong command line.
 */
export interface CheckIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly createHost?: (size: number) => QuantumHost;
}

export const CHECK_USAGE = `  quanta check <mesh-dir> [--against <baseline-mesh-dir>] [--fail-on breaking|warning|never] [--run] [--ticks N]
               [--format text|json|junit]
      Evaluate every policy (policy files and the built-ins mesh.yaml lists) over the mesh's
      catalog, with contract changes against the baseline when given, and list the consumers
      those changes would break. --run runs the mesh first (N ticks), so run results and
      output data are there for policies to read. Exit code 1 on an error, a blocking
      violation, (with --run) a refused publish, or with --against a consumer that would
      break (--fail-on breaking, the default; warning also fails on a warning-level contract
      change; never leaves it to errors and blocking policies).
`;

const FORMATS = ['text', 'json', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export async function checkCommand(args: readonly string[], io: CheckIo): Promise<number> {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: {
        against: { type: 'string' },
        'fail-on': { type: 'string', default: 'breaking' },
        format: { type: 'string', short: 'f', default: 'text' },
        run: { type: 'boolean' },
        ticks: { type: 'string', short: 't' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const format = values['format'];
  if (typeof format !== 'string' || !FORMATS.includes(format as Format)) return usage(io, `--format must be one of ${FORMATS.join(', ')}`);
  if (positionals.length !== 1)
    return usage(
      io,
      positionals.length === 0
        ? 'give the mesh folder, e.g. sample-meshes/hello-mesh'
        : `expected one mesh folder, got ${positionals.length}`,
    );
  const dir = await meshDir(io, positionals[0]);
  if (dir === undefined) return usage(io, `"${positionals[0] ?? ''}" is not a folder`);
  const against = values['against'];
  const baselineDir = typeof against === 'string' ? await meshDir(io, against) : undefined;
  if (typeof against === 'string' && baselineDir === undefined) return usage(io, `--against "${against}" is not a folder`);
  const failOn = values['fail-on'];
  if (typeof failOn !== 'string' || !FAIL_ON.includes(failOn as FailOn))
    return usage(io, `--fail-on must be one of ${FAIL_ON.join(', ')}, not "${String(failOn)}"`);
  const ticksArg = values['ticks'];
  if (ticksArg !== undefined && (typeof ticksArg !== 'string' || !/^\d+$/.test(ticksArg)))
    return usage(io, `--ticks must be a whole number ≥ 0, not "${String(ticksArg)}"`);
  const run = values['run'] === true || ticksArg !== undefined;
  if (!io.createHost) throw new Error('this build of quanta has no quantum host; run it through bin/quanta.mjs');

  const loaded = await loadMesh(new NodeFileSystem(dir));
  const baseline = baselineDir === undefined ? undefined : (await loadMesh(new NodeFileSystem(baselineDir))).mesh;
  const loadErrors = loaded.diagnostics.some((d) => d.severity === 'error');
  const host = io.createHost(run ? availableParallelism() : 1);
  const engine = new QuantumCatalogEngine(host);
  let report: GovernanceReport;
  let session: RunSession | undefined;
  try {
    // A mesh with errors is not run (quanta run refuses it too); its model is still checked.
    if (run && !loadErrors) session = await runMeshFor(loaded.mesh, dir, host, Number(ticksArg ?? 0), { out: io.out, err: io.err });
    report = await evaluatePolicies(loaded.mesh, engine, {
      ...(baseline ? { baseline, contractChanges: contractChanges(baseline, loaded.mesh) } : {}),
      ...(session ? { run: session.runtime, outputs: publishedData(loaded.mesh, session) } : {}),
    });
  } catch (error) {
    // Not the user's policies (their SQL errors are results): the quantum itself failed.
    io.err(`quanta check: the catalog quantum failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    engine.release();
    await host.dispose();
  }

  // What the change does to the products that read the changed contracts (no policies: they ran above).
  const impact = baseline ? await whatIf(baseline, loaded.mesh) : undefined;
  const verdict = impact ? judgeImpact(impact, failOn as FailOn) : undefined;
  const shown = (file: string): string => displayPath(io.cwd, dir, file);
  // Federation errors are already among the load diagnostics; SQL errors come from evaluation.
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...report.policies.flatMap((p) => (p.error ? [p.error] : []))]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const name = loaded.mesh.manifest?.name ?? nodePath.basename(dir);
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
}

function publishedData(mesh: Mesh, session: RunSession): PortData[] {
  return mesh.products.flatMap((p) =>
    p.outputPorts.flatMap((port) => {
      const ipc = session.runtime.latestVersion(p.id, port.name)?.ipc;
      return ipc ? [{ product: p.id, port: port.name, ipc }] : [];
    }),
  );
}

/** Contract changes of every output port whose contract also exists in the baseline (same product and port). */
export function contractChanges(baseline: Mesh, mesh: Mesh): ContractChangeRow[] {
  const rows: ContractChangeRow[] = [];
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const before = baseline.products.find((p) => p.id === product.id)?.outputPorts.find((p) => p.name === port.name)?.contract;
      const after = port.contract;
      if (!before || !after) continue;
      const from = yamlFile(baseline, before.file);
      const to = yamlFile(mesh, after.file);
      if (!from || !to) continue;
      const diff = diffContracts(from, to, { lenient: true }); // schema problems are among the mesh diagnostics
      // The diff's own verdicts on the version number are left to the policy that reads these rows.
      for (const change of diff.changes.filter((c) => !c.ruleId.startsWith('version-'))) {
        rows.push({
          contractId: after.id,
          productId: product.id,
          port: port.name,
          fromVersion: before.version,
          toVersion: after.version,
          ...(change.property === undefined ? {} : { column: change.property }),
          change: change.ruleId,
          breaking: change.severity === 'breaking',
          producerSeverity: change.producer,
          consumersSeverity: change.consumers,
          message: change.message,
        });
      }
    }
  }
  return rows;
}

function checkText(
  name: string,
  report: GovernanceReport,
  diagnostics: readonly Diagnostic[],
  errors: number,
  shown: (f: string) => string,
): string {
  const lines: string[] = [`${name} — ${plural(report.policies.length, 'policy')}, governance score ${report.score.score}/100`, ''];
  for (const d of diagnostics) lines.push(`${formatDiagnostic({ ...d, file: shown(d.file) })}`, `    hint: ${d.hint}`);
  if (diagnostics.length > 0) lines.push('');
  for (const policy of report.policies) {
    const tag = `[${policy.severity}, ${policy.scope}]`;
    if (policy.error) lines.push(`! ${policy.id}  ${tag}  could not be evaluated (see above)`);
    else if (policy.skipped) lines.push(`- ${policy.id}  ${tag}  skipped: ${policy.skipped}`);
    else if (policy.violations.length === 0) lines.push(`✓ ${policy.id}  ${tag}`);
    else {
      const mark = policy.severity === 'blocking' ? '✗' : '⚠';
      lines.push(
        `${mark} ${policy.id}  ${tag}  ${plural(policy.violations.length, 'violation')}${policy.truncated ? ' (first ones only)' : ''}`,
      );
      for (const v of policy.violations)
        lines.push(`    ${v.at ? `${shown(v.at.file)}:${v.at.line}:${v.at.column} ` : ''}${subject(v)}${v.message}`);
    }
  }
  const summary = `${plural(report.blocking, 'blocking violation')}, ${plural(report.warnings, 'warning')}, ${plural(errors, 'error')}`;
  lines.push('', `${errors === 0 && report.blocking === 0 ? '✓' : '✗'} ${summary} (score ${report.score.score}/100)`, '');
  return lines.join('\n');
}

function subject(v: Violation): string {
  const where = [v.product, v.port, v.column].filter((x) => x !== undefined).join('.');
  return where === '' ? '' : `${where}: `;
}

function checkJson(
  name: string,
  ok: boolean,
  report: GovernanceReport,
  diagnostics: readonly Diagnostic[],
  shown: (f: string) => string,
): object {
  const at = (v: Violation): object => (v.at ? { file: shown(v.at.file), line: v.at.line, col: v.at.column } : {});
  return {
    mesh: name,
    ok,
    blocking: report.blocking,
    warnings: report.warnings,
    score: report.score.score,
    policies: report.policies.map((p: PolicyResult) => ({
      id: p.id,
      title: p.title,
      scope: p.scope,
      severity: p.severity,
      source: p.source,
      ...(p.uses === undefined ? {} : { uses: p.uses }),
      file: shown(p.file),
      violations: p.violations.map((v) => ({
        product: v.product ?? null,
        domain: v.domain ?? null,
        port: v.port ?? null,
        column: v.column ?? null,
        message: v.message,
        ...at(v),
      })),
      ...(p.truncated ? { truncated: true } : {}),
      ...(p.error ? { error: { ...p.error, file: shown(p.error.file) } } : {}),
      ...(p.skipped === undefined ? {} : { skipped: p.skipped }),
    })),
    products: report.score.products,
    domains: report.score.domains,
    diagnostics: diagnostics.map((d) => ({ ...d, path: shown(d.file) })),
  };
}

function checkJunit(
  name: string,
  report: GovernanceReport,
  diagnostics: readonly Diagnostic[],
  shown: (f: string) => string,
  against?: { impact: WhatIfReport; verdict: ImpactVerdict },
): string {
  const cases: string[] = [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const validation = errors.map((d) => formatDiagnostic({ ...d, file: shown(d.file) })).join('\n');
  cases.push(
    `    <testcase classname="mesh" name="mesh files are valid">${errors.length > 0 ? `<failure message="${xml(`${plural(errors.length, 'error')}`)}" type="validation">${xml(validation)}</failure>` : ''}</testcase>`,
  );
  let failures = errors.length > 0 ? 1 : 0;
  let errored = 0;
  let skipped = 0;
  for (const p of report.policies) {
    const detail = p.violations
      .map((v) => `${v.at ? `${shown(v.at.file)}:${v.at.line}:${v.at.column} ` : ''}${subject(v)}${v.message}`)
      .join('\n');
    let body = '';
    if (p.error) {
      errored++;
      body = `<error message="${xml(p.error.message)}">${xml(formatDiagnostic({ ...p.error, file: shown(p.error.file) }))}</error>`;
    } else if (p.skipped) {
      skipped++;
      body = `<skipped message="${xml(p.skipped)}"/>`;
    } else if (p.violations.length > 0 && p.severity === 'blocking') {
      failures++;
      body = `<failure message="${xml(plural(p.violations.length, 'violation'))}" type="blocking">${xml(detail)}</failure>`;
    } else if (p.violations.length > 0) {
      body = `<system-out>${xml(`warning: ${plural(p.violations.length, 'violation')}\n${detail}`)}</system-out>`;
    }
    cases.push(`    <testcase classname="${xml(p.scope)}" name="${xml(`${p.id}: ${p.title}`)}">${body}</testcase>`);
  }
  if (against) {
    const more = impactJunit(against.impact, against.verdict, xml);
    cases.push(...more.cases);
    failures += more.failures;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="quanta check" tests="${cases.length}" failures="${failures}" errors="${errored}" skipped="${skipped}">`,
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${errored}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function usage(io: CheckIo, message: string): number {
  io.err(`quanta check: ${message}\nRun "quanta help" for usage.\n`);
  return 2;
}

async function meshDir(io: CheckIo, arg: string | undefined): Promise<string | undefined> {
  if (arg === undefined) return undefined;
  const dir = nodePath.resolve(io.cwd, arg);
  const stats = await fsp.stat(dir).catch(() => undefined);
  return stats?.isDirectory() ? dir : undefined;
}

function yamlFile(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}
