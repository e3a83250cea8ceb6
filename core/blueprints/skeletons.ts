import { Document, isScalar, Scalar, visit } from 'yaml';
import type { ContractColumn } from '../model/types.ts';

/*
 * The parts of a blueprint that must agree with each other: the columns a contract
 * skeleton promises and the transform stub that produces exactly those columns, so a new
 * product publishes on its first run.
 */

/** One ODCS schema property, written in the order the samples use. */
export interface SkeletonColumn {
  readonly name: string;
  readonly logicalType: string;
  readonly physicalType: string;
  readonly description?: string;
  readonly primaryKey?: boolean;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly classification?: string;
  readonly quality?: readonly Record<string, unknown>[];
}

export const GENERATED_STATUSES = ['new', 'active', 'closed'] as const;

/** A source-aligned product's first port: records as a generator emits them, one per 6 minutes. */
export function sourceColumns(): SkeletonColumn[] {
  return [
    {
      name: 'record_id',
      logicalType: 'integer',
      physicalType: 'BIGINT',
      description: 'Id of the record, increasing in the order the source emitted them.',
      primaryKey: true,
      required: true,
      unique: true,
    },
    {
      name: 'recorded_at',
      logicalType: 'timestamp',
      physicalType: 'TIMESTAMP',
      description: 'When the source recorded it (UTC).',
      required: true,
    },
    {
      name: 'status',
      logicalType: 'string',
      physicalType: 'VARCHAR',
      description: 'State of the record.',
      required: true,
      quality: [{ metric: 'invalidValues', arguments: { validValues: [...GENERATED_STATUSES] }, mustBe: 0, severity: 'error' }],
    },
    { name: 'amount', logicalType: 'number', physicalType: 'DECIMAL(10,2)', description: 'An amount, two decimals.', required: true },
  ];
}

/** The generator declared in quanta.yaml that feeds `sourceColumns` (cast in the transform). */
export function sourceGenerator(seed: number): Record<string, unknown> {
  return {
    rows: 100,
    rowsPerTick: 10,
    seed,
    columns: [
      { name: 'record_id', type: 'sequence' },
      { name: 'recorded_at', type: 'timestamp', start: '2026-11-01T00:00:00Z', stepSeconds: 360 },
      { name: 'status', type: 'choice', values: [...GENERATED_STATUSES], weights: [20, 70, 10] },
      { name: 'amount', type: 'decimal', min: 1, max: 500, scale: 2 },
    ],
  };
}

export function sourceTransform(port: string, source: string): string {
  return `-- The output port \`${port}\` is the result of this query.
-- \`${source}\` is the generated source declared in quanta.yaml: replace its generator with
-- the real columns, or with a seed file (\`file: data/${source}.csv\`), and shape them here.
SELECT
  CAST(record_id AS BIGINT) AS record_id,
  CAST(recorded_at AS TIMESTAMP) AS recorded_at,
  status,
  CAST(amount AS DECIMAL(10, 2)) AS amount
FROM ${source}
ORDER BY record_id
`;
}

/** A product without inputs yet: one constant row, so it runs before anything is connected. */
export function constantColumns(): SkeletonColumn[] {
  return [
    { name: 'item_id', logicalType: 'integer', physicalType: 'BIGINT', primaryKey: true, required: true, unique: true },
    { name: 'label', logicalType: 'string', physicalType: 'VARCHAR', required: true },
    { name: 'amount', logicalType: 'number', physicalType: 'DECIMAL(10,2)', required: true },
    { name: 'updated_at', logicalType: 'timestamp', physicalType: 'TIMESTAMP', required: true },
  ];
}

export function constantTransform(port: string): string {
  return `-- The output port \`${port}\` is the result of this query.
-- A constant row until input ports are connected: each input port is a table named after
-- the port. Keep the columns in step with ${port}.odcs.yaml.
SELECT
  CAST(1 AS BIGINT) AS item_id,
  'example' AS label,
  CAST(0 AS DECIMAL(10, 2)) AS amount,
  TIMESTAMP '2026-11-01 00:00:00' AS updated_at
`;
}

/**
 * The upstream contract's columns, as promised there: passing rows through unchanged
 * keeps every promise (types, required, keys), so the copy is a valid contract. Column-level
 * quality rules are left behind: their SQL names the upstream's table.
 */
export function copiedColumns(columns: readonly ContractColumn[]): SkeletonColumn[] {
  return columns.map((c) => {
    const column: { -readonly [K in keyof SkeletonColumn]: SkeletonColumn[K] } = {
      name: c.name,
      logicalType: c.logicalType ?? 'string',
      physicalType: c.physicalType ?? 'VARCHAR',
    };
    if (c.description !== undefined) column.description = c.description;
    if (c.primaryKey) column.primaryKey = true;
    if (c.required) column.required = true;
    if (c.unique) column.unique = true;
    if (c.classification !== undefined) column.classification = c.classification;
    return column;
  });
}

export function passThroughTransform(
  port: string,
  input: string,
  columns: readonly SkeletonColumn[],
  otherInputs: readonly string[],
): string {
  const others = otherInputs.length === 0 ? '' : `-- Other input ports, also tables here: ${otherInputs.join(', ')}.\n`;
  return `-- The output port \`${port}\` is the result of this query.
-- Input port: ${input}, a table with its upstream contract's columns. Shape the output
-- here and keep ${port}.odcs.yaml in step with it.
${others}SELECT
${columns.map((c) => `  ${sqlName(c.name)}`).join(',\n')}
FROM ${sqlName(input)}
`;
}

const KEYWORDS = new Set(
  'all and any as asc between by case cast check column constraint create default desc distinct do else end except false for foreign from grant group having in intersect into is join lateral leading limit not null offset on only or order pivot placing primary qualify references returning select some table then to trailing true union unique unpivot user using variadic when where window with'.split(
    ' ',
  ),
);

/** A column or table name as DuckDB SQL, double-quoted only when it has to be. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !KEYWORDS.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * A whole YAML file from plain data, in the samples' shape: block collections, lists of
 * scalars on one line (`validValues: [a, b]`), a leading comment.
 */
export function yamlText(comment: string, value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Scalar(_key, node) {
      // Quoted like the samples: a timestamp that reads as text in every YAML version.
      if (typeof node.value === 'string' && /^\d{4}-\d\d-\d\dT/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const header = comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${header}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
