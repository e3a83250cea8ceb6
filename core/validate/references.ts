import { diagnostic, startOf, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { contractKey, indexPublishers, LineageGraph } from '../lineage/lineageGraph.ts';
import type { DataProduct, Mesh } from '../model/types.ts';
import { locate, type YamlPath } from '../yaml/sourceFile.ts';
import { checkGeneratorCycles } from './generatorCycles.ts';

/** Checks that span files: ids that must exist elsewhere, contract resolution, lineage cycles. */
export function checkReferences(mesh: Mesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string, yamlPath: YamlPath, key = false): ReturnType<typeof startOf> => {
    const file = mesh.files.get(path);
    return file && 'doc' in file ? locate(file, yamlPath, { key }) : startOf(path);
  };
  const teams = new Set(mesh.manifest?.teams.map((t) => t.id));
  const domains = new Set(mesh.domains.map((d) => d.id));
  const products = new Map(mesh.products.map((p) => [p.id, p]));

  if (mesh.manifest) {
    for (const domain of mesh.domains) {
      if (domain.team && !teams.has(domain.team)) {
        out.push(
          diagnostic(
            'QUANTA_E024',
            at(domain.file, ['team']),
            `domain ${domain.id} is owned by team "${domain.team}", which mesh.yaml does not declare`,
          ),
        );
      }
    }
    for (const product of mesh.products) {
      if (product.team !== undefined && !teams.has(product.team)) {
        out.push(
          diagnostic(
            'QUANTA_E024',
            at(product.file, ['team', 'name']),
            `product ${product.id} names team "${product.team}", which mesh.yaml does not declare`,
          ),
        );
      }
    }
  }

  const publishers = indexPublishers(mesh.products);
  for (const [key, list] of publishers) {
    for (const duplicate of list.slice(1)) {
      out.push(
        diagnostic(
          'QUANTA_E035',
          at(duplicate.product.file, ['outputPorts', duplicate.port.index, 'contractId']),
          `contract ${key} is published by both ${list[0]?.product.id}.${list[0]?.port.name} and ${duplicate.product.id}.${duplicate.port.name}`,
        ),
      );
    }
  }
  const versionsById = new Map<string, string[]>();
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      if (port.contractId === undefined) continue;
      const versions = versionsById.get(port.contractId);
      if (versions) versions.push(port.version);
      else versionsById.set(port.contractId, [port.version]);
    }
  }
  for (const product of mesh.products) {
    for (const port of product.inputPorts) {
      const versions = versionsById.get(port.contractId);
      if (!versions) {
        out.push(
          diagnostic(
            'QUANTA_E021',
            at(product.file, ['inputPorts', port.index, 'contractId']),
            `input port "${port.name}" of ${product.id} reads contract "${port.contractId}", which no output port in this mesh publishes`,
          ),
        );
      } else if (!publishers.has(contractKey(port.contractId, port.version))) {
        out.push(
          diagnostic(
            'QUANTA_E022',
            at(product.file, ['inputPorts', port.index, 'version']),
            `input port "${port.name}" of ${product.id} reads version ${port.version} of contract "${port.contractId}", which is published only as ${versions.sort().join(', ')}`,
            `Use one of: ${versions.join(', ')}.`,
          ),
        );
      }
    }
    out.push(...checkGeneratorReferences(product, products, at));
  }
  out.push(...checkGeneratorCycles(mesh.products, at));

  for (const policy of mesh.policies) {
    const domain = /^domain:(.+)$/.exec(policy.scope)?.[1];
    if (domain !== undefined && !domains.has(domain)) {
      out.push(
        diagnostic('QUANTA_E023', at(policy.file, ['scope']), `policy ${policy.id} is scoped to domain "${domain}", which does not exist`),
      );
    }
  }

  // Scenarios' references: core/validate/scenarioChecks.ts (called by buildMesh, which knows the policies in force).

  const graph = new LineageGraph(mesh.products);
  for (const cycle of graph.cycles()) {
    // Point at the input port of the cycle's first product that closes the loop.
    const first = products.get(cycle[0] ?? '');
    const previous = cycle[cycle.length - 1];
    const edge = graph.edges.find((e) => e.to === first?.id && e.from === previous);
    const port = first?.inputPorts.find((p) => p.name === edge?.inputPort);
    const where = first && port ? at(first.file, ['inputPorts', port.index, 'contractId']) : startOf(first?.file ?? 'mesh.yaml');
    out.push(diagnostic('QUANTA_E030', where, `lineage cycle: ${[...cycle, cycle[0]].join(' → ')}`));
  }
  return out;
}

function checkGeneratorReferences(
  product: DataProduct,
  products: ReadonlyMap<string, DataProduct>,
  at: (path: string, yamlPath: YamlPath) => ReturnType<typeof startOf>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const settings = product.settings;
  if (!settings) return out;
  for (const source of settings.sources) {
    source.generator?.columns.forEach((column, columnIndex) => {
      if (column.type !== 'reference') return;
      const where = at(settings.file, ['sources', source.index, 'generator', 'columns', columnIndex, 'references']);
      const match = /^(?:([a-z0-9][a-z0-9-]*)\/)?([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(column.references ?? '');
      if (!match) {
        out.push(
          diagnostic(
            'QUANTA_E034',
            where,
            `column "${column.name}" of source "${source.name}" is a reference but names no <source>.<column>`,
          ),
        );
        return;
      }
      const [, productId, sourceName, columnName] = match;
      const target = productId === undefined ? product : products.get(productId);
      if (!target) {
        out.push(diagnostic('QUANTA_E040', where, `column "${column.name}" references product "${productId}", which is not in this mesh`));
        return;
      }
      const targetSource = target.settings?.sources.find((s) => s.name === sourceName);
      const known = targetSource?.generator
        ? targetSource.generator.columns.some((c) => c.name === columnName)
        : targetSource !== undefined;
      const precedes = target !== product || (targetSource !== undefined && targetSource.index < source.index);
      if (!targetSource || !known || !precedes) {
        out.push(
          diagnostic(
            'QUANTA_E034',
            where,
            `column "${column.name}" references ${column.references}, which is not an earlier source column`,
          ),
        );
      }
    });
  }
  return out;
}
