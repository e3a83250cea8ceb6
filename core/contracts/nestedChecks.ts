import { asBoolean, asFields, asList, asString, type Fields } from '../model/read.ts';
import type { ContractColumn } from '../model/types.ts';
import { counted, NO_BAD_ROWS, quoteLiteral, type ContractCheck } from './checkTypes.ts';
import { compileConstraints, type CompiledConstraints, type ValuesAt } from './constraintChecks.ts';

/*
 * The promises of nested properties: the fields of an `object` (a STRUCT column) and the
 * `items` of an `array` (a LIST column), at any depth of objects and one level of items.
 * Names follow the contract diff's (`address.zip`, `tags[]`): a field's `required` means
 * "present whenever its object is", and its logicalTypeOptions are checked as a column's,
 * on `struct_extract`; an item's are checked on every item, a row breaking the option when
 * any of its items does.
 */
export function compileNested(
  table: string,
  rel: string,
  column: ContractColumn,
  property: Fields,
  at: readonly (string | number)[],
  values: ValuesAt,
  depth = 0,
): CompiledConstraints {
  const checks: ContractCheck[] = [];
  const skipped: { path: (string | number)[]; reason: string }[] = [];
  const take = (compiled: CompiledConstraints): void => {
    checks.push(...compiled.checks);
    skipped.push(...compiled.skipped);
  };
  const logicalType = asString(property['logicalType']);
  if (logicalType === 'object') {
    asList(property['properties']).forEach((raw, i) => {
      const field = asFields(raw);
      const name = asString(field['name']);
      if (name === undefined) return;
      const path = [...at, 'properties', i];
      const child = childColumn(column, `${column.name}.${name}`, field);
      const expr = `struct_extract(${values.expr}, ${quoteLiteral(name)})`;
      const childValues: ValuesAt = { ...values, expr };
      if (child.required) checks.push(requiredField(table, rel, child, values, expr, path));
      take(compileConstraints(table, rel, child, field, path, childValues));
      take(compileNested(table, rel, child, field, path, childValues, depth));
    });
  } else if (logicalType === 'array' && property['items'] !== undefined) {
    const items = asFields(property['items']);
    const path = [...at, 'items'];
    if (values.itemsOf !== undefined) {
      skipped.push({ path, reason: `${column.name}[]: items of items are not checked yet` });
      return { checks, skipped };
    }
    const param = `item_${depth}`;
    const itemValues: ValuesAt = { expr: param, itemsOf: values.expr, param };
    const item = childColumn(column, `${column.name}[]`, items);
    take(compileConstraints(table, rel, item, items, path, itemValues));
    take(compileNested(table, rel, item, items, path, itemValues, depth + 1));
  }
  return { checks, skipped };
}

function childColumn(parent: ContractColumn, name: string, field: Fields): ContractColumn {
  const logicalType = asString(field['logicalType']);
  // A field of a classified object is as classified as the object.
  const classification = asString(field['classification']) ?? parent.classification;
  return {
    name,
    required: asBoolean(field['required']),
    unique: false,
    primaryKey: false,
    ...(logicalType === undefined ? {} : { logicalType }),
    ...(classification === undefined ? {} : { classification }),
  };
}

/** A required field: present (not NULL) in every object that is present. */
function requiredField(
  table: string,
  rel: string,
  field: ContractColumn,
  parent: ValuesAt,
  expr: string,
  path: readonly (string | number)[],
): ContractCheck {
  const predicate = parent.itemsOf
    ? `len(list_filter(${parent.itemsOf}, lambda ${parent.param ?? 'x'}: ${parent.expr} IS NOT NULL AND ${expr} IS NULL)) > 0`
    : `${parent.expr} IS NOT NULL AND ${expr} IS NULL`;
  return {
    id: `${table}.${field.name}.required`,
    kind: 'required',
    table,
    column: field.name,
    description: `${field.name} is present in every ${field.name.replace(/\.[^.]*$/, '')}`,
    ...NO_BAD_ROWS,
    ...counted(rel, predicate),
    path,
  };
}
