import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { diagnostic, formatDiagnostic, startOf, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { diffContracts, type ContractDiff, type ContractSide } from '../../governance/diff/contractDiff.ts';
import type { ChangeSeverity, ContractChange } from '../../governance/diff/diffRules.ts';
import { decodeText, MAX_METADATA_BYTES, parseYaml, type YamlSourceFile } from '../../yaml/sourceFile.ts';
import { MeshReadError } from '../../fs/meshFileSystem.ts';
import { limitsFromEnv, readRegularFile } from '../boundedRead.ts';
import { parseOptions, UsageError, type Command } from './command.ts';

/**
 * `quanta diff <v1.odcs.yaml> <v2.odcs.yaml> [--json] [--lenient]`. Exit codes: 0 no
 * breaking change, 1 a breaking change (the headline verdict, docs/contract-diff.md), 2 a
 * wrong command line or a file that is missing, unreadable, not YAML or (unless --lenient)
 * rejected by the ODCS schema — each problem printed with its place, never diffed silently.
 */
export const diff: Command = {
  name: 'diff',
  usage: `  quanta diff <v1.odcs.yaml> <v2.odcs.yaml> [--json] [--lenient]
      Compare two versions of an ODCS contract: one line per change with its rule id and its
      headline severity (breaking, warning, info), judged from the producer's and the
      consumers' side (docs/contract-diff.md). Exit code 1 if any change is breaking. Both
      files must be valid ODCS v3.1.0: each schema problem is printed (file:line:col) and the
      diff refused with exit code 2; --lenient prints them as warnings and diffs anyway.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, lenient: { type: 'boolean' } });
    const [first, second, ...extra] = positionals;
    if (first === undefined || second === undefined || extra.length > 0) {
      throw new UsageError(`expected two contract files, got ${positionals.length}: quanta diff <v1.odcs.yaml> <v2.odcs.yaml>`);
    }
    const v1 = await readContract(io.cwd, first);
    const v2 = await readContract(io.cwd, second);
    const unreadable = [v1, v2].flatMap((r) => ('diagnostic' in r ? [r.diagnostic] : []));
    if (!('file' in v1) || !('file' in v2)) return reportInvalid(io, unreadable, false);
    const lenient = values['lenient'] === true;
    const diff = diffContracts(v1.file, v2.file, { lenient });
    if (diff.refused) return reportInvalid(io, diff.diagnostics, lenient);
    // --lenient: the schema problems, now warnings, still go to stderr, so --json stays one object on stdout.
    for (const d of diff.diagnostics) io.err(`${formatDiagnostic(d)}\n    hint: ${d.hint}\n`);
    if (values['json'] === true) {
      io.out(`${JSON.stringify(diffJson(diff), null, 2)}\n`);
    } else {
      for (const change of diff.changes) io.out(`${formatChange(change)}\n`);
      io.out(`${summary(diff)}\n`);
    }
    return diff.breaking ? 1 : 0;
  },
};

function reportInvalid(io: { readonly err: (text: string) => void }, diagnostics: readonly Diagnostic[], lenient: boolean): number {
  for (const d of diagnostics) io.err(`${formatDiagnostic(d)}\n    hint: ${d.hint}\n`);
  const problems = diagnostics.length === 1 ? 'problem' : 'problems';
  // Only a file that is not YAML (or unreadable) is refused under --lenient: there is nothing to compare.
  const advice = lenient ? `fix the ${problems} above first` : `fix the ${problems} above first, or diff anyway with --lenient`;
  io.err(`✗ quanta diff compares two valid ODCS v3.1.0 contracts; ${advice}\n`);
  return 2;
}

async function readContract(cwd: string, arg: string): Promise<{ file: YamlSourceFile } | { diagnostic: Diagnostic }> {
  const absolute = nodePath.resolve(cwd, arg);
  const shown = (nodePath.relative(cwd, absolute) || arg).split(nodePath.sep).join('/');
  let bytes: Uint8Array;
  try {
    const stats = await fsp.stat(absolute);
    if (stats.isDirectory()) return { diagnostic: diagnostic('QUANTA_E008', startOf(shown), `${shown} is a folder, not a contract file`) };
    // Regular files only, bounded like every mesh file: a FIFO or a device never ends.
    bytes = await readRegularFile(absolute, shown, { ...limitsFromEnv(), maxBytes: MAX_METADATA_BYTES });
  } catch (error) {
    if (error instanceof MeshReadError) return { diagnostic: diagnostic('QUANTA_E008', startOf(shown), error.message) };
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    return { diagnostic: diagnostic('QUANTA_E008', startOf(shown), `cannot read ${shown}: ${why}`) };
  }
  const decoded = decodeText(shown, bytes);
  if ('diagnostic' in decoded) return decoded;
  return { file: parseYaml(shown, decoded.text) };
}

export function formatChange(change: ContractChange): string {
  const subject =
    change.schema === undefined ? 'contract' : change.property === undefined ? change.schema : `${change.schema}.${change.property}`;
  const { file, line, column } = change.where;
  return `${change.severity.padEnd(8)} ${change.ruleId} ${subject}: ${change.message} (${file}:${line}:${column})`;
}

function counts(diff: ContractDiff): Record<ChangeSeverity, number> {
  const out: Record<ChangeSeverity, number> = { breaking: 0, warning: 0, info: 0 };
  for (const change of diff.changes) out[change.severity]++;
  return out;
}

function name(side: ContractSide): string {
  return side.id === undefined ? side.file : `${side.id} ${side.version ?? '?'}`;
}

function summary(diff: ContractDiff): string {
  const n = counts(diff);
  const versions = `${name(diff.from)} → ${diff.to.id === diff.from.id ? (diff.to.version ?? '?') : name(diff.to)}`;
  if (diff.changes.length === 0) return `✓ no changes (${versions})`;
  const parts = `${n.breaking} breaking, ${n.warning} ${n.warning === 1 ? 'warning' : 'warnings'}, ${n.info} info`;
  const total = `${diff.changes.length} ${diff.changes.length === 1 ? 'change' : 'changes'}`;
  return diff.breaking ? `✗ ${total}: ${parts} (${versions})` : `✓ no breaking changes; ${total}: ${parts} (${versions})`;
}

export function diffJson(diff: ContractDiff): object {
  return {
    breaking: diff.breaking,
    from: diff.from,
    to: diff.to,
    counts: counts(diff),
    diagnostics: diff.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      file: d.file,
      line: d.line,
      column: d.column,
      message: d.message,
    })),
    changes: diff.changes.map((c) => ({
      ruleId: c.ruleId,
      severity: c.severity,
      producer: c.producer,
      consumers: c.consumers,
      side: c.side,
      schema: c.schema,
      property: c.property,
      columns: c.columns,
      message: c.message,
      file: c.where.file,
      line: c.where.line,
      column: c.where.column,
    })),
  };
}
