/**
 * A mesh of `products` products, written as files in memory: one source-aligned product
 * with a generator, the rest a binary tree below it (product i reads product ⌊(i-1)/2⌋),
 * spread over `domains` domains. Large enough to prove pooling and to measure the canvas,
 * small per product. Pure, so tests, the bench and the app (`?sample=generated-<n>`) share it.
 */
export function syntheticMeshFiles(products: number, domains = 4): Record<string, string> {
  const files: Record<string, string> = {};
  const domainOf = (i: number): string => `d${i % domains}`;
  files['mesh.yaml'] = [
    'apiVersion: quanta/v1',
    'kind: Mesh',
    'name: generated',
    'title: Generated mesh',
    'description: Generated for tests.',
    'teams:',
    ...Array.from({ length: domains }, (_, d) => `  - { id: team-d${d}, name: Team ${d} }`),
    '',
  ].join('\n');
  for (let d = 0; d < domains; d++) {
    files[`domains/d${d}/domain.yaml`] =
      `apiVersion: quanta/v1\nkind: Domain\nid: d${d}\nname: Domain ${d}\nteam: team-d${d}\ndescription: Generated.\n`;
  }
  for (let i = 0; i < products; i++) {
    const id = `p${i}`;
    const dir = `domains/${domainOf(i)}/${id}`;
    const parent = i === 0 ? undefined : `p${Math.floor((i - 1) / 2)}`;
    files[`${dir}/product.odps.yaml`] = [
      'apiVersion: v1.0.0',
      'kind: DataProduct',
      `id: ${id}`,
      `name: Product ${i}`,
      `domain: ${domainOf(i)}`,
      'status: active',
      'version: 1.0.0',
      'team:',
      `  name: team-${domainOf(i)}`,
      ...(parent ? ['inputPorts:', '  - name: upstream', `    contractId: gen.${parent}`, '    version: 1.0.0'] : []),
      'outputPorts:',
      '  - name: out',
      '    version: 1.0.0',
      `    contractId: gen.${id}`,
      '',
    ].join('\n');
    files[`${dir}/out.odcs.yaml`] = [
      'apiVersion: v3.1.0',
      'kind: DataContract',
      `id: gen.${id}`,
      'version: 1.0.0',
      'status: active',
      'schema:',
      '  - name: out',
      '    properties:',
      '      - { name: k, logicalType: integer, required: true, unique: true }',
      '      - { name: v, logicalType: number }',
      '',
    ].join('\n');
    files[`${dir}/quanta.yaml`] = parent
      ? 'apiVersion: quanta/v1\nkind: QuantumSettings\narchetype: aggregate\n'
      : [
          'apiVersion: quanta/v1',
          'kind: QuantumSettings',
          'archetype: source-aligned',
          'sources:',
          '  - name: raw',
          '    generator:',
          '      rows: 1000',
          '      rowsPerTick: 10',
          '      seed: 1',
          '      columns:',
          '        - { name: k, type: sequence }',
          '        - { name: v, type: decimal, min: 0, max: 100, scale: 2 }',
          '',
        ].join('\n');
    files[`${dir}/transform.sql`] = parent ? 'SELECT k, v + 1 AS v FROM upstream' : 'SELECT CAST(k AS BIGINT) AS k, v FROM raw';
  }
  return files;
}
