import { diagnostic, startOf, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DataProduct, Mesh } from '../model/types.ts';
import { locate, type YamlPath } from '../yaml/sourceFile.ts';

/**
 * The names feedback and usage files point at (docs/discovery.md): the product, the team or
 * persona of each rating, the persona of each query count, the output ports. Each missing
 * one is a diagnostic at its place; the counts and ratings stay in the model.
 */
export function checkDiscoveryReferences(mesh: Mesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string, yamlPath: YamlPath): ReturnType<typeof startOf> => {
    const file = mesh.files.get(path);
    return file && 'doc' in file ? locate(file, yamlPath) : startOf(path);
  };
  const products = new Map(mesh.products.map((p) => [p.id, p]));
  const teams = new Set(mesh.manifest?.teams.map((t) => t.id));
  const personas = new Set(mesh.manifest?.personas.map((p) => p.id));
  const product = (file: string, id: string): DataProduct | undefined => {
    const found = products.get(id);
    if (!found)
      out.push(
        diagnostic(
          'QUANTA_W090',
          at(file, ['product']),
          `${file} is about product "${id}", which this mesh does not have; the file is ignored`,
        ),
      );
    return found;
  };
  const portProblem = (of: DataProduct, port: string): string | undefined =>
    of.outputPorts.some((p) => p.name === port)
      ? undefined
      : `"${port}" is not an output port of ${of.id}${of.outputPorts.length > 0 ? ` (its output ports: ${of.outputPorts.map((p) => p.name).join(', ')})` : ''}`;

  for (const feedback of mesh.feedback) {
    const of = product(feedback.file, feedback.product);
    for (const entry of feedback.entries) {
      const where = `feedback entry ${entry.index + 1} of ${feedback.file}`;
      if (entry.team !== undefined && mesh.manifest && !teams.has(entry.team))
        out.push(
          diagnostic(
            'QUANTA_E091',
            at(feedback.file, ['entries', entry.index, 'team']),
            `${where} is by team "${entry.team}", which mesh.yaml does not declare`,
          ),
        );
      if (entry.persona !== undefined && mesh.manifest && !personas.has(entry.persona))
        out.push(
          diagnostic(
            'QUANTA_E091',
            at(feedback.file, ['entries', entry.index, 'persona']),
            `${where} is by persona "${entry.persona}", which mesh.yaml does not declare`,
          ),
        );
      const problem = of && entry.port !== undefined ? portProblem(of, entry.port) : undefined;
      if (problem)
        out.push(diagnostic('QUANTA_E092', at(feedback.file, ['entries', entry.index, 'port']), `${where} rates port ${problem}`));
    }
  }
  for (const usage of mesh.usage) {
    const of = product(usage.file, usage.product);
    const file = mesh.files.get(usage.file);
    const rawPorts = file && 'doc' in file ? asPorts(file.value) : [];
    for (const count of usage.ports) {
      const index = rawPorts.indexOf(count.port);
      const problem = of ? portProblem(of, count.port) : undefined;
      if (problem)
        out.push(diagnostic('QUANTA_E092', at(usage.file, ['ports', index, 'port']), `${usage.file} counts reads of ${problem}`));
      for (const persona of Object.keys(count.queries)) {
        if (mesh.manifest && !personas.has(persona))
          out.push(
            diagnostic(
              'QUANTA_E091',
              at(usage.file, ['ports', index, 'queries', persona]),
              `${usage.file} counts queries by persona "${persona}", which mesh.yaml does not declare`,
            ),
          );
      }
    }
  }
  return out;
}

function asPorts(value: unknown): (string | undefined)[] {
  const ports = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['ports'] : undefined;
  return Array.isArray(ports)
    ? ports.map((p: unknown) => {
        const port = p !== null && typeof p === 'object' ? (p as Record<string, unknown>)['port'] : undefined;
        return typeof port === 'string' ? port : undefined;
      })
    : [];
}
