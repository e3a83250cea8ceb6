import type { YamlSourceFile } from '../yaml/sourceFile.ts';

/**
 * The mesh as Quanta understands it. Derived from the files every time they change (see
 * load/buildMesh.ts); the files stay the source of truth so that nothing the user wrote,
 * comments and unknown fields included, is lost.
 */
export type Archetype = 'source-aligned' | 'aggregate' | 'consumer-aligned';
export const ARCHETYPES: readonly Archetype[] = ['source-aligned', 'aggregate', 'consumer-aligned'];

export interface TextSourceFile {
  readonly path: string;
  readonly text: string;
}

/** Every file of the mesh that Quanta reads, by mesh-relative path. */
export type MeshFiles = ReadonlyMap<string, YamlSourceFile | TextSourceFile>;

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export interface Persona {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly team?: string;
  readonly purposes: readonly string[];
}

export interface MeshManifest {
  readonly file: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly teams: readonly Team[];
  readonly personas: readonly Persona[];
  /** Built-in policies the whole mesh uses, by id (`policies: [quanta.owner-declared]`). */
  readonly policies?: readonly string[];
}

export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly team: string;
  readonly description: string;
  readonly color?: string;
  /** Folder of the domain, e.g. `domains/media-player`. */
  readonly dir: string;
  readonly file: string;
}

export interface ContractColumn {
  readonly name: string;
  readonly logicalType?: string;
  readonly physicalType?: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly classification?: string;
  readonly description?: string;
}

export interface ContractTable {
  readonly name: string;
  readonly columns: readonly ContractColumn[];
}

/** An ODCS v3.1.0 data contract; `document` is the whole parsed file. */
export interface Contract {
  readonly file: string;
  readonly id: string;
  readonly version: string;
  readonly status: string;
  readonly name?: string;
  readonly tables: readonly ContractTable[];
  readonly document: Readonly<Record<string, unknown>>;
}

export interface InputPort {
  readonly name: string;
  readonly contractId: string;
  readonly version: string;
  /** Index in the ODPS `inputPorts` list, to point diagnostics and edits at it. */
  readonly index: number;
}

export interface OutputPort {
  readonly name: string;
  readonly version: string;
  readonly contractId?: string;
  readonly description?: string;
  readonly index: number;
  /** The `<name>.odcs.yaml` beside the product, when it exists and parses. */
  readonly contract?: Contract;
}

export interface GeneratorColumn {
  readonly name: string;
  readonly type: 'sequence' | 'integer' | 'decimal' | 'normal' | 'choice' | 'boolean' | 'timestamp' | 'text' | 'reference';
  readonly start?: number | string;
  readonly step?: number;
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly stddev?: number;
  readonly scale?: number;
  readonly values?: readonly (string | number | boolean)[];
  readonly weights?: readonly number[];
  readonly probability?: number;
  readonly stepSeconds?: number;
  readonly jitterSeconds?: number;
  readonly template?: string;
  readonly references?: string;
  readonly nullShare?: number;
}

export interface Generator {
  readonly rows: number;
  readonly rowsPerTick?: number;
  readonly seed: number;
  readonly columns: readonly GeneratorColumn[];
}

export interface Source {
  readonly name: string;
  readonly description?: string;
  /** Path relative to the product folder, as written. */
  readonly file?: string;
  /** Mesh-relative path of `file`, when it stays inside the mesh. */
  readonly resolvedFile?: string;
  readonly format?: 'csv' | 'jsonl' | 'parquet';
  readonly generator?: Generator;
  readonly index: number;
}

export interface QuantumSettings {
  readonly file: string;
  readonly archetype: Archetype;
  readonly sources: readonly Source[];
  readonly schedule: { readonly every?: string; readonly onUpstreamPublish: boolean };
  readonly simulation: { readonly memoryLimit?: string; readonly timeout?: string; readonly latency?: string };
}

export interface DataProduct {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly status: string;
  readonly version?: string;
  readonly purpose?: string;
  readonly team?: string;
  /** Folder of the product, e.g. `domains/media-player/play-events`. */
  readonly dir: string;
  readonly file: string;
  readonly inputPorts: readonly InputPort[];
  readonly outputPorts: readonly OutputPort[];
  readonly settings?: QuantumSettings;
  readonly transform?: TextSourceFile;
}

export interface Policy {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly rationale?: string;
  readonly scope: string;
  readonly severity: 'blocking' | 'warning';
  /** Empty when the policy takes its check from `uses` or `overrides`. */
  readonly check: { readonly sql?: string; readonly expression?: string };
  /** A built-in policy (core/governance/policy/library.ts) this policy applies, e.g. `quanta.owner-declared`. */
  readonly uses?: string;
  /** A global policy this domain policy replaces in its domain (see core/governance/policy/policies.ts). */
  readonly overrides?: string;
  /** `enabled: false` switches the policy (or, with `overrides`, the overridden one in this domain) off. */
  readonly enabled?: boolean;
}

export type ScenarioPrinciple = 'domain-ownership' | 'data-as-a-product' | 'self-serve-platform' | 'federated-governance' | 'incident';
export type ScenarioLevel = 'beginner' | 'intermediate' | 'advanced';

/**
 * A fault a scenario injects: the same shape as core/run/faults.ts `Fault` (the model may not
 * import the runtime; core/scenarios/scenarioActions.ts fails to compile if the two drift).
 */
export type ScenarioFault =
  | { readonly kind: 'dropColumn'; readonly product: string; readonly table: string; readonly column: string }
  | { readonly kind: 'renameColumn'; readonly product: string; readonly table: string; readonly column: string; readonly to: string }
  | { readonly kind: 'nullSpike'; readonly product: string; readonly table: string; readonly column: string; readonly share: number }
  | { readonly kind: 'delaySource'; readonly product: string; readonly ticks: number }
  | { readonly kind: 'crash'; readonly product: string };

/** A file edit of core/edits/meshEdits.ts (`MeshEdit`) a scenario may make; same shape. */
export type ScenarioEdit =
  | { readonly kind: 'setField'; readonly file: string; readonly path: readonly (string | number)[]; readonly value: unknown }
  | { readonly kind: 'deleteField'; readonly file: string; readonly path: readonly (string | number)[] }
  | { readonly kind: 'setText'; readonly file: string; readonly text: string }
  | { readonly kind: 'deleteFile'; readonly file: string };

/** One of the editor's change objects (core/edits/meshChanges.ts `MeshChange`), fields as written; the schema checks them per kind. */
export interface ScenarioChange {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** What a scenario does to the mesh or its runtime: in `setup`, in a step's `events`, in a step's `solution`. */
export type ScenarioAction =
  /** Runs every product now (`product` absent), or one. */
  | { readonly kind: 'run'; readonly product?: string }
  | { readonly kind: 'tick'; readonly ticks: number }
  | { readonly kind: 'fault'; readonly fault: ScenarioFault }
  | { readonly kind: 'clearFaults'; readonly product?: string }
  | { readonly kind: 'edit'; readonly edit: ScenarioEdit }
  | { readonly kind: 'change'; readonly change: ScenarioChange }
  /** Writes (or replaces) a whole mesh file. */
  | { readonly kind: 'file'; readonly path: string; readonly text: string };

export interface ScenarioEvent {
  readonly action: ScenarioAction;
  readonly title?: string;
  /** Ticks after its step started; absent: when the step starts. */
  readonly afterTicks?: number;
}

/** A machine-checked condition over the mesh and its runtime (docs/scenarios.md lists them). */
export type ScenarioGoal = { readonly title?: string } & (
  | { readonly kind: 'status'; readonly product: string; readonly is: 'published' | 'refused' | 'failed' | 'stale' }
  | { readonly kind: 'violations'; readonly policy: string; readonly product?: string; readonly atMost?: number; readonly equals?: number }
  | { readonly kind: 'valid' }
  | { readonly kind: 'nonBreaking'; readonly product: string; readonly port: string }
  | {
      readonly kind: 'query';
      readonly persona?: string;
      readonly sql: string;
      readonly expect: 'rows' | 'denied' | 'masked';
      readonly column?: string;
      readonly minRows?: number;
    }
  | { readonly kind: 'governanceScore'; readonly atLeast: number }
  | { readonly kind: 'scorecard'; readonly product: string; readonly atLeast: number }
  | { readonly kind: 'fresh'; readonly product: string; readonly port?: string }
);

export interface ScenarioRole {
  readonly id: string;
  readonly title: string;
  readonly domain?: string;
  readonly brief?: string;
}

export interface ScenarioStep {
  readonly title: string;
  readonly instructions?: string;
  readonly events: readonly ScenarioEvent[];
  readonly goals: readonly ScenarioGoal[];
  /** Revealed one at a time, in order. */
  readonly hints: readonly string[];
  /** The reference solution of this step: what a participant does, played by `quanta scenario check --solution`. */
  readonly solution: readonly ScenarioAction[];
}

/**
 * A workshop scenario (`scenarios/<id>.scenario.yaml`, docs/scenarios.md). Entries the
 * model could not read (a goal of an unknown kind, an event that does nothing) are left out
 * here and reported by core/validate/scenarioChecks.ts.
 */
export interface Scenario {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly principle?: ScenarioPrinciple;
  readonly level?: ScenarioLevel;
  readonly minutes?: number;
  /** Markdown. */
  readonly briefing?: string;
  /** Who participants are: query goals without a persona of their own run as this one. */
  readonly persona?: string;
  readonly roles: readonly ScenarioRole[];
  readonly setup: readonly ScenarioAction[];
  readonly steps: readonly ScenarioStep[];
}

/** Where the editor draws a node; Quanta-only, so kept out of the standard files. */
export interface NodePosition {
  readonly x: number;
  readonly y: number;
}

/** `layout.yaml` at the mesh root: node positions by product id (optional). */
export interface MeshLayout {
  readonly file: string;
  readonly products: ReadonlyMap<string, NodePosition>;
}

export interface Mesh {
  readonly files: MeshFiles;
  readonly manifest?: MeshManifest;
  /** Absent when the mesh has no layout.yaml (or it cannot be read); the editor then lays out itself. */
  readonly layout?: MeshLayout;
  readonly domains: readonly Domain[];
  readonly products: readonly DataProduct[];
  readonly policies: readonly Policy[];
  readonly scenarios: readonly Scenario[];
  /** `feedback/<product>.feedback.yaml`: consumers' ratings (docs/discovery.md). */
  readonly feedback: readonly FeedbackFile[];
  /** `usage/<product>.usage.yaml`: reads and persona queries per output port (docs/discovery.md). */
  readonly usage: readonly UsageFile[];
}

/**
 * One consumer's rating of a product (or one of its output ports), by a team or a persona of
 * mesh.yaml. Entries whose values are unusable (a rating of 7, a date that is not a day) are
 * left out of the model and reported; `index` is the entry's place in the file's `entries`.
 */
export interface FeedbackEntry {
  readonly team?: string;
  readonly persona?: string;
  readonly port?: string;
  /** A whole number from 1 to 5. */
  readonly rating: number;
  readonly comment?: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly index: number;
}

export interface FeedbackFile {
  readonly file: string;
  readonly product: string;
  readonly entries: readonly FeedbackEntry[];
}

export interface PortUsageCount {
  readonly port: string;
  /** Reads by consumer products' runs over the file's `ticks`. */
  readonly reads: number;
  /** Persona queries by persona id, over the same ticks. */
  readonly queries: Readonly<Record<string, number>>;
}

export interface UsageFile {
  readonly file: string;
  readonly product: string;
  /** Simulated ticks the counts cover (≥ 1). */
  readonly ticks: number;
  readonly period?: { readonly from?: string; readonly to?: string };
  readonly ports: readonly PortUsageCount[];
}
