import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { basename } from '../fs/meshFileSystem.ts';
import { asFields, asList, asString, defined } from '../model/read.ts';
import type { FeedbackEntry, FeedbackFile, MeshFiles, PortUsageCount, UsageFile } from '../model/types.ts';
import { feedbackSchema, usageSchema } from '../schemas/quantaSchemas.ts';
import { checkSchema } from '../validate/schemaCheck.ts';
import { locate, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { yamlFile } from './buildProduct.ts';
import { FEEDBACK_SUFFIX, USAGE_SUFFIX } from './readMeshFiles.ts';

/*
 * feedback/<product>.feedback.yaml and usage/<product>.usage.yaml → the model
 * (docs/discovery.md). The values a ranking would be misled by — a rating of 7, a date that
 * is not a day, a negative count — are reported here with their place and left out of the
 * model; names that must exist elsewhere (product, team, persona, port) are checked by
 * core/validate/discoveryChecks.ts and kept, since the rating itself is still a rating.
 */

/** The largest count kept: beyond it a number is no longer an exact whole number. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function buildFeedbackFiles(files: MeshFiles, out: Diagnostic[]): FeedbackFile[] {
  return buildEach(files, 'feedback/', FEEDBACK_SUFFIX, feedbackSchema, 'Quanta feedback', buildFeedback, out);
}

export function buildUsageFiles(files: MeshFiles, out: Diagnostic[]): UsageFile[] {
  return buildEach(files, 'usage/', USAGE_SUFFIX, usageSchema, 'Quanta usage', buildUsage, out);
}

/** A `YYYY-MM-DD` that is a real calendar day (2026-02-30 is not). */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === dayOfMonth;
}

function buildEach<T extends { file: string; product: string }>(
  files: MeshFiles,
  folder: string,
  suffix: string,
  schema: object,
  standard: string,
  build: (file: YamlSourceFile, out: Diagnostic[]) => T | undefined,
  out: Diagnostic[],
): T[] {
  const built: T[] = [];
  const paths = [...files.keys()].filter((p) => p.startsWith(folder) && p.endsWith(suffix) && !p.slice(folder.length).includes('/')).sort();
  for (const path of paths) {
    const file = yamlFile(files, path);
    if (!file || file.value === undefined || file.diagnostics.length > 0) continue;
    out.push(...checkSchema(file, schema, standard));
    if (asFields(file.value)['kind'] !== kindOf(suffix)) continue;
    const item = build(file, out);
    if (!item) continue;
    // One file per product, named after it: the file name is then the only place to look.
    const stem = basename(path).slice(0, -suffix.length);
    if (stem !== item.product) {
      out.push(
        diagnostic(
          'QUANTA_E097',
          locate(file, ['product']),
          `${path} is about product "${item.product}", so it must be named ${folder}${item.product}${suffix}; it is not used`,
        ),
      );
      continue;
    }
    built.push(item);
  }
  return built;
}

function kindOf(suffix: string): string {
  return suffix === FEEDBACK_SUFFIX ? 'Feedback' : 'Usage';
}

function buildFeedback(file: YamlSourceFile, out: Diagnostic[]): FeedbackFile | undefined {
  const raw = asFields(file.value);
  const product = asString(raw['product']);
  if (product === undefined) return undefined;
  const entries: FeedbackEntry[] = [];
  asList(raw['entries']).forEach((value, index) => {
    const entry = asFields(value);
    const at = (field: string): YamlPath => ['entries', index, field];
    const team = asString(entry['team']);
    const persona = asString(entry['persona']);
    const rating = entry['rating'];
    const date = asString(entry['date']);
    const comment = asString(entry['comment']);
    let usable = true;
    if ((team === undefined) === (persona === undefined)) {
      const both = team !== undefined;
      out.push(
        diagnostic(
          'QUANTA_E096',
          locate(file, both ? at('persona') : ['entries', index], { key: both }),
          `feedback entry ${index + 1} of ${file.path} ${both ? 'has both team and persona' : 'has neither team nor persona'}; give exactly one`,
        ),
      );
      usable = false;
    }
    if (typeof rating === 'number' && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      out.push(
        diagnostic(
          'QUANTA_E093',
          locate(file, at('rating')),
          `rating ${String(rating)} in feedback entry ${index + 1} of ${file.path} is not a whole number from 1 to 5`,
        ),
      );
      usable = false;
    }
    if (date !== undefined && !isDay(date)) {
      out.push(notADay(file, at('date'), date, `feedback entry ${index + 1}`));
      usable = false;
    }
    // Wrong types and missing fields are the schema's diagnostics; such an entry is left out too.
    if (!usable || typeof rating !== 'number' || date === undefined || (comment !== undefined && comment.length > 2000)) return;
    entries.push(defined({ team, persona, port: asString(entry['port']), rating, comment, date, index }));
  });
  return { file: file.path, product, entries };
}

function buildUsage(file: YamlSourceFile, out: Diagnostic[]): UsageFile | undefined {
  const raw = asFields(file.value);
  const product = asString(raw['product']);
  if (product === undefined) return undefined;
  const ticks = raw['ticks'];
  if (typeof ticks !== 'number') return undefined;
  if (!isCount(ticks) || ticks < 1) {
    out.push(
      diagnostic(
        'QUANTA_E095',
        locate(file, ['ticks']),
        `ticks ${String(ticks)} in ${file.path} must be a whole number from 1 to ${MAX_COUNT}; the file is not used`,
      ),
    );
    return undefined;
  }
  const rawPeriod = asFields(raw['period']);
  const period = defined({ from: asString(rawPeriod['from']), to: asString(rawPeriod['to']) });
  for (const edge of ['from', 'to'] as const) {
    const value = period[edge];
    if (value !== undefined && !isDay(value)) out.push(notADay(file, ['period', edge], value, 'the period'));
  }
  if (period.from !== undefined && period.to !== undefined && isDay(period.from) && isDay(period.to) && period.from > period.to) {
    out.push(
      diagnostic(
        'QUANTA_E094',
        locate(file, ['period', 'to']),
        `the period of ${file.path} ends (${period.to}) before it starts (${period.from})`,
      ),
    );
  }
  const ports: PortUsageCount[] = [];
  const seen = new Set<string>();
  asList(raw['ports']).forEach((value, index) => {
    const entry = asFields(value);
    const port = asString(entry['port']);
    const reads = entry['reads'];
    if (port === undefined || typeof reads !== 'number') return;
    if (seen.has(port)) {
      out.push(diagnostic('QUANTA_E098', locate(file, ['ports', index, 'port']), `port "${port}" is listed twice in ${file.path}`));
      return;
    }
    seen.add(port);
    if (!isCount(reads)) {
      out.push(tooFar(file, ['ports', index, 'reads'], reads, `reads of port "${port}"`));
      return;
    }
    const counted: [string, number][] = [];
    let usable = true;
    for (const [persona, n] of Object.entries(asFields(entry['queries']))) {
      if (typeof n !== 'number') continue;
      if (!isCount(n)) {
        out.push(tooFar(file, ['ports', index, 'queries', persona], n, `queries by "${persona}" of port "${port}"`));
        usable = false;
      } else counted.push([persona, n]);
    }
    // fromEntries defines own properties: a persona id "__proto__" stays a key, never a prototype.
    if (usable) ports.push({ port, reads, queries: Object.fromEntries(counted) });
  });
  return defined({ file: file.path, product, ticks, period: Object.keys(period).length > 0 ? period : undefined, ports });
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_COUNT;
}

function notADay(file: YamlSourceFile, path: YamlPath, value: string, what: string): Diagnostic {
  return diagnostic(
    'QUANTA_E094',
    locate(file, path),
    `"${value.slice(0, 40)}" in ${what} of ${file.path} is not a YYYY-MM-DD calendar day`,
  );
}

function tooFar(file: YamlSourceFile, path: YamlPath, n: number, what: string): Diagnostic {
  return diagnostic(
    'QUANTA_E095',
    locate(file, path),
    `${what} in ${file.path} is ${String(n)}; it must be a whole number from 0 to ${MAX_COUNT}, so the port is not counted`,
  );
}
