/**
 * JSON Schemas (draft 2019-09) of Quanta's own files. The standard files (ODPS, ODCS) use
 * the official schemas in core/standards/. These are documented for users in README.md,
 * "Mesh folder format"; keep the two in step.
 */
type JsonSchema = Record<string, unknown>;

// Ids of Quanta's own files: the id pattern of core/model/ids.ts without '_' and '.', at most 64 characters.
const slug = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } as const;
const text = { type: 'string' } as const;
const apiVersion = { type: 'string', enum: ['quanta/v1'] } as const;
const kind = (name: string): JsonSchema => ({ type: 'string', enum: [name] });
// A string has no JSON Schema `maximum`: core/load/durations.ts caps each knob's value (QUANTA_E058).
const duration = { type: 'string', pattern: '^[0-9]+(ms|s|m|h|d)$' } as const;

export const meshSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Mesh'),
    name: slug,
    title: text,
    description: text,
    teams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name'],
        additionalProperties: false,
        properties: {
          id: slug,
          name: text,
          description: text,
          members: {
            type: 'array',
            items: {
              type: 'object',
              required: ['username'],
              additionalProperties: false,
              properties: { username: text, name: text, role: text },
            },
          },
        },
      },
    },
    personas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name'],
        additionalProperties: false,
        properties: {
          id: slug,
          name: text,
          description: text,
          team: slug,
          purposes: { type: 'array', items: slug },
        },
      },
    },
    policies: { type: 'array', items: { type: 'string', pattern: '^quanta\\.[a-z0-9][a-z0-9-]*$' } },
  },
};

export const domainSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'id', 'name', 'team'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Domain'),
    id: slug,
    name: text,
    team: slug,
    description: text,
    color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
  },
};

const generatorColumn: JsonSchema = {
  type: 'object',
  required: ['name', 'type'],
  additionalProperties: false,
  properties: {
    name: text,
    type: { enum: ['sequence', 'integer', 'decimal', 'normal', 'choice', 'boolean', 'timestamp', 'text', 'reference'] },
    // sequence, integer, decimal, normal
    start: { type: ['number', 'string'] },
    step: { type: 'number' },
    min: { type: 'number' },
    max: { type: 'number' },
    mean: { type: 'number' },
    stddev: { type: 'number', minimum: 0 },
    scale: { type: 'integer', minimum: 0, maximum: 12 },
    // choice
    values: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
    weights: { type: 'array', items: { type: 'number', minimum: 0 } },
    // boolean
    probability: { type: 'number', minimum: 0, maximum: 1 },
    // timestamp: start + i * stepSeconds, with optional jitter
    // At most 100 years: beyond that generated timestamps leave the range a Date can hold.
    stepSeconds: { type: 'number', minimum: 0, maximum: 3_153_600_000 },
    jitterSeconds: { type: 'number', minimum: 0, maximum: 3_153_600_000 },
    // text: a template where {i} is the row number and {i:5} pads it to 5 digits
    template: text,
    // reference: a foreign key into another source, `<source>.<column>` or `<product>/<source>.<column>`
    references: { type: 'string', pattern: '^([a-z0-9][a-z0-9-]*/)?[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$' },
    nullShare: { type: 'number', minimum: 0, maximum: 1 },
  },
};

export const quantaSettingsSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'archetype'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('QuantumSettings'),
    archetype: { enum: ['source-aligned', 'aggregate', 'consumer-aligned'] },
    sources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          description: text,
          file: text,
          format: { enum: ['csv', 'jsonl', 'parquet'] },
          generator: {
            type: 'object',
            required: ['rows', 'seed', 'columns'],
            additionalProperties: false,
            properties: {
              rows: { type: 'integer', minimum: 0, maximum: 100_000_000 },
              rowsPerTick: { type: 'integer', minimum: 0, maximum: 100_000_000 },
              seed: { type: 'integer' },
              columns: { type: 'array', minItems: 1, items: generatorColumn },
            },
          },
        },
        oneOf: [{ required: ['file'] }, { required: ['generator'] }],
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      properties: {
        every: duration,
        onUpstreamPublish: { type: 'boolean' },
      },
    },
    simulation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        memoryLimit: { type: 'string', pattern: '^[0-9]{1,9}(KB|MB|GB)$' },
        timeout: duration,
        latency: duration,
      },
    },
  },
};

/** `layout.yaml`: editor positions only, so it is checked loosely (problems are warnings). */
export const layoutSchema: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Layout'),
    products: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['x', 'y'],
        additionalProperties: false,
        properties: { x: { type: 'number' }, y: { type: 'number' } },
      },
    },
  },
};

export const policySchema: JsonSchema = {
  type: 'object',
  // title, scope, severity and check are required unless `uses` or `overrides` supplies
  // them; core/governance/policy/policies.ts reports that with the field's name.
  required: ['apiVersion', 'kind', 'id'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Policy'),
    id: slug,
    title: text,
    description: text,
    rationale: text,
    scope: { type: 'string', pattern: '^(global|domain:[a-z0-9][a-z0-9-]*)$' },
    severity: { enum: ['blocking', 'warning'] },
    uses: { type: 'string', pattern: '^quanta\\.[a-z0-9][a-z0-9-]*$' },
    overrides: { type: 'string', pattern: '^(quanta\\.)?[a-z0-9][a-z0-9-]*$' },
    enabled: { type: 'boolean' },
    check: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sql: text,
        expression: text,
      },
      oneOf: [{ required: ['sql'] }, { required: ['expression'] }],
    },
  },
};

// The scenario format is large enough for a module of its own.
export { scenarioSchema } from './scenarioSchema.ts';

/*
 * Discovery files (docs/discovery.md). The schemas say the shape and the types; the value
 * rules (a rating 1..5, a date that is a real day, counts ≥ 0, exactly one of team | persona)
 * and the cross-references are checked by core/validate/discoveryChecks.ts, whose messages
 * say what the value should be rather than which schema keyword failed.
 */
const day = { type: 'string' } as const;
const count = { type: 'number' } as const;

export const feedbackSchema: JsonSchema = {
  type: 'object',
  required: ['kind', 'product', 'entries'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Feedback'),
    product: text,
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rating', 'date'],
        additionalProperties: false,
        properties: {
          team: text,
          persona: text,
          port: text,
          rating: count,
          comment: { type: 'string', maxLength: 2000 },
          date: day,
        },
      },
    },
  },
};

export const usageSchema: JsonSchema = {
  type: 'object',
  required: ['kind', 'product', 'ticks', 'ports'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: kind('Usage'),
    product: text,
    period: { type: 'object', additionalProperties: false, properties: { from: day, to: day } },
    ticks: count,
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['port', 'reads'],
        additionalProperties: false,
        properties: {
          port: text,
          reads: count,
          queries: { type: 'object', additionalProperties: count },
        },
      },
    },
  },
};
