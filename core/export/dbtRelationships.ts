import { indexPublishers, resolveInputPort } from '../lineage/lineageGraph.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { DataProduct, Mesh, OutputPort } from '../model/types.ts';
import { compilePort } from '../run/publishVerdict.ts';

/*
 * ODCS v3.1.0 `relationships` (foreign keys) as dbt `relationships` tests. A relationship sits on
 * a property (`to: <schemaObject>.<property>`, `from` implied) or on a schema object (`from` and
 * `to`). `to` names a schema object, which Quanta resolves against the mesh's ports: first the
 * ports this product reads (its input ports' publishers), then its own output ports, then the
 * output port of any product whose contract's schema object has that name, when only one has.
 * A composite key (schema level, `from` and `to` lists) is a singular test, dbt's relationships
 * test being one column. What cannot be resolved (fully qualified references, an unknown schema
 * object or property) is a note, never a silent drop.
 */

export interface RelationshipTarget {
  readonly product: DataProduct;
  readonly port: OutputPort;
  /** The referenced properties, in the order of `columns` (one unless the key is composite). */
  readonly columns: readonly string[];
}

/** One foreign key of a port's schema object: `columns` of this port's model reference `to`. */
export interface PortRelationship {
  readonly columns: readonly string[];
  readonly to: RelationshipTarget;
}

const SHORTHAND = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** The port's schema object (the table its contract describes) and that object's properties. */
function schemaObjectOf(port: OutputPort): { name: string; object: Readonly<Record<string, unknown>> | undefined } {
  const { table } = compilePort(port.name, port.contract);
  const schema = asList(port.contract?.document['schema']).map(asFields);
  return { name: table, object: schema.find((t) => asString(t['name']) === table) ?? schema[0] };
}

function propertyNames(port: OutputPort): Set<string> {
  return new Set(
    asList(schemaObjectOf(port).object?.['properties'])
      .map((p) => asString(asFields(p)['name']))
      .filter((n): n is string => n !== undefined),
  );
}

/** Every port's foreign keys, by `${product}/${port}`, and the notes for those not exported. */
export function meshRelationships(mesh: Mesh): {
  readonly byPort: ReadonlyMap<string, readonly PortRelationship[]>;
  readonly notes: readonly { product: string; port: string; text: string }[];
} {
  const publishers = indexPublishers(mesh.products);
  const bySchemaObject = new Map<string, { product: DataProduct; port: OutputPort }[]>();
  for (const product of mesh.products)
    for (const port of product.outputPorts) {
      const { name } = schemaObjectOf(port);
      bySchemaObject.set(name, [...(bySchemaObject.get(name) ?? []), { product, port }]);
    }
  const byPort = new Map<string, PortRelationship[]>();
  const notes: { product: string; port: string; text: string }[] = [];

  for (const product of mesh.products) {
    const read = product.inputPorts.flatMap((input) => {
      const publisher = resolveInputPort(publishers, input);
      return publisher ? [publisher] : [];
    });
    const resolve = (objectName: string): { product: DataProduct; port: OutputPort } | string => {
      const named = (c: { port: OutputPort }): boolean => schemaObjectOf(c.port).name === objectName;
      const input = read.find(named);
      if (input) return input;
      const own = product.outputPorts.find((port) => named({ port }));
      if (own) return { product, port: own };
      const anywhere = bySchemaObject.get(objectName) ?? [];
      if (anywhere.length === 1 && anywhere[0]) return anywhere[0];
      return anywhere.length === 0
        ? `no port of the mesh has a schema object "${objectName}"`
        : `"${objectName}" is the schema object of ${anywhere.length} ports (${anywhere.map((c) => `${c.product.id}.${c.port.name}`).join(', ')}); read the one meant through an input port`;
    };

    for (const port of product.outputPorts) {
      const { name: table, object } = schemaObjectOf(port);
      const found: PortRelationship[] = [];
      const note = (text: string): void => {
        notes.push({ product: product.id, port: port.name, text });
      };
      const add = (from: readonly string[], raw: Readonly<Record<string, unknown>>, to: unknown): void => {
        const column = from.join(', ');
        const type = asString(raw['type']) ?? 'foreignKey';
        if (type !== 'foreignKey') return note(`relationship of ${column} is of type ${type}; dbt's relationships test is a foreign key`);
        const texts = (Array.isArray(to) ? to : [to]).map((t) => asString(t));
        const shown = texts.map(String).join(', ');
        if (texts.length !== from.length)
          return note(
            `relationship (${column}) → (${shown}) not exported: the key has ${from.length} columns, the reference ${texts.length}`,
          );
        const refs = texts.map((t) => (t === undefined ? undefined : SHORTHAND.exec(t)));
        const objects = new Set(refs.map((r) => r?.[1]));
        const [objectName] = objects;
        if (refs.some((r) => !r?.[1] || !r[2]) || objectName === undefined || objects.size !== 1)
          return note(
            `relationship ${column} → ${shown}: only shorthand <schemaObject>.<property> references to one schema object are resolved`,
          );
        const target = resolve(objectName);
        if (typeof target === 'string') return note(`relationship ${column} → ${shown} not exported: ${target}`);
        const targetColumns = refs.map((r) => r?.[2] ?? '');
        const missing = targetColumns.filter((c) => !propertyNames(target.port).has(c));
        if (missing.length > 0)
          return note(
            `relationship ${column} → ${shown} not exported: ${target.product.id}.${target.port.name} has no property ${missing.join(', ')}`,
          );
        found.push({ columns: from, to: { ...target, columns: targetColumns } });
      };
      const columns = propertyNames(port);
      for (const raw of asList(object?.['properties'])) {
        const property = asFields(raw);
        const column = asString(property['name']);
        if (column === undefined) continue;
        for (const relation of asList(property['relationships']).map(asFields)) add([column], relation, relation['to']);
      }
      for (const relation of asList(object?.['relationships']).map(asFields)) {
        const from = (Array.isArray(relation['from']) ? relation['from'] : [relation['from']]).map((f) => asString(f) ?? '');
        const own = from.map((f) => SHORTHAND.exec(f));
        if (own.some((f) => !f?.[2] || f[1] !== table || !columns.has(f[2]))) {
          note(`schema-level relationship from ${from.join(', ')}: not properties of ${table}; not exported`);
          continue;
        }
        add(
          own.map((f) => f?.[2] ?? ''),
          relation,
          relation['to'],
        );
      }
      if (found.length > 0) byPort.set(`${product.id}/${port.name}`, found);
    }
  }
  return { byPort, notes };
}
