import { formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { GovernanceReport, PolicyResult, Violation } from '../../governance/policy/evaluate.ts';
import type { WhatIfReport } from '../../governance/whatIf.ts';
import { plural } from '../cliText.ts';
import { impactJunit, type ImpactVerdict } from './checkImpact.ts';

/* The report of `quanta check` as text for people, one JSON object for scripts, or JUnit XML for CI. */

export function checkText(
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

export function checkJson(
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

export function checkJunit(
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
