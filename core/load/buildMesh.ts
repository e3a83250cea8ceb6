import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { basename, dirname, splitPath } from '../fs/meshFileSystem.ts';
import { asFields, asList, asString, defined } from '../model/read.ts';
import type {
  DataProduct,
  Domain,
  Mesh,
  MeshFiles,
  MeshLayout,
  MeshManifest,
  NodePosition,
  Persona,
  Policy,
  Team,
} from '../model/types.ts';
import { domainSchema, layoutSchema, meshSchema, policySchema, scenarioSchema } from '../schemas/quantaSchemas.ts';
import { builtinPolicy } from '../governance/policy/library.ts';
import { resolvePolicies } from '../governance/policy/policies.ts';
import { checkSchema } from '../validate/schemaCheck.ts';
import { checkIdentity } from '../validate/identity.ts';
import { checkReferences } from '../validate/references.ts';
import { checkScenarios } from '../validate/scenarioChecks.ts';
import { checkDiscoveryReferences } from '../validate/discoveryChecks.ts';
import { locate, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { buildProduct, yamlFile } from './buildProduct.ts';
import { buildScenario } from './buildScenario.ts';
import { buildFeedbackFiles, buildUsageFiles } from './buildDiscovery.ts';
import { DOMAIN_FILE, LAYOUT_FILE, layoutIgnored, MESH_FILE, POLICY_SUFFIX, PRODUCT_FILE, SCENARIO_SUFFIX } from './readMeshFiles.ts';

export interface BuiltMesh {
  readonly mesh: Mesh;
  readonly diagnostics: Diagnostic[];
}

/**
 * Files → model + diagnostics. Pure and synchronous so the editor can rebuild after every
 * edit; checks that need the disk (seed files) live in loadMesh.
 */
export function buildMesh(files: MeshFiles): BuiltMesh {
  const out: Diagnostic[] = [];
  for (const file of files.values()) if ('doc' in file && file.path !== LAYOUT_FILE) out.push(...file.diagnostics);

  const manifest = buildManifest(yamlFile(files, MESH_FILE), out);

  const domains: Domain[] = [];
  const products: DataProduct[] = [];
  const productDirs = [...files.keys()]
    .filter((path) => basename(path) === PRODUCT_FILE && splitPath(path).length === 4 && path.startsWith('domains/'))
    .map(dirname)
    .sort();
  const domainFiles = [...files.keys()]
    .filter((path) => basename(path) === DOMAIN_FILE && splitPath(path).length === 3 && path.startsWith('domains/'))
    .sort();
  for (const path of domainFiles) {
    const domain = buildDomain(yamlFile(files, path), out);
    if (domain) domains.push(domain);
  }
  const filesByDir = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dir = dirname(path);
    const names = filesByDir.get(dir);
    if (names) names.push(basename(path));
    else filesByDir.set(dir, [basename(path)]);
  }
  const byId = new Map<string, DataProduct>();
  for (const dir of productDirs) {
    const domainId = splitPath(dir)[1] ?? '';
    const product = buildProduct(files, dir, filesByDir.get(dir) ?? [], domainId, out);
    if (!product) continue;
    const twin = byId.get(product.id);
    if (twin) {
      const file = yamlFile(files, product.file);
      out.push(
        diagnostic(
          'QUANTA_E020',
          file ? locate(file, ['id']) : { file: product.file, line: 1, column: 1 },
          `product id "${product.id}" is also used by ${twin.file}`,
        ),
      );
      continue;
    }
    byId.set(product.id, product);
    products.push(product);
  }

  const policies = buildAll(files, 'policies/', POLICY_SUFFIX, policySchema, 'Quanta policy', buildPolicy, out);
  const scenarios = buildAll(files, 'scenarios/', SCENARIO_SUFFIX, scenarioSchema, 'Quanta scenario', buildScenario, out);

  const feedback = buildFeedbackFiles(files, out);
  const usage = buildUsageFiles(files, out);

  const layout = buildLayout(yamlFile(files, LAYOUT_FILE), out);
  const mesh: Mesh = defined({ files, manifest, layout, domains, products, policies, scenarios, feedback, usage });
  out.push(...checkIdentity(mesh));
  out.push(...checkReferences(mesh));
  const resolved = resolvePolicies(mesh);
  out.push(...resolved.diagnostics);
  out.push(...checkScenarios(mesh, new Set(resolved.policies.map((p) => p.id))));
  out.push(...checkDiscoveryReferences(mesh));
  return { mesh, diagnostics: out };
}

function buildManifest(file: YamlSourceFile | undefined, out: Diagnostic[]): MeshManifest | undefined {
  if (!file || file.value === undefined || file.diagnostics.length > 0) return undefined;
  out.push(...checkSchema(file, meshSchema, 'Quanta mesh.yaml'));
  const raw = asFields(file.value);
  // Sets, not rescans of the lists: a mesh.yaml with 60,000 teams must stay linear.
  const teams: Team[] = [];
  const teamIds = new Set<string>();
  asList(raw['teams']).forEach((value, index) => {
    const team = asFields(value);
    const id = asString(team['id']);
    if (id === undefined) return;
    if (teamIds.has(id)) {
      out.push(diagnostic('QUANTA_E020', locate(file, ['teams', index, 'id']), `team id "${id}" is declared twice in mesh.yaml`));
      return;
    }
    teamIds.add(id);
    teams.push(defined({ id, name: asString(team['name']) ?? id, description: asString(team['description']) }));
  });
  const personas: Persona[] = [];
  const personaIds = new Set<string>();
  asList(raw['personas']).forEach((value, index) => {
    const persona = asFields(value);
    const id = asString(persona['id']);
    if (id === undefined) return;
    if (personaIds.has(id)) {
      out.push(diagnostic('QUANTA_E020', locate(file, ['personas', index, 'id']), `persona id "${id}" is declared twice in mesh.yaml`));
      return;
    }
    const team = asString(persona['team']);
    personaIds.add(id);
    if (team !== undefined && !teamIds.has(team)) {
      out.push(
        diagnostic(
          'QUANTA_E024',
          locate(file, ['personas', index, 'team']),
          `persona "${id}" belongs to team "${team}", which mesh.yaml does not declare`,
        ),
      );
    }
    personas.push(
      defined({
        id,
        name: asString(persona['name']) ?? id,
        description: asString(persona['description']),
        team,
        purposes: asList(persona['purposes']).filter((p): p is string => typeof p === 'string'),
      }),
    );
  });
  return {
    file: file.path,
    name: asString(raw['name']) ?? 'mesh',
    title: asString(raw['title']) ?? asString(raw['name']) ?? 'Untitled mesh',
    description: asString(raw['description']) ?? '',
    teams,
    personas,
    ...(raw['policies'] === undefined ? {} : { policies: asList(raw['policies']).filter((p): p is string => typeof p === 'string') }),
  };
}

/**
 * layout.yaml is read loosely: every problem is a warning, and each position that is two
 * numbers is kept even when others in the file are broken.
 */
function buildLayout(file: YamlSourceFile | undefined, out: Diagnostic[]): MeshLayout | undefined {
  if (!file) return undefined;
  const broken = file.diagnostics[0];
  if (broken || file.value === undefined) {
    const why = broken?.message ?? `${file.path} is empty`;
    out.push(layoutIgnored(broken ?? { file: file.path, line: 1, column: 1 }, `${why}; the editor lays the nodes out itself`));
    return undefined;
  }
  for (const problem of checkSchema(file, layoutSchema, 'Quanta layout.yaml')) {
    out.push(layoutIgnored(problem, problem.message));
  }
  const products = new Map<string, NodePosition>();
  for (const [id, raw] of Object.entries(asFields(asFields(file.value)['products']))) {
    const position = asFields(raw);
    const x = position['x'];
    const y = position['y'];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) products.set(id, { x, y });
  }
  return { file: file.path, products };
}

function buildDomain(file: YamlSourceFile | undefined, out: Diagnostic[]): Domain | undefined {
  if (!file || file.value === undefined || file.diagnostics.length > 0) return undefined;
  out.push(...checkSchema(file, domainSchema, 'Quanta domain.yaml'));
  const raw = asFields(file.value);
  const dir = dirname(file.path);
  const folder = basename(dir);
  const id = asString(raw['id']);
  if (id !== undefined && id !== folder) {
    out.push(diagnostic('QUANTA_E026', locate(file, ['id']), `domain id "${id}" does not match its folder "${folder}"`));
  }
  return defined({
    id: folder,
    name: asString(raw['name']) ?? folder,
    team: asString(raw['team']) ?? '',
    description: asString(raw['description']) ?? '',
    color: asString(raw['color']),
    dir,
    file: file.path,
  });
}

function buildAll<T extends { id: string; file: string }>(
  files: MeshFiles,
  folder: string,
  suffix: string,
  schema: object,
  standard: string,
  build: (file: YamlSourceFile) => T | undefined,
  out: Diagnostic[],
): T[] {
  const built: T[] = [];
  const byId = new Map<string, T>();
  const paths = [...files.keys()].filter((p) => p.startsWith(folder) && p.endsWith(suffix) && !p.slice(folder.length).includes('/')).sort();
  for (const path of paths) {
    const file = yamlFile(files, path);
    if (!file || file.value === undefined || file.diagnostics.length > 0) continue;
    out.push(...checkSchema(file, schema, standard));
    const item = build(file);
    if (!item) continue;
    const twin = byId.get(item.id);
    if (twin) {
      out.push(diagnostic('QUANTA_E020', locate(file, ['id']), `id "${item.id}" is also used by ${twin.file}`));
      continue;
    }
    byId.set(item.id, item);
    built.push(item);
  }
  return built;
}

function buildPolicy(file: YamlSourceFile): Policy | undefined {
  const raw = asFields(file.value);
  const id = asString(raw['id']);
  const severity = asString(raw['severity']);
  if (id === undefined) return undefined;
  const check = asFields(raw['check']);
  const uses = asString(raw['uses']);
  const builtin = uses === undefined ? undefined : builtinPolicy(uses);
  const enabled = raw['enabled'];
  return defined({
    file: file.path,
    id,
    title: asString(raw['title']) ?? builtin?.title ?? id,
    description: asString(raw['description']) ?? builtin?.description,
    rationale: asString(raw['rationale']) ?? builtin?.rationale,
    scope: asString(raw['scope']) ?? 'global',
    severity:
      severity === 'warning' || (severity === undefined && builtin?.severity === 'warning') ? ('warning' as const) : ('blocking' as const),
    check: defined({ sql: asString(check['sql']), expression: asString(check['expression']) }),
    uses,
    overrides: asString(raw['overrides']),
    enabled: typeof enabled === 'boolean' ? enabled : undefined,
  });
}
