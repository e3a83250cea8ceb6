import { asFields, asList, asNumber, asString } from '../model/read.ts';
import type { Contract, ContractColumn } from '../model/types.ts';
import { singleSelect } from '../sql/singleSelect.ts';
import {
  aggregated,
  counted,
  NO_BAD_ROWS,
  type CheckAggregate,
  quoteIdent,
  quoteLiteral,
  type CheckSeverity,
  type ContractCheck,
  type Operator,
} from './checkTypes.ts';
import { compileConstraints, isClassified, patternProblem, sampleSql } from './constraintChecks.ts';
import { compileNested } from './nestedChecks.ts';

export { quoteIdent, type CheckSeverity, type ContractCheck, type Operator } from './checkTypes.ts';

/*
 * An ODCS contract, compiled into checks a quantum can run before it publishes an output
 * port. Each check is one SQL query returning one row with `value` (what was measured) and
 * `total` (rows in the table, for `unit: percent`), plus the operator the value must meet.
 * Column-level promises (`required`, `unique`, `primaryKey`) become checks too; schema
 * conformance (columns present, compatible types) is checked from DESCRIBE, see
 * checkSchemaConformance.
 */
export interface CheckOutcome {
  readonly check: ContractCheck;
  readonly passed: boolean;
  /** The measured value, in the check's unit. */
  readonly measured: number;
  readonly message: string;
}

/** A rule Quanta does not run, with the reason; `byDesign` for text and custom rules, which are for people. */
export interface SkippedRule {
  readonly path: (string | number)[];
  readonly reason: string;
  readonly byDesign?: boolean;
}

/** The ODCS quality operators, in the order the standard lists them. */
export const OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

function readOperator(rule: Readonly<Record<string, unknown>>): Operator | undefined {
  for (const op of OPERATORS) {
    const raw = rule[op];
    if (raw === undefined) continue;
    if (op === 'mustBeBetween' || op === 'mustNotBeBetween') {
      const [low, high] = asList(raw).map(asNumber);
      if (low !== undefined && high !== undefined) return { op, value: [Math.min(low, high), Math.max(low, high)] };
      return undefined;
    }
    const value = asNumber(raw);
    return value === undefined ? undefined : { op, value };
  }
  return undefined;
}

function severityOf(rule: Readonly<Record<string, unknown>>): CheckSeverity {
  const severity = asString(rule['severity'])?.toLowerCase();
  return severity === 'warning' || severity === 'info' ? 'warning' : 'error';
}

/**
 * Compiles every check of a contract. `relation` maps a table name of the contract to the
 * SQL relation to read (by default the same name, quoted). Rules Quanta cannot run (text,
 * custom, no operator) are returned in `skipped` with the reason.
 */
export function compileContractChecks(
  contract: Contract,
  relation: (table: string) => string = quoteIdent,
): {
  checks: ContractCheck[];
  skipped: SkippedRule[];
} {
  const checks: ContractCheck[] = [];
  const skipped: SkippedRule[] = [];
  asList(contract.document['schema']).forEach((rawTable, t) => {
    const tableDoc = asFields(rawTable);
    const table = contract.tables[t];
    if (!table || !table.name) return;
    const rel = relation(table.name);
    const properties = asList(tableDoc['properties']);
    table.columns.forEach((column, p) => {
      const c = quoteIdent(column.name);
      // Point a failing check at the column's promise (its entry under properties).
      const at = ['schema', t, 'properties', p];
      if (column.required)
        checks.push(builtin(table.name, column, 'required', `${column.name} has no nulls`, counted(rel, `${c} IS NULL`), at));
      if (column.unique) {
        checks.push({
          ...builtin(table.name, column, 'unique', `${column.name} is unique`, aggregated(rel, `count(${c}) - count(DISTINCT ${c})`), at),
          samples: repeatedSql(rel, c, column.classification),
        });
      }
      const property = asFields(properties[p]);
      for (const compiled of [
        compileConstraints(table.name, rel, column, property, at),
        compileNested(table.name, rel, column, property, at, { expr: c }),
      ]) {
        checks.push(...compiled.checks);
        skipped.push(...compiled.skipped);
      }
    });
    const keys = primaryKeyColumns(tableDoc, table.columns);
    if (keys.length > 0) {
      const cols = keys.map(quoteIdent);
      const anyNull = cols.map((c) => `${c} IS NULL`).join(' OR ');
      const distinct = cols.length === 1 ? `count(DISTINCT ${cols[0]})` : `count(DISTINCT row(${cols.join(', ')}))`;
      checks.push({
        id: `${table.name}.${keys.join('+')}.primaryKey`,
        kind: 'primaryKey',
        table: table.name,
        column: keys.join(', '),
        description: `(${keys.join(', ')}) is a primary key: never null, never repeated`,
        ...NO_BAD_ROWS,
        ...aggregated(rel, `count(*) FILTER (WHERE ${anyNull}) + (count(*) - ${distinct})`),
        path: ['schema', t],
      });
    }

    const compileRules = (rules: unknown, column: ContractColumn | undefined, basePath: (string | number)[]): void => {
      asList(rules).forEach((rawRule, i) => {
        const rule = asFields(rawRule);
        const path = [...basePath, 'quality', i];
        const compiled = compileRule(rule, table.name, rel, column, path);
        // text and custom rules are for people and other tools by design: not a problem to report.
        const describes = asString(asFields(rawRule)['type']) === 'text' || asString(asFields(rawRule)['type']) === 'custom';
        if (typeof compiled === 'string') skipped.push({ path, reason: compiled, ...(describes ? { byDesign: true } : {}) });
        else checks.push(compiled);
      });
    };
    compileRules(tableDoc['quality'], undefined, ['schema', t]);
    asList(tableDoc['properties']).forEach((rawColumn, p) => {
      const column = table.columns[p];
      if (column) compileRules(asFields(rawColumn)['quality'], column, ['schema', t, 'properties', p]);
    });
  });
  return { checks, skipped };
}

function builtin(
  table: string,
  column: ContractColumn,
  kind: 'required' | 'unique',
  description: string,
  measured: { readonly sql: string; readonly aggregate: CheckAggregate },
  path: (string | number)[],
): ContractCheck {
  return {
    id: `${table}.${column.name}.${kind}`,
    kind,
    table,
    column: column.name,
    description,
    ...NO_BAD_ROWS,
    ...measured,
    path,
  };
}

/** Up to five values that occur more than once (shape only when classified, see sampleSql). */
function repeatedSql(rel: string, c: string, classification: string | undefined): string {
  const inner = `(SELECT ${c} FROM ${rel} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1 ORDER BY 1 LIMIT 5)`;
  return sampleSql(inner, 'true', `CAST(${c} AS VARCHAR)`, isClassified(classification));
}

function primaryKeyColumns(tableDoc: Readonly<Record<string, unknown>>, columns: readonly ContractColumn[]): string[] {
  const positions = new Map<string, number>();
  asList(tableDoc['properties']).forEach((raw, i) => {
    const column = asFields(raw);
    const name = columns[i]?.name;
    if (name && column['primaryKey'] === true) positions.set(name, asNumber(column['primaryKeyPosition']) ?? i + 1000);
  });
  return [...positions].sort((a, b) => a[1] - b[1]).map(([name]) => name);
}

/** One ODCS quality rule → a check, or the reason it cannot run here. */
function compileRule(
  rule: Readonly<Record<string, unknown>>,
  table: string,
  rel: string,
  column: ContractColumn | undefined,
  path: (string | number)[],
): ContractCheck | string {
  const type = asString(rule['type']) ?? 'library';
  if (type === 'text' || type === 'custom') return `a ${type} rule describes quality for people or another tool; Quanta does not run it`;
  const operator = readOperator(rule);
  if (!operator) return 'the rule has no comparison (mustBe, mustBeLessThan, …)';
  const unit = asString(rule['unit']) === 'percent' ? 'percent' : 'rows';
  // A sql rule's query returns its own number (a percent already, when it says so); a row
  // count has no "percent of the rows". Only counts of bad rows are divided by the total.
  const ratio = type !== 'sql' && (asString(rule['metric']) ?? asString(rule['rule'])) !== 'rowCount';
  const base = {
    table,
    description: asString(rule['description']) ?? asString(rule['name']) ?? '',
    severity: severityOf(rule),
    unit,
    ratio,
    operator,
    path,
    ...(column ? { column: column.name } : {}),
  } as const;
  const id = `${table}${column ? `.${column.name}` : ''}.quality[${String(path[path.length - 1])}]`;
  if (type === 'sql') {
    const query = asString(rule['query']);
    if (!query) return 'a sql rule needs a query';
    const sql = query
      .replace(/\$?\{(table|object)\}/g, rel)
      .replace(/\$?\{(column|property)\}/g, column ? quoteIdent(column.name) : 'NULL')
      .trim()
      .replace(/;\s*$/, '');
    // The rule's SELECT goes to DuckDB as a string (core/sql/singleSelect.ts): it cannot close the cast.
    return {
      ...base,
      id,
      kind: 'sql',
      sql: `SELECT CAST((SELECT * FROM ${singleSelect(sql)}) AS DOUBLE) AS value, (SELECT count(*) FROM ${rel}) AS total`,
    };
  }
  const metric = asString(rule['metric']) ?? asString(rule['rule']);
  const args = asFields(rule['arguments']);
  const c = column ? quoteIdent(column.name) : undefined;
  const count = (predicate: string) => counted(rel, predicate);
  switch (metric) {
    case 'rowCount':
      return { ...base, id, kind: 'rowCount', ...aggregated(rel, 'count(*)') };
    case 'nullValues':
      if (!c) return 'nullValues needs a column: write it under the column';
      return { ...base, id, kind: 'nullValues', ...count(`${c} IS NULL`) };
    case 'missingValues': {
      if (!c) return 'missingValues needs a column: write it under the column';
      const listed = asList(args['missingValues'] ?? [null, '']);
      const values = listed.filter((v) => v !== null).map(quoteLiteral);
      const predicate = [`${c} IS NULL`, ...(values.length ? [`CAST(${c} AS VARCHAR) IN (${values.join(', ')})`] : [])].join(' OR ');
      return { ...base, id, kind: 'missingValues', ...count(predicate) };
    }
    case 'invalidValues': {
      if (!c) return 'invalidValues needs a column: write it under the column';
      const valid = asList(args['validValues']).filter((v) => v !== null);
      const pattern = asString(args['pattern']);
      const unrunnable = pattern === undefined ? undefined : patternProblem(pattern);
      if (unrunnable) return unrunnable;
      const tests: string[] = [];
      if (valid.length > 0) tests.push(`CAST(${c} AS VARCHAR) NOT IN (${valid.map(quoteLiteral).join(', ')})`);
      // An ODCS (JSON Schema) pattern searches the value: anchor it with ^…$ to match all of it.
      if (pattern !== undefined) tests.push(`NOT regexp_matches(CAST(${c} AS VARCHAR), ${quoteLiteral(pattern)})`);
      if (tests.length === 0) return 'invalidValues needs arguments.validValues or arguments.pattern';
      const predicate = `${c} IS NOT NULL AND (${tests.join(' OR ')})`;
      const masked = column ? isClassified(column.classification) : false;
      return {
        ...base,
        id,
        kind: 'invalidValues',
        ...count(predicate),
        samples: sampleSql(rel, predicate, `CAST(${c} AS VARCHAR)`, masked),
      };
    }
    case 'duplicateValues': {
      const names = asList(args['properties']).filter((p): p is string => typeof p === 'string');
      const cols = names.length > 0 ? names.map(quoteIdent) : c ? [c] : [];
      if (cols.length === 0) return 'duplicateValues needs a column, or arguments.properties at table level';
      const distinct = cols.length === 1 ? `count(DISTINCT ${cols[0]})` : `count(DISTINCT row(${cols.join(', ')}))`;
      const nonNull = cols.length === 1 ? `count(${cols[0]})` : 'count(*)';
      const samples = cols.length === 1 && cols[0] ? { samples: repeatedSql(rel, cols[0], column?.classification) } : {};
      return {
        ...base,
        id,
        kind: 'duplicateValues',
        ...aggregated(rel, `${nonNull} - ${distinct}`),
        ...samples,
      };
    }
    default:
      return `metric "${metric ?? '?'}" is not one of nullValues, missingValues, invalidValues, duplicateValues, rowCount`;
  }
}

/** Judges a measured value: `value` and `total` as the check's SQL returned them. */
export function evaluateCheck(check: ContractCheck, value: number, total: number, samples: readonly string[] = []): CheckOutcome {
  const measured = check.unit === 'percent' && check.ratio ? (total === 0 ? 0 : (value / total) * 100) : value;
  const op = check.operator;
  let passed: boolean;
  switch (op.op) {
    case 'mustBe':
      passed = measured === op.value;
      break;
    case 'mustNotBe':
      passed = measured !== op.value;
      break;
    case 'mustBeGreaterThan':
      passed = measured > op.value;
      break;
    case 'mustBeGreaterOrEqualTo':
      passed = measured >= op.value;
      break;
    case 'mustBeLessThan':
      passed = measured < op.value;
      break;
    case 'mustBeLessOrEqualTo':
      passed = measured <= op.value;
      break;
    case 'mustBeBetween':
      passed = measured >= op.value[0] && measured <= op.value[1];
      break;
    case 'mustNotBeBetween':
      passed = measured < op.value[0] || measured > op.value[1];
      break;
  }
  const unit = check.unit === 'percent' ? '%' : '';
  const shown = check.unit === 'percent' ? measured.toFixed(2) : String(measured);
  const expectation = Array.isArray(op.value) ? `${op.op} [${op.value.join(', ')}]` : `${op.op} ${String(op.value)}`;
  const what = (check.description || check.id).replace(/[.:;\s]+$/, '');
  const examples = !passed && samples.length > 0 ? `; e.g. ${samples.map((s) => JSON.stringify(s)).join(', ')}` : '';
  // A declared constraint reads as the promise and how many rows break it, with the option it comes from.
  const verdict =
    check.kind === 'constraint'
      ? `${what} (logicalTypeOptions.${check.option ?? '?'}): ${passed ? 'every row does' : `${plural(value, 'row')} of ${total} ${value === 1 ? 'does' : 'do'} not`} — ${passed ? 'passed' : 'failed'}${examples}`
      : `${what}: measured ${shown}${unit}, ${expectation}${unit} — ${passed ? 'passed' : 'failed'}${examples}`;
  return { check, passed, measured, message: verdict };
}

const TEMPORAL = new Set(['date', 'timestamp', 'time']);

const TYPE_FAMILIES: Record<string, RegExp> = {
  string: /^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|UUID|ENUM)/,
  integer: /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)\b/,
  number: /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/,
  boolean: /^BOOLEAN/,
  date: /^DATE$/,
  timestamp: /^TIMESTAMP/,
  time: /^TIME($| )/,
  object: /^(STRUCT|MAP|JSON)/,
  array: /(\[\]$|\[\d+\]$|^LIST)/,
};

export interface ConformanceProblem {
  readonly table: string;
  readonly column: string;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** Columns the contract promises must exist with a type of the promised logical family. */
export function checkSchemaConformance(
  contract: Contract,
  tableName: string,
  described: readonly { name: string; type: string }[],
): ConformanceProblem[] {
  const t = contract.tables.findIndex((table) => table.name === tableName);
  const table = contract.tables[t];
  if (!table) return [];
  const problems: ConformanceProblem[] = [];
  table.columns.forEach((column, p) => {
    const found = described.find((d) => d.name === column.name);
    const path = ['schema', t, 'properties', p];
    if (!found) {
      problems.push({
        table: tableName,
        column: column.name,
        path,
        message: `column "${column.name}" is promised by the contract but missing from the output`,
      });
      return;
    }
    const family = column.logicalType ? TYPE_FAMILIES[column.logicalType] : undefined;
    // A date kept as text in the format the contract declares (dd/MM/yyyy) keeps the promise:
    // the format check proves every value parses.
    const format = asFields(asFields(asList(asFields(asList(contract.document['schema'])[t])['properties'])[p])['logicalTypeOptions'])[
      'format'
    ];
    const textInFormat = typeof format === 'string' && TEMPORAL.has(column.logicalType ?? '') && /^VARCHAR/i.test(found.type);
    if (family && !textInFormat && !family.test(found.type.toUpperCase())) {
      problems.push({
        table: tableName,
        column: column.name,
        path,
        message: `column "${column.name}" is ${found.type} but the contract promises ${column.logicalType ?? '?'}`,
      });
    }
  });
  return problems;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
