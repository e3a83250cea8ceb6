import type { ContractCheck } from '../contracts/checkTypes.ts';
import { indexPublishers, resolveInputPort } from '../lineage/lineageGraph.ts';
import { tableStatements } from './dbtExport.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { DataProduct, Mesh } from '../model/types.ts';
import { duckdbTypeOf } from '../run/declaredTypes.ts';
import type { MeshRuntime } from '../run/meshRuntime.ts';
import { compilePort } from '../run/publishVerdict.ts';
import type { CheckResult, ProductRun } from '../run/runTypes.ts';
import { contentHash } from '../util/contentHash.ts';

/*
 * OpenLineage run events of a mesh run (issue 17; docs/openlineage.md): per product run a
 * START when its quantum starts and a COMPLETE (published) or FAIL (refused, failed) when it
 * ends. Jobs and datasets live in the mesh's namespace (`quanta://<mesh>`): a job per product
 * (`<product>`), a dataset per output port (`<product>.<port>`) and per source
 * (`<product>.source.<name>`). Output datasets carry the schema facet (the published columns),
 * the data-quality assertions facet (every contract check, passed or not), the dataset
 * version and, when the caller can derive it from the transform, column lineage. Events follow
 * the official spec (2-0-2); the tests validate every one against its JSON Schema.
 */

export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACETS = 'https://openlineage.io/spec/facets';

export interface LineageColumn {
  readonly name: string;
  readonly type: string;
}

/** What one output port ended with: its columns and version (published), or the refused candidate's columns. */
export interface PortOutcome {
  readonly port: string;
  readonly columns: readonly LineageColumn[];
  readonly version?: number;
  readonly rows?: number;
}

/** A columnLineage facet's `fields` for a transform, from a SQL analysis the caller has (the CLI: polyglot). */
export type ColumnLineage = (
  sql: string,
  namespace: string,
) =>
  | Readonly<
      Record<string, { readonly inputFields: readonly { readonly namespace: string; readonly name: string; readonly field: string }[] }>
    >
  | undefined;

export interface OpenLineageOptions {
  /** Default `quanta://<mesh name>`. */
  readonly namespace?: string;
  /** The producer URI of every event and facet. */
  readonly producer: string;
  readonly columnLineage?: ColumnLineage;
}

export type RunEvent = Readonly<Record<string, unknown>>;

export function meshNamespace(mesh: Mesh): string {
  return `quanta://${encodeURIComponent(mesh.manifest?.name ?? 'mesh')}`;
}

/** A UUID (RFC 9562 version 8, custom) from the run's identity: unique per mesh, product, tick and start time. */
export function runUuid(...parts: readonly string[]): string {
  const text = new TextEncoder().encode(parts.join('\u0000'));
  const hex = contentHash(text) + contentHash(new TextEncoder().encode(`${parts.join('\u0001')}#2`));
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Collects the events of one session: call `started` when a product's quantum starts and
 * `finished` when its run settles (MeshRuntime's `onEvent`), then read `events`.
 */
export class OpenLineageRecorder {
  readonly #mesh: Mesh;
  readonly #options: OpenLineageOptions;
  readonly #namespace: string;
  readonly #publishers: ReturnType<typeof indexPublishers>;
  readonly #open = new Map<string, string>(); // product → runId of its START
  readonly #events: RunEvent[] = [];

  constructor(mesh: Mesh, options: OpenLineageOptions) {
    this.#mesh = mesh;
    this.#options = options;
    this.#namespace = options.namespace ?? meshNamespace(mesh);
    this.#publishers = indexPublishers(mesh.products);
  }

  get events(): readonly RunEvent[] {
    return [...this.#events];
  }

  started(productId: string, tick: number, at: Date): void {
    const product = this.#product(productId);
    if (!product) return;
    const runId = runUuid(this.#namespace, productId, String(tick), at.toISOString(), String(this.#events.length));
    this.#open.set(productId, runId);
    this.#events.push(this.#event('START', product, runId, at, {}, this.#inputs(product), []));
  }

  finished(run: ProductRun, at: Date, outcomes: readonly PortOutcome[]): void {
    const product = this.#product(run.product);
    if (!product) return;
    let runId = this.#open.get(run.product);
    this.#open.delete(run.product);
    if (run.skipped !== undefined || run.status === 'stale') {
      // Started, then did not run after all (an upstream failed meanwhile, or the pass was stopped): the run is aborted.
      if (runId !== undefined) {
        const reason = run.skipped ?? (run.staleBecause ? `stale: ${run.staleBecause.join(', ')} did not publish` : 'stale');
        const facets = { errorMessage: { ...this.#facet('ErrorMessageRunFacet', '1-0-1'), message: reason, programmingLanguage: 'SQL' } };
        this.#events.push(this.#event('ABORT', product, runId, at, facets, this.#inputs(product), []));
      }
      return;
    }
    // A run that settled without a start (e.g. refused before its quantum) still gets its pair.
    if (runId === undefined) {
      runId = runUuid(this.#namespace, run.product, String(run.tick), at.toISOString(), 'settled');
      this.#events.push(this.#event('START', product, runId, new Date(at.getTime() - run.durationMs), {}, this.#inputs(product), []));
    }
    const published = run.status === 'published';
    const runFacets: Record<string, unknown> = {};
    if (!published) {
      const failed = run.checks.filter((c) => !c.passed && c.severity === 'error');
      const message =
        run.problem?.message ??
        (failed.length > 0
          ? `publish refused: ${failed.map((c) => `${c.port} ${c.description || c.id}: ${c.message}`).join('; ')}`
          : `run ${run.status}`);
      runFacets['errorMessage'] = {
        ...this.#facet('ErrorMessageRunFacet', '1-0-1'),
        message: message.slice(0, 4000),
        programmingLanguage: 'SQL',
        ...(run.problem?.file ? { stackTrace: `${run.problem.file}${run.problem.line ? `:${run.problem.line}` : ''}` } : {}),
      };
    }
    const outputs = outcomes.map((o) => this.#output(product, o, run.checks, published));
    this.#events.push(this.#event(published ? 'COMPLETE' : 'FAIL', product, runId, at, runFacets, this.#inputs(product), outputs));
  }

  #product(id: string): DataProduct | undefined {
    return this.#mesh.products.find((p) => p.id === id);
  }

  #facet(name: string, version: string): Record<string, string> {
    return { _producer: this.#options.producer, _schemaURL: `${FACETS}/${version}/${name}.json#/$defs/${name}` };
  }

  #inputs(product: DataProduct): RunEvent[] {
    const ports = product.inputPorts.flatMap((input) => {
      const publisher = resolveInputPort(this.#publishers, input);
      return publisher ? [{ namespace: this.#namespace, name: `${publisher.product.id}.${publisher.port.name}` }] : [];
    });
    const sources = (product.settings?.sources ?? []).map((s) => ({ namespace: this.#namespace, name: `${product.id}.source.${s.name}` }));
    return [...ports, ...sources];
  }

  #output(product: DataProduct, outcome: PortOutcome, checks: readonly CheckResult[], published: boolean): RunEvent {
    const port = product.outputPorts.find((p) => p.name === outcome.port);
    const compiled = new Map<string, ContractCheck>(compilePort(outcome.port, port?.contract).checks.map((c) => [c.id, c]));
    const assertions = checks
      .filter((c) => c.port === outcome.port)
      .map((c) => {
        const check = compiled.get(c.id);
        return {
          assertion: assertionName(check, c),
          success: c.passed,
          ...(check?.column !== undefined && !check.column.includes(',') ? { column: check.column } : {}),
          severity: c.severity === 'error' ? 'error' : 'warn',
          ...(c.message ? { message: c.message.slice(0, 1000) } : {}),
        };
      });
    const facets: Record<string, unknown> = {
      schema: {
        ...this.#facet('SchemaDatasetFacet', '1-2-0'),
        fields: outcome.columns.map((c, i) => ({ name: c.name, type: c.type, ordinal_position: i + 1 })),
      },
      dataQualityAssertions: { ...this.#facet('DataQualityAssertionsDatasetFacet', '1-1-0'), assertions },
    };
    if (published && outcome.version !== undefined)
      facets['version'] = { ...this.#facet('DatasetVersionDatasetFacet', '1-0-1'), datasetVersion: String(outcome.version) };
    const team = product.team ?? this.#mesh.domains.find((d) => d.id === product.domain)?.team;
    if (team) facets['ownership'] = { ...this.#facet('OwnershipDatasetFacet', '1-0-1'), owners: [{ name: `team:${team}`, type: 'team' }] };
    if (port?.description)
      facets['documentation'] = { ...this.#facet('DocumentationDatasetFacet', '1-1-0'), description: port.description };
    const lineage = this.#options.columnLineage && product.transform ? this.#columnLineage(product, outcome) : undefined;
    if (lineage) facets['columnLineage'] = { ...this.#facet('ColumnLineageDatasetFacet', '1-2-0'), fields: lineage };
    return {
      namespace: this.#namespace,
      name: `${product.id}.${outcome.port}`,
      facets,
      ...(outcome.rows !== undefined && published
        ? { outputFacets: { outputStatistics: { ...this.#facet('OutputStatisticsOutputDatasetFacet', '1-0-2'), rowCount: outcome.rows } } }
        : {}),
    };
  }

  /** The analysis's input tables renamed from the transform's local names to datasets of the mesh. */
  #columnLineage(product: DataProduct, outcome: PortOutcome): Record<string, unknown> | undefined {
    const query = tableStatements(product).find((t) => t.table === outcome.port)?.query;
    const fields = query === undefined ? undefined : this.#options.columnLineage?.(query, this.#namespace);
    if (!fields) return undefined;
    const names = new Map<string, string>();
    for (const input of product.inputPorts) {
      const publisher = resolveInputPort(this.#publishers, input);
      if (publisher) names.set(input.name.toLowerCase(), `${publisher.product.id}.${publisher.port.name}`);
    }
    for (const source of product.settings?.sources ?? []) names.set(source.name.toLowerCase(), `${product.id}.source.${source.name}`);
    for (const other of product.outputPorts) names.set(other.name.toLowerCase(), `${product.id}.${other.name}`);
    const known = new Set(outcome.columns.map((c) => c.name));
    const out: Record<string, unknown> = {};
    for (const [column, field] of Object.entries(fields)) {
      if (!known.has(column)) continue;
      const inputFields = field.inputFields.flatMap((f) => {
        const dataset = names.get(f.name.toLowerCase());
        return dataset ? [{ namespace: this.#namespace, name: dataset, field: f.field }] : [];
      });
      out[column] = { inputFields };
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  #event(
    eventType: string,
    product: DataProduct,
    runId: string,
    at: Date,
    runFacets: Record<string, unknown>,
    inputs: RunEvent[],
    outputs: RunEvent[],
  ): RunEvent {
    return {
      eventType,
      eventTime: at.toISOString(),
      producer: this.#options.producer,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId, ...(Object.keys(runFacets).length > 0 ? { facets: runFacets } : {}) },
      job: {
        namespace: this.#namespace,
        name: product.id,
        facets: {
          jobType: { ...this.#facet('JobTypeJobFacet', '2-0-4'), processingType: 'BATCH', integration: 'QUANTA', jobType: 'DATA_PRODUCT' },
          ...(product.transform
            ? { sql: { ...this.#facet('SQLJobFacet', '1-1-0'), query: product.transform.text, dialect: 'duckdb' } }
            : {}),
        },
      },
      inputs,
      outputs,
    };
  }
}

/**
 * Each output port's columns when a run settles, read from the runtime at once (it moves on):
 * as published, as the refused candidate had them, or as its contract declares them.
 */
export function portOutcomes(
  mesh: Mesh,
  runtime: Pick<MeshRuntime, 'latestVersion' | 'candidate'>,
  productId: string,
  published: boolean,
): PortOutcome[] {
  const product = mesh.products.find((p) => p.id === productId);
  return (product?.outputPorts ?? []).map((port) => {
    const version = published ? runtime.latestVersion(productId, port.name) : undefined;
    if (version?.columns) return { port: port.name, columns: version.columns, version: version.version, rows: version.rows };
    const candidate = runtime.candidate(productId, port.name);
    if (candidate) return { port: port.name, columns: candidate.columns, rows: candidate.rows };
    const schema = asList(port.contract?.document['schema']).map(asFields);
    const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
    const columns = asList(table?.['properties']).flatMap((raw) => {
      const property = asFields(raw);
      const name = asString(property['name']);
      return name ? [{ name, type: duckdbTypeOf(property) ?? 'UNKNOWN' }] : [];
    });
    return { port: port.name, columns };
  });
}

/** The events as OpenLineage's file format: one JSON object a line. */
export function jsonLines(events: readonly RunEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** OpenLineage's assertion names where a check is one of them, else the contract check's kind. */
function assertionName(check: ContractCheck | undefined, result: CheckResult): string {
  switch (check?.kind) {
    case 'required':
    case 'nullValues':
      return 'not_null';
    case 'unique':
    case 'duplicateValues':
      return 'unique';
    case 'primaryKey':
      return 'primary_key';
    case 'rowCount':
      return 'row_count';
    case 'sql':
      return 'custom_sql';
    case 'invalidValues':
      return 'accepted_values';
    case 'constraint':
      return check.option ?? 'constraint';
    case 'missingValues':
      return 'missing_values';
    default:
      return result.id.startsWith('policy:') ? 'policy' : result.id.includes('schema') ? 'schema' : 'check';
  }
}
