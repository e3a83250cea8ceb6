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
 * What cannot be resolved or expressed (composite keys, fully qualified references, an unknown
 * property) is a note, never a silent drop.
 */

export interface RelationshipTarget {
  readonly product: DataProduct;
  readonly port: OutputPort;
  readonly column: string;
}

/** One foreign key of a port's schema object: `column` of this port's model references `to`. */
export interface PortRelationship {
  readonly column: string;
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
      const add = (column: string, raw: Readonly<Record<string, unknown>>, to: unknown): void => {
        const type = asString(raw['type']) ?? 'foreignKey';
        if (type !== 'foreignKey') return note(`relationship of ${column} is of type ${type}; dbt's relationships test is a foreign key`);
        if (Array.isArray(to))
          return note(
            `the composite key (${column}) → (${to.map(String).join(', ')}) is not exported: dbt's relationships test is one column`,
          );
        const text = asString(to);
        const shorthand = text === undefined ? undefined : SHORTHAND.exec(text);
        if (!shorthand?.[1] || !shorthand[2])
          return note(`relationship ${column} → ${String(text)}: only the shorthand <schemaObject>.<property> reference is resolved`);
        const target = resolve(shorthand[1]);
        if (typeof target === 'string') return note(`relationship ${column} → ${text ?? '?'} not exported: ${target}`);
        if (!propertyNames(target.port).has(shorthand[2]))
          return note(
            `relationship ${column} → ${text ?? '?'} not exported: ${target.product.id}.${target.port.name} has no property ${shorthand[2]}`,
          );
        found.push({ column, to: { ...target, column: shorthand[2] } });
      };
      const columns = propertyNames(port);
      for (const raw of asList(object?.['properties'])) {
        const property = asFields(raw);
        const column = asString(property['name']);
        if (column === undefined) continue;
        for (const relation of asList(property['relationships']).map(asFields)) add(column, relation, relation['to']);
      }
      for (const relation of asList(object?.['relationships']).map(asFields)) {
        const from = relation['from'];
        if (Array.isArray(from)) {
          add(from.map(String).join(', '), relation, Array.isArray(relation['to']) ? relation['to'] : [relation['to']]);
          continue;
        }
        const shorthand = SHORTHAND.exec(asString(from) ?? '');
        if (!shorthand?.[2] || shorthand[1] !== table || !columns.has(shorthand[2])) {
          note(`schema-level relationship from ${String(asString(from))}: not a property of ${table}; not exported`);
          continue;
        }
        add(shorthand[2], relation, relation['to']);
      }
      if (found.length > 0) byPort.set(`${product.id}/${port.name}`, found);
    }
  }
  return { byPort, notes };
}
