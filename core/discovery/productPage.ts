import { listRules } from '../edits/qualityRules.ts';
import { diffContracts } from '../governance/diff/contractDiff.ts';
import { scoreProduct, type ProductScorecard, type ScorecardInputs } from '../governance/scorecard.ts';
import { indexPublishers, LineageGraph, resolveInputPort } from '../lineage/lineageGraph.ts';
import { asFields, asList, asString, asText, defined } from '../model/read.ts';
import type { Contract, DataProduct, FeedbackEntry, Mesh, OutputPort } from '../model/types.ts';
import type { RunFacts } from './rank.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';

/*
 * The product page (issue 16, the discovery port): everything a read-only page of one data
 * product shows, gathered from the mesh's files and, when given, from its runs. One model for
 * the app's product page and the `quanta docs` site, so both say the same thing. Pure: no run
 * happens here; the caller passes what its session measured.
 */

export type { RunFacts } from './rank.ts';
export type { FeedbackEntry } from '../model/types.ts';

export interface PortVersionFact {
  readonly product: string;
  readonly port: string;
  readonly version: number;
  readonly at?: string;
  readonly rows?: number;
  readonly contractVersion?: string;
}

export interface QualityResultFact {
  readonly product: string;
  readonly port: string;
  /** The check id as core/contracts/contractChecks.ts names it: `<table>.<column>.quality[<i>]`, `<table>.<column>.required`… */
  readonly rule: string;
  readonly passed: boolean;
  readonly detail?: string;
  /** What the check checks, in words (a run's CheckResult.description): shown for checks that are not quality rules. */
  readonly text?: string;
  /** `error` or `warning` (a run's CheckResult.severity), for checks that are not quality rules. */
  readonly severity?: string;
}

/** Optional run facts; the docs site and the app pass what they have. */
export interface ProductPageFacts {
  readonly runs?: readonly RunFacts[];
  readonly portVersions?: readonly PortVersionFact[];
  readonly qualityResults?: readonly QualityResultFact[];
  readonly freshness?: readonly { product: string; port: string; ageText: string; met: boolean }[];
  /**
   * The contract file as it was at a contract version, when the caller kept it: versions whose
   * contract differs from the previous one list the changes between the two (contract diff).
   */
  readonly contractFiles?: readonly { product: string; port: string; contractVersion: string; file: YamlSourceFile }[];
  /** Runs and persona usage for the scorecard's run-based criteria (MeshRuntime satisfies `runs`). */
  readonly scorecard?: ScorecardInputs;
  /**
   * Scorecards already worked out (`scoreMesh(mesh, scorecard)`), by product: a caller building
   * every page passes them, since scoring one product reads the whole mesh.
   */
  readonly scorecards?: ReadonlyMap<string, ProductScorecard>;
}

export interface PortColumn {
  readonly table: string;
  readonly name: string;
  readonly type?: string;
  readonly logicalType?: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly classification?: string;
  readonly description?: string;
}

export interface PortQualityRule {
  /** The check id of the rule (see QualityResultFact.rule). */
  readonly rule: string;
  /** What it checks, in words (core/edits/qualityRules.ts `describeRule`). */
  readonly text: string;
  readonly severity?: string;
  readonly latest?: { passed: boolean; detail?: string };
}

export interface PortVersionPage {
  readonly version: number;
  readonly at?: string;
  readonly rows?: number;
  readonly contractVersion?: string;
  /** What changed in the contract since the previous version listed, when its contract version differs and both files are known. */
  readonly contractChanges: readonly string[];
}

export interface PortPage {
  readonly name: string;
  readonly description?: string;
  readonly contractId?: string;
  readonly contractVersion?: string;
  readonly contractStatus?: string;
  readonly contractFile?: string;
  readonly columns: readonly PortColumn[];
  readonly quality: readonly PortQualityRule[];
  readonly slas: readonly { property: string; value: string; measured?: string; met?: boolean }[];
  readonly versions: readonly PortVersionPage[];
}

export interface ProductPage {
  readonly id: string;
  readonly name: string;
  readonly domain: { id: string; name: string };
  readonly owner?: { id: string; name: string };
  readonly archetype: string;
  readonly status?: string;
  readonly version?: string;
  readonly tags: readonly string[];
  readonly description: { purpose?: string; usage?: string; limitations?: string };
  readonly outputs: readonly PortPage[];
  readonly inputs: readonly { port: string; contractId: string; version?: string; upstream?: { product: string; port: string } }[];
  /** Product ids, direct. */
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /** Products reading an output port: `port` is ours, `via` their input port. */
  readonly consumers: readonly { product: string; port: string; via: string }[];
  readonly scorecard: ProductScorecard;
  /** Newest first. */
  readonly feedback: { mean?: number; count: number; entries: readonly FeedbackEntry[] };
}

/** The page of `productId`; undefined when the mesh has no such product. */
export function buildProductPage(mesh: Mesh, productId: string, facts: ProductPageFacts = {}): ProductPage | undefined {
  const product = mesh.products.find((p) => p.id === productId);
  const { graph, publishers } = lineageOf(mesh);
  const scorecard = facts.scorecards?.get(productId) ?? scoreProduct(mesh, productId, facts.scorecard ?? {});
  if (!product || !scorecard) return undefined;
  const domain = mesh.domains.find((d) => d.id === product.domain);
  const ownerId = product.team ?? domain?.team;
  const team = mesh.manifest?.teams.find((t) => t.id === ownerId);
  const odps = asFields(yamlFile(mesh, product.file)?.value);
  return {
    id: product.id,
    name: product.name,
    domain: { id: product.domain, name: domain?.name ?? product.domain },
    ...(ownerId === undefined ? {} : { owner: { id: ownerId, name: team?.name ?? ownerId } }),
    archetype: product.settings?.archetype ?? 'unknown',
    ...defined({ status: product.status || undefined, version: product.version }),
    tags: stringsOf(odps['tags']),
    description: descriptionOf(odps['description'], product),
    outputs: product.outputPorts.map((port) => portPage(mesh, product, port, facts)),
    inputs: product.inputPorts.map((port) => {
      const publisher = resolveInputPort(publishers, port);
      return {
        port: port.name,
        contractId: port.contractId,
        ...(port.version ? { version: port.version } : {}),
        ...(publisher ? { upstream: { product: publisher.product.id, port: publisher.port.name } } : {}),
      };
    }),
    upstream: graph.upstream(product.id),
    downstream: graph.downstream(product.id),
    consumers: graph.edges.filter((e) => e.from === product.id).map((e) => ({ product: e.to, port: e.outputPort, via: e.inputPort })),
    scorecard,
    feedback: feedbackOf(mesh, product.id),
  };
}

const lineageCache = new WeakMap<Mesh, { graph: LineageGraph; publishers: ReturnType<typeof indexPublishers> }>();

/** Lineage, worked out once per mesh (a mesh is immutable): a site builds every product's page from it. */
function lineageOf(mesh: Mesh): { graph: LineageGraph; publishers: ReturnType<typeof indexPublishers> } {
  const cached = lineageCache.get(mesh);
  if (cached) return cached;
  const built = { graph: new LineageGraph(mesh.products), publishers: indexPublishers(mesh.products) };
  lineageCache.set(mesh, built);
  return built;
}

function portPage(mesh: Mesh, product: DataProduct, port: OutputPort, facts: ProductPageFacts): PortPage {
  const contract = port.contract;
  const at = (f: { product: string; port: string }): boolean => f.product === product.id && f.port === port.name;
  return {
    name: port.name,
    ...defined({
      description: port.description,
      contractId: port.contractId,
      contractVersion: contract?.version ?? port.version,
      contractStatus: contract?.status,
      contractFile: contract?.file,
    }),
    columns: contract ? columnsOf(contract) : [],
    quality: contract ? qualityOf(mesh, contract, (facts.qualityResults ?? []).filter(at)) : [],
    slas: contract ? slasOf(contract, (facts.freshness ?? []).find(at)) : [],
    versions: versionsOf((facts.portVersions ?? []).filter(at), (facts.contractFiles ?? []).filter(at)),
  };
}

function columnsOf(contract: Contract): PortColumn[] {
  return contract.tables.flatMap((table) =>
    table.columns.map((c) => ({
      table: table.name,
      name: c.name,
      ...defined({ type: c.physicalType, logicalType: c.logicalType }),
      required: c.required,
      unique: c.unique,
      primaryKey: c.primaryKey,
      ...defined({ classification: c.classification, description: c.description }),
    })),
  );
}

/**
 * The contract's quality rules in words, each with its latest result; then the column
 * promises (required, unique, primary key) and schema conformance, which run as checks too,
 * when a result for them was given.
 */
function qualityOf(mesh: Mesh, contract: Contract, results: readonly QualityResultFact[]): PortQualityRule[] {
  const file = yamlFile(mesh, contract.file);
  const latest = (rule: string): { latest?: { passed: boolean; detail?: string } } => {
    const result = results.find((r) => r.rule === rule);
    return result ? { latest: defined({ passed: result.passed, detail: result.detail }) } : {};
  };
  const rules: PortQualityRule[] = (file ? listRules(file) : []).map((listed) => {
    const table = contract.tables[listed.where.table]?.name ?? listed.target;
    const id = `${table}${listed.where.property === undefined ? '' : `.${listed.target}`}.quality[${listed.index}]`;
    return { rule: id, text: listed.says, severity: listed.severity, ...latest(id) };
  });
  const listed = new Set(rules.map((r) => r.rule));
  for (const result of results) {
    if (listed.has(result.rule)) continue;
    listed.add(result.rule);
    rules.push({
      rule: result.rule,
      text: result.text ?? builtinText(result.rule),
      ...(result.severity === undefined ? {} : { severity: result.severity }),
      ...latest(result.rule),
    });
  }
  return rules;
}

/** A built-in check's id in words: `orders.id.required` → "id: no null values". */
function builtinText(id: string): string {
  const match = /^(?:.*)\.([^.]+)\.(required|unique|primaryKey)$/.exec(id);
  if (!match) return id;
  const [, column, kind] = match;
  if (kind === 'required') return `${column ?? ''}: no null values (required)`;
  if (kind === 'unique') return `${column ?? ''}: no repeated values (unique)`;
  return `(${(column ?? '').split('+').join(', ')}): primary key, never null or repeated`;
}

const FRESHNESS_PROPERTIES = new Set(['latency', 'freshness']);

function slasOf(contract: Contract, freshness: { ageText: string; met: boolean } | undefined): PortPage['slas'] {
  return asList(contract.document['slaProperties']).flatMap((raw) => {
    const sla = asFields(raw);
    const property = asString(sla['property']);
    if (property === undefined) return [];
    const value = asText(sla['value']) ?? (sla['value'] === undefined ? '' : JSON.stringify(sla['value']));
    const unit = asString(sla['unit']);
    const measured = FRESHNESS_PROPERTIES.has(property.toLowerCase()) ? freshness : undefined;
    return [
      {
        property,
        value: unit ? `${value} ${unit}` : value,
        ...(measured ? { measured: measured.ageText, met: measured.met } : {}),
      },
    ];
  });
}

function versionsOf(versions: readonly PortVersionFact[], files: NonNullable<ProductPageFacts['contractFiles']>): PortVersionPage[] {
  const fileOf = (contractVersion: string | undefined): YamlSourceFile | undefined =>
    files.find((f) => f.contractVersion === contractVersion)?.file;
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  return ordered.map((v, i) => {
    const previous = ordered[i - 1];
    const before = fileOf(previous?.contractVersion);
    const after = fileOf(v.contractVersion);
    const changed = previous !== undefined && previous.contractVersion !== v.contractVersion;
    const changes = changed && before && after ? diffContracts(before, after, { lenient: true }).changes.map((c) => c.message) : [];
    return { version: v.version, ...defined({ at: v.at, rows: v.rows, contractVersion: v.contractVersion }), contractChanges: changes };
  });
}

function descriptionOf(raw: unknown, product: DataProduct): ProductPage['description'] {
  if (typeof raw === 'string') return { purpose: raw };
  const parts = asFields(raw);
  return defined({
    purpose: asString(parts['purpose']) ?? product.purpose,
    usage: asString(parts['usage']),
    limitations: asString(parts['limitations']),
  });
}

/** Every rating of the product (feedback/<product>.feedback.yaml), newest first, and their mean. */
function feedbackOf(mesh: Mesh, productId: string): ProductPage['feedback'] {
  const entries = mesh.feedback
    .filter((f) => f.product === productId)
    .flatMap((f) => f.entries)
    .sort((a, b) => b.date.localeCompare(a.date) || a.index - b.index);
  const mean = entries.length > 0 ? entries.reduce((sum, e) => sum + e.rating, 0) / entries.length : undefined;
  return { ...(mean === undefined ? {} : { mean }), count: entries.length, entries };
}

function stringsOf(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

function yamlFile(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}
