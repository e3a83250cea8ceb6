/**
 * JSON Schema (draft 2019-09) of a workshop scenario, `scenarios/<id>.scenario.yaml`.
 * docs/scenarios.md is the user's description of the same format; keep the two in step.
 *
 * What a schema says badly is left to core/validate/scenarioChecks.ts, which names it
 * precisely: an unknown goal kind, an unknown fault kind, an event that does nothing or
 * two things at once, and every reference to a product, port, policy or persona. So
 * `kind` of goals and faults is only "a string" here; the fields each kind needs are
 * required per kind (if/then), and a kind nobody knows gets one clear error, not two.
 */
type JsonSchema = Record<string, unknown>;

/** The editor changes (core/edits/meshChanges.ts `MeshChange`) a scenario may make; scenarioActions.ts checks they still are. */
export const SCENARIO_CHANGE_KINDS = [
  'createDomain',
  'createProduct',
  'connectPorts',
  'disconnectPort',
  'renameProduct',
  'renameDomain',
  'deleteProduct',
  'moveNodes',
] as const;

const slug = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } as const;
const text = { type: 'string' } as const;
const count = { type: 'integer', minimum: 0, maximum: 1_000_000 } as const;
/**
 * 1,000 ticks of an hour, six weeks of simulated time: the most one event may ask for. A
 * scenario is untrusted input; a tick runs what is due in the whole mesh, so a bigger number
 * would keep `quanta scenario check` (or a room's browser) busy for hours.
 */
export const MAX_EVENT_TICKS = 1000;
const ticks = { type: 'integer', minimum: 1, maximum: MAX_EVENT_TICKS } as const;
const yamlPath = { type: 'array', minItems: 1, items: { type: ['string', 'integer'] } } as const;
const meshPath = { type: 'string', minLength: 1, maxLength: 400 } as const;

/** `if kind is X then these fields are required`, one per kind. */
function requiredPerKind(kinds: Readonly<Record<string, readonly string[]>>): JsonSchema[] {
  return Object.entries(kinds).map(([name, required]) => ({
    if: { properties: { kind: { const: name } }, required: ['kind'] },
    then: { required: [...required] },
  }));
}

export const FAULT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  dropColumn: ['product', 'table', 'column'],
  renameColumn: ['product', 'table', 'column', 'to'],
  nullSpike: ['product', 'table', 'column', 'share'],
  delaySource: ['product', 'ticks'],
  crash: ['product'],
};

const fault: JsonSchema = {
  type: 'object',
  required: ['kind', 'product'],
  additionalProperties: false,
  properties: {
    kind: text,
    product: slug,
    table: text,
    column: text,
    to: text,
    share: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    ticks,
  },
  allOf: requiredPerKind(FAULT_FIELDS),
};

/** The file edits of core/edits/meshEdits.ts a scenario may make (addInputPort is the editor's, through `change`). */
const edit: JsonSchema = {
  type: 'object',
  required: ['kind', 'file'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['setField', 'deleteField', 'setText', 'deleteFile'] },
    file: meshPath,
    path: yamlPath,
    value: true,
    text,
  },
  allOf: requiredPerKind({ setField: ['path', 'value'], deleteField: ['path'], setText: ['text'] }),
};

const portRef = {
  type: 'object',
  required: ['productId', 'port'],
  additionalProperties: false,
  properties: { productId: slug, port: text },
} as const;

/** The editor's change objects (core/edits/meshChanges.ts MeshChange), with the fields each kind needs. */
const change: JsonSchema = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: {
      enum: [...SCENARIO_CHANGE_KINDS],
    },
    id: slug,
    name: text,
    team: slug,
    description: text,
    domain: slug,
    archetype: { enum: ['source-aligned', 'aggregate', 'consumer-aligned'] },
    upstreams: { type: 'array', items: portRef },
    position: {
      type: 'object',
      required: ['x', 'y'],
      additionalProperties: false,
      properties: { x: { type: 'number' }, y: { type: 'number' } },
    },
    from: portRef,
    to: slug,
    productId: slug,
    inputPort: text,
    domainId: slug,
    positions: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['x', 'y'], properties: { x: { type: 'number' }, y: { type: 'number' } } },
    },
  },
  allOf: requiredPerKind({
    createDomain: ['id', 'name'],
    createProduct: ['domain', 'id', 'name', 'archetype'],
    connectPorts: ['from', 'to'],
    disconnectPort: ['productId', 'inputPort'],
    renameProduct: ['productId', 'name'],
    renameDomain: ['domainId', 'name'],
    deleteProduct: ['productId'],
    moveNodes: ['positions'],
  }),
};

/** The keys that make an event; exactly one per event (scenarioChecks.ts says so when not). */
export const EVENT_ACTIONS = ['run', 'tick', 'fault', 'clearFaults', 'edit', 'change', 'file'] as const;

const actionProperties = {
  title: text,
  run: slug, // `all`, or one product's id
  tick: ticks,
  fault,
  clearFaults: slug, // `all`, or one product's id
  edit,
  change,
  file: {
    type: 'object',
    required: ['path', 'text'],
    additionalProperties: false,
    properties: { path: meshPath, text },
  },
} as const;

const action: JsonSchema = { type: 'object', additionalProperties: false, properties: actionProperties };
const stepEvent: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...actionProperties, afterTicks: { type: 'integer', minimum: 0, maximum: MAX_EVENT_TICKS } },
};

export const GOAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  status: ['product', 'is'],
  violations: ['policy'],
  valid: [],
  nonBreaking: ['product', 'port'],
  query: ['sql', 'expect'],
  governanceScore: ['atLeast'],
  scorecard: ['product', 'atLeast'],
  fresh: ['product'],
};

const goal: JsonSchema = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: text,
    title: text,
    product: slug,
    port: text,
    is: { enum: ['published', 'refused', 'failed', 'stale'] },
    policy: { type: 'string', pattern: '^(quanta\\.)?[a-z0-9][a-z0-9-]*$' },
    atMost: count,
    equals: count,
    persona: slug,
    sql: text,
    expect: { enum: ['rows', 'denied', 'masked'] },
    column: text,
    minRows: count,
    atLeast: { type: 'number', minimum: 0, maximum: 100 },
  },
  allOf: requiredPerKind(GOAL_FIELDS),
};

export const scenarioSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'id', 'title', 'steps'],
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string', enum: ['quanta/v1'] },
    kind: { type: 'string', enum: ['Scenario'] },
    id: slug,
    title: text,
    description: text,
    principle: { enum: ['domain-ownership', 'data-as-a-product', 'self-serve-platform', 'federated-governance', 'incident'] },
    level: { enum: ['beginner', 'intermediate', 'advanced'] },
    minutes: { type: 'integer', minimum: 1, maximum: 600 },
    briefing: text,
    persona: slug,
    roles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title'],
        additionalProperties: false,
        properties: { id: slug, title: text, domain: slug, brief: text },
      },
    },
    setup: { type: 'array', maxItems: 200, items: action },
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        // `goals` is required too, but said by scenarioChecks.ts: a step of the old format
        // (`action:`) gets one warning there (QUANTA_W086) instead of an error here.
        required: ['title'],
        additionalProperties: false,
        properties: {
          title: text,
          instructions: text,
          events: { type: 'array', maxItems: 200, items: stepEvent },
          goals: { type: 'array', minItems: 1, maxItems: 50, items: goal },
          hints: { type: 'array', maxItems: 20, items: text },
          solution: { type: 'array', maxItems: 200, items: action },
        },
      },
    },
  },
};
