import { hasUnsafeCharacters } from '../../model/ids.ts';
import { asFields, asList, asString } from '../../model/read.ts';

/*
 * A dbt `manifest.json` (what `dbt parse` writes in target/), read as untrusted input: JSON
 * errors say their line and column, only the schema versions dbt 1.5–1.11 write (v9–v12) are
 * read, and only the fields the import uses are taken, each checked for its type.
 */

export const SUPPORTED_SCHEMA_VERSIONS = [9, 10, 11, 12] as const;

export class DbtImportError extends Error {}

type Fields = Readonly<Record<string, unknown>>;

export interface ManifestColumn {
  readonly name: string;
  readonly dataType?: string;
  readonly description?: string;
  readonly meta: Fields;
  readonly tags: readonly string[];
  readonly constraints: readonly string[];
}

/** A model, seed or snapshot node of the manifest. */
export interface ManifestNode {
  readonly uniqueId: string;
  readonly resourceType: string;
  readonly name: string;
  readonly packageName: string;
  readonly originalFilePath?: string;
  readonly rawCode: string;
  readonly language: string;
  readonly description?: string;
  readonly meta: Fields;
  readonly tags: readonly string[];
  readonly group?: string;
  readonly access?: string;
  readonly version?: string;
  readonly latestVersion?: string;
  readonly columns: readonly ManifestColumn[];
  /** Model-level constraints: type and columns. */
  readonly constraints: readonly { readonly type: string; readonly columns: readonly string[] }[];
  readonly dependsOn: readonly string[];
  readonly enabled: boolean;
  /** `config.materialized`: table, view, incremental, ephemeral… */
  readonly materialized?: string;
  /** A seed's `column_types`. */
  readonly columnTypes: ReadonlyMap<string, string>;
}

export interface ManifestTest {
  readonly uniqueId: string;
  readonly name: string;
  /** not_null, unique, accepted_values, relationships… (undefined: a singular test). */
  readonly testName?: string;
  readonly namespace?: string;
  readonly column?: string;
  readonly attachedNode?: string;
  readonly values: readonly (string | number)[];
  readonly severity: string;
}

export interface ManifestSource {
  readonly uniqueId: string;
  readonly sourceName: string;
  readonly name: string;
  readonly description?: string;
  readonly sourceDescription?: string;
  readonly columns: readonly ManifestColumn[];
  readonly meta: Fields;
  readonly tags: readonly string[];
  readonly group?: string;
}

export interface ManifestGroup {
  readonly name: string;
  readonly ownerName?: string;
  readonly ownerEmail?: string;
  readonly description?: string;
}

export interface Manifest {
  readonly schemaVersion: number;
  readonly dbtVersion?: string;
  readonly project: string;
  readonly nodes: readonly ManifestNode[];
  readonly tests: readonly ManifestTest[];
  readonly sources: readonly ManifestSource[];
  readonly groups: readonly ManifestGroup[];
  /** Names of the disabled nodes (`disabled`), which dbt leaves out of `nodes`. */
  readonly disabled: readonly string[];
  /** Resources the import does not read, by kind, with how many. */
  readonly skipped: ReadonlyMap<string, number>;
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

export function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const where = lc
      ? `${lc[1]}:${lc[2]}`
      : at
        ? `${position(text, Number(at[1])).line}:${position(text, Number(at[1])).column}`
        : undefined;
    const what = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '');
    const end = where ?? `${position(text, text.length).line}:${position(text, text.length).column}`;
    throw new DbtImportError(`${shown}:${end}: not valid JSON (${what})`);
  }
}

const strings = (value: unknown): string[] => asList(value).flatMap((v) => (typeof v === 'string' ? [v] : []));
const text = (value: unknown): string | undefined => {
  const s = asString(value);
  return s === undefined || s.trim() === '' ? undefined : s;
};
/** dbt writes versions as numbers or strings. */
const versionText = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);

function columnsOf(value: unknown, dropped: string[]): ManifestColumn[] {
  return Object.entries(asFields(value)).flatMap(([key, raw]) => {
    const c = asFields(raw);
    const name = asString(c['name']) ?? key;
    if (name === '') return [];
    // A column name is shown in terminals and spliced into SQL identifiers: no control or bidi characters.
    if (hasUnsafeCharacters(name) || name.length > 256) {
      dropped.push(JSON.stringify(name.slice(0, 40)));
      return [];
    }
    const dataType = text(c['data_type']);
    const description = text(c['description']);
    return [
      {
        name,
        ...(dataType === undefined ? {} : { dataType }),
        ...(description === undefined ? {} : { description }),
        meta: { ...asFields(asFields(c['config'])['meta']), ...asFields(c['meta']) },
        tags: strings(c['tags']),
        constraints: asList(c['constraints']).flatMap((k) => strings([asFields(k)['type']])),
      },
    ];
  });
}

/** The schema version of `metadata.dbt_schema_version` (`https://schemas.getdbt.com/dbt/manifest/v12.json` → 12). */
export function schemaVersionOf(document: unknown): number | undefined {
  const url = asString(asFields(asFields(document)['metadata'])['dbt_schema_version']);
  const n = Number(/\/manifest\/v(\d+)\.json$/.exec(url ?? '')?.[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Reads a manifest's text; throws DbtImportError naming what is wrong. */
export function readManifest(json: string, shown = 'manifest.json'): Manifest {
  const document = parseJson(json, shown);
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new DbtImportError(`${shown}: not a dbt manifest (the JSON is not an object)`);
  const metadata = asFields(asFields(document)['metadata']);
  const url = asString(metadata['dbt_schema_version']);
  if (url === undefined) throw new DbtImportError(`${shown}: not a dbt manifest (no metadata.dbt_schema_version)`);
  const schemaVersion = schemaVersionOf(document);
  if (schemaVersion === undefined || !(SUPPORTED_SCHEMA_VERSIONS as readonly number[]).includes(schemaVersion))
    throw new DbtImportError(
      `${shown}: manifest schema ${url.slice(0, 120)} is not one Quanta reads (v9–v12, written by dbt 1.5–1.11); run \`dbt parse\` with dbt 1.5–1.11`,
    );
  const doc = asFields(document);
  const project = text(metadata['project_name']);
  const nodes: ManifestNode[] = [];
  const tests: ManifestTest[] = [];
  const skipped = new Map<string, number>();
  const skip = (kind: string): void => void skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
  const dropped: string[] = [];
  for (const [key, raw] of Object.entries(asFields(doc['nodes']))) {
    const n = asFields(raw);
    const config = asFields(n['config']);
    const resourceType = asString(n['resource_type']) ?? '?';
    const name = asString(n['name']);
    if (name === undefined || name === '') continue;
    const uniqueId = asString(n['unique_id']) ?? key;
    if (resourceType === 'test') {
      const metadataOfTest = asFields(n['test_metadata']);
      const kwargs = asFields(metadataOfTest['kwargs']);
      const testName = text(metadataOfTest['name']);
      const namespace = text(metadataOfTest['namespace']);
      const column = text(n['column_name']) ?? text(kwargs['column_name']);
      const attached = text(n['attached_node']) ?? strings(asFields(n['depends_on'])['nodes'])[0];
      const values = asList(kwargs['values'] ?? asFields(kwargs['arguments'])['values']).filter(
        (v): v is string | number => typeof v === 'string' || typeof v === 'number',
      );
      tests.push({
        uniqueId,
        name,
        ...(testName === undefined ? {} : { testName }),
        ...(namespace === undefined ? {} : { namespace }),
        ...(column === undefined ? {} : { column }),
        ...(attached === undefined ? {} : { attachedNode: attached }),
        values,
        severity: (asString(config['severity']) ?? 'error').toLowerCase(),
      });
      continue;
    }
    if (resourceType !== 'model' && resourceType !== 'seed' && resourceType !== 'snapshot') {
      skip(resourceType);
      continue;
    }
    const description = text(n['description']);
    const originalFilePath = text(n['original_file_path']);
    const group = text(n['group']) ?? text(config['group']);
    const access = text(n['access']) ?? text(config['access']);
    const version = versionText(n['version']);
    const latestVersion = versionText(n['latest_version']);
    nodes.push({
      uniqueId,
      resourceType,
      name,
      packageName: asString(n['package_name']) ?? project ?? '',
      ...(originalFilePath === undefined ? {} : { originalFilePath }),
      rawCode: asString(n['raw_code']) ?? asString(n['raw_sql']) ?? '',
      language: asString(n['language']) ?? 'sql',
      ...(description === undefined ? {} : { description }),
      meta: { ...asFields(config['meta']), ...asFields(n['meta']) },
      tags: [...new Set([...strings(n['tags']), ...strings(config['tags'])])],
      ...(group === undefined ? {} : { group }),
      ...(access === undefined ? {} : { access }),
      ...(version === undefined ? {} : { version }),
      ...(latestVersion === undefined ? {} : { latestVersion }),
      columns: columnsOf(n['columns'], dropped),
      constraints: asList(n['constraints']).map((k) => ({
        type: asString(asFields(k)['type']) ?? '',
        columns: strings(asFields(k)['columns']),
      })),
      dependsOn: strings(asFields(n['depends_on'])['nodes']),
      enabled: config['enabled'] !== false,
      ...(text(config['materialized']) === undefined ? {} : { materialized: text(config['materialized']) ?? '' }),
      columnTypes: new Map(Object.entries(asFields(config['column_types'])).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : []))),
    });
  }
  const sources: ManifestSource[] = [];
  for (const [key, raw] of Object.entries(asFields(doc['sources']))) {
    const s = asFields(raw);
    const sourceName = asString(s['source_name']);
    const name = asString(s['name']);
    if (sourceName === undefined || name === undefined || sourceName === '' || name === '') continue;
    const description = text(s['description']);
    const sourceDescription = text(s['source_description']);
    const group = text(asFields(s['config'])['group']);
    sources.push({
      uniqueId: asString(s['unique_id']) ?? key,
      sourceName,
      name,
      ...(description === undefined ? {} : { description }),
      ...(sourceDescription === undefined ? {} : { sourceDescription }),
      columns: columnsOf(s['columns'], dropped),
      meta: { ...asFields(s['source_meta']), ...asFields(s['meta']) },
      tags: strings(s['tags']),
      ...(group === undefined ? {} : { group }),
    });
  }
  const groups = Object.values(asFields(doc['groups'])).flatMap((raw): ManifestGroup[] => {
    const g = asFields(raw);
    const name = asString(g['name']);
    if (name === undefined || name === '') return [];
    const owner = asFields(g['owner']);
    const ownerName = text(owner['name']);
    const ownerEmail = text(owner['email']);
    const description = text(g['description']);
    return [
      {
        name,
        ...(ownerName === undefined ? {} : { ownerName }),
        ...(ownerEmail === undefined ? {} : { ownerEmail }),
        ...(description === undefined ? {} : { description }),
      },
    ];
  });
  for (const kind of ['exposures', 'metrics', 'semantic_models', 'saved_queries', 'unit_tests'] as const) {
    const count = Object.keys(asFields(doc[kind])).length;
    if (count > 0) skipped.set(kind.replace(/_/g, ' '), count);
  }
  if (dropped.length > 0)
    skipped.set(
      `columns whose names hold control characters or are over 256 characters (${dropped.slice(0, 5).join(', ')})`,
      dropped.length,
    );
  const disabled = Object.values(asFields(doc['disabled'])).flatMap((list) =>
    asList(list).flatMap((n) => {
      const name = asString(asFields(n)['name']);
      const type = asString(asFields(n)['resource_type']) ?? 'node';
      return name === undefined || name === '' || hasUnsafeCharacters(name) ? [] : [`${type} ${name.slice(0, 100)}`];
    }),
  );
  const dbtVersion = text(metadata['dbt_version']);
  return {
    schemaVersion,
    ...(dbtVersion === undefined ? {} : { dbtVersion }),
    project: project ?? 'dbt_project',
    nodes,
    tests,
    sources,
    groups,
    disabled,
    skipped,
  };
}
