import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { buildCatalog } from '../../core/governance/catalog/catalog.ts';
import { CATALOG_SCHEMA } from '../../core/governance/catalog/catalogSchema.ts';
import { BUILTIN_POLICIES } from '../../core/governance/policy/library.ts';
import { appliesTo, resolvePolicies } from '../../core/governance/policy/policies.ts';
import { loadMesh, type LoadedMesh } from '../../core/load/loadMesh.ts';
import { listFiles, REPO } from '../helpers.ts';

/* The policy format, built-ins by id, and federation — all reported as validation diagnostics. */
const FIXTURE = nodePath.join(REPO, 'test/fixtures/policies/governed-mesh');
const files: Record<string, string> = {};
for (const path of await listFiles(FIXTURE)) files[path] = await fsp.readFile(nodePath.join(FIXTURE, path), 'utf8');
const docs = await fsp.readFile(nodePath.join(REPO, 'docs/catalog.md'), 'utf8');

function policyFile(id: string, ...lines: string[]): Record<string, string> {
  return { [`policies/${id}.policy.yaml`]: ['apiVersion: quanta/v1', 'kind: Policy', `id: ${id}`, ...lines, ''].join('\n') };
}

function load(extra: Record<string, string>, manifest?: (text: string) => string): Promise<LoadedMesh> {
  const all: Record<string, string> = { ...files, ...extra };
  if (manifest) all['mesh.yaml'] = manifest(files['mesh.yaml'] ?? '');
  return loadMesh(new MemoryFileSystem(all));
}

const errors = (loaded: LoadedMesh): unknown[] =>
  loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map(({ code, file, line, column, message }) => ({ code, file, line, column, message }));

describe('policies of a mesh', () => {
  it('puts the built-ins mesh.yaml lists in force as global policies, beside the policy files', async () => {
    const loaded = await load({});
    expect(errors(loaded)).toEqual([]);
    const { policies } = resolvePolicies(loaded.mesh);
    expect(policies.map((p) => p.id)).toEqual([...BUILTIN_POLICIES.map((p) => p.id), 'finance-money-is-decimal']);
    expect(policies[0]).toMatchObject({ source: 'library', scope: 'global', file: 'mesh.yaml', severity: 'blocking' });
  });

  it('names an unknown built-in in mesh.yaml with its line and the ids that exist', async () => {
    const loaded = await load({}, (text) => text.replace('  - quanta.naming-conventions', '  - quanta.naming-convention'));
    expect(errors(loaded)).toEqual([
      { code: 'QUANTA_E041', file: 'mesh.yaml', line: 26, column: 5, message: 'there is no built-in policy quanta.naming-convention' },
    ]);
    expect(loaded.diagnostics[0]?.hint).toContain('quanta.naming-conventions');
  });

  it('lets a policy file use a built-in in a domain, with its own severity', async () => {
    const loaded = await load(
      policyFile('finance-retention', 'scope: domain:finance', 'severity: blocking', 'uses: quanta.retention-declared'),
    );
    expect(errors(loaded)).toEqual([]);
    const policy = resolvePolicies(loaded.mesh).policies.find((p) => p.id === 'finance-retention');
    expect(policy).toMatchObject({
      domain: 'finance',
      severity: 'blocking',
      uses: 'quanta.retention-declared',
      title: 'Every output port declares how long data is kept',
    });
    expect(policy && appliesTo(policy, 'sales')).toBe(false);
  });

  it('reports a policy without a check', async () => {
    const loaded = await load(policyFile('empty', 'title: Empty', 'scope: global', 'severity: warning'));
    expect(errors(loaded)).toEqual([
      {
        code: 'QUANTA_E044',
        file: 'policies/empty.policy.yaml',
        line: 3,
        column: 1,
        message: 'policy empty has no check: write check.sql, or uses: <built-in id>, or overrides: <global policy>',
      },
    ]);
  });

  it('reports a policy with its own check but no severity, naming the field', async () => {
    const loaded = await load(policyFile('half', 'title: Half', 'scope: global', 'check:', '  sql: SELECT 1'));
    expect(errors(loaded)).toEqual([
      expect.objectContaining({ code: 'QUANTA_E010', line: 3, message: expect.stringContaining('missing the required field "severity"') }),
    ]);
  });

  it('keeps reporting schema errors in policy files', async () => {
    const loaded = await load(policyFile('bad-severity', 'title: Bad', 'scope: global', 'severity: fatal', 'check:', '  sql: SELECT 1'));
    expect(errors(loaded)).toContainEqual(
      expect.objectContaining({ code: 'QUANTA_E012', file: 'policies/bad-severity.policy.yaml', line: 6 }),
    );
  });
});

describe('federation', () => {
  it('refuses a domain policy that switches off a global blocking policy', async () => {
    const loaded = await load(policyFile('sales-no-owners', 'scope: domain:sales', 'overrides: quanta.owner-declared', 'enabled: false'));
    expect(errors(loaded)).toEqual([
      {
        code: 'QUANTA_E042',
        file: 'policies/sales-no-owners.policy.yaml',
        line: 5,
        column: 12,
        message:
          'domain policy sales-no-owners would switch off the global blocking policy quanta.owner-declared in domain sales; a domain cannot weaken or switch off a global blocking policy',
      },
    ]);
    const owner = resolvePolicies(loaded.mesh).policies.find((p) => p.id === 'quanta.owner-declared');
    expect(owner && appliesTo(owner, 'sales')).toBe(true);
  });

  it('refuses a domain policy that weakens a global blocking policy to a warning', async () => {
    const loaded = await load(policyFile('sales-soft', 'scope: domain:sales', 'severity: warning', 'overrides: quanta.archetype-layering'));
    expect(errors(loaded)).toEqual([
      expect.objectContaining({
        code: 'QUANTA_E042',
        message: expect.stringContaining('would weaken to a warning the global blocking policy'),
      }),
    ]);
  });

  it('lets a domain make a global warning policy blocking in its domain', async () => {
    const loaded = await load(
      policyFile('finance-strict-naming', 'scope: domain:finance', 'severity: blocking', 'overrides: quanta.naming-conventions'),
    );
    expect(errors(loaded)).toEqual([]);
    const { policies } = resolvePolicies(loaded.mesh);
    const global = policies.find((p) => p.id === 'quanta.naming-conventions');
    const local = policies.find((p) => p.id === 'finance-strict-naming');
    expect(global && [appliesTo(global, 'finance'), appliesTo(global, 'sales')]).toEqual([false, true]);
    expect(local).toMatchObject({ severity: 'blocking', domain: 'finance', sql: global?.sql });
  });

  it('refuses an override from a global policy, and of a built-in the mesh does not use', async () => {
    const fromGlobal = await load(policyFile('global-override', 'scope: global', 'overrides: quanta.naming-conventions', 'enabled: false'));
    expect(errors(fromGlobal)).toEqual([
      expect.objectContaining({ code: 'QUANTA_E043', line: 4, message: expect.stringContaining('is not a domain policy') }),
    ]);
    const unused = await load(
      policyFile('sales-naming', 'scope: domain:sales', 'overrides: quanta.naming-conventions', 'enabled: false'),
      (text) => text.replace('  - quanta.naming-conventions\n', ''),
    );
    expect(errors(unused)).toEqual([
      expect.objectContaining({ code: 'QUANTA_E043', message: expect.stringContaining('which this mesh does not use') }),
    ]);
  });
});

describe('the catalog and the library are documented', () => {
  it.each(CATALOG_SCHEMA.map((t) => [t.name, t.columns.map((c) => c.name)] as const))(
    'docs/catalog.md documents table %s and its columns',
    (table, columns) => {
      const section = docs.split(/\n### /).find((s) => s.startsWith(`\`${table}\``));
      expect(section, `section for ${table}`).toBeDefined();
      for (const column of columns) expect(section).toContain(`| \`${column}\` |`);
    },
  );

  it.each(BUILTIN_POLICIES.map((p) => p.id))('docs/catalog.md documents the built-in %s', (id) => {
    expect(docs).toContain(`### \`${id}\``);
  });

  it('builds one catalog row per product, port, contract column and lineage edge', async () => {
    const { mesh } = await load({});
    const rows = (name: string): number => buildCatalog(mesh).tables.find((t) => t.spec.name === name)?.rows.length ?? -1;
    expect([rows('products'), rows('ports'), rows('contracts'), rows('columns'), rows('edges'), rows('persona_purposes')]).toEqual([
      2, 3, 2, 5, 1, 1,
    ]);
  });
});
