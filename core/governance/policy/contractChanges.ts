import type { Mesh } from '../../model/types.ts';
import type { YamlSourceFile } from '../../yaml/sourceFile.ts';
import type { ContractChangeRow } from '../catalog/catalog.ts';
import { diffContracts } from '../diff/contractDiff.ts';

/**
 * Contract changes of every output port whose contract also exists in the baseline (same
 * product and port): the catalog's `contract_changes` rows that policies read against a baseline.
 */
export function contractChanges(baseline: Mesh, mesh: Mesh): ContractChangeRow[] {
  const rows: ContractChangeRow[] = [];
  for (const product of mesh.products) {
    for (const port of product.outputPorts) {
      const before = baseline.products.find((p) => p.id === product.id)?.outputPorts.find((p) => p.name === port.name)?.contract;
      const after = port.contract;
      if (!before || !after) continue;
      const from = yamlFile(baseline, before.file);
      const to = yamlFile(mesh, after.file);
      if (!from || !to) continue;
      const diff = diffContracts(from, to, { lenient: true }); // schema problems are among the mesh diagnostics
      // The diff's own verdicts on the version number are left to the policy that reads these rows.
      for (const change of diff.changes.filter((c) => !c.ruleId.startsWith('version-'))) {
        rows.push({
          contractId: after.id,
          productId: product.id,
          port: port.name,
          fromVersion: before.version,
          toVersion: after.version,
          ...(change.property === undefined ? {} : { column: change.property }),
          change: change.ruleId,
          breaking: change.severity === 'breaking',
          producerSeverity: change.producer,
          consumersSeverity: change.consumers,
          message: change.message,
        });
      }
    }
  }
  return rows;
}

function yamlFile(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}
