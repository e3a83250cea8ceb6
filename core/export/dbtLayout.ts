import { dbtName } from './dbtNames.ts';

/*
 * How `quanta export dbt` lays the mesh out in dbt projects (docs/dbt-export.md). `one-project`:
 * one project with a group per domain. `project-per-domain`: a project per domain, each in its
 * own folder, a ref() to another domain's model written as dbt's cross-project ref
 * `ref('<project>', '<model>')`, which dbt-loom resolves from the upstream project's
 * target/manifest.json. dbt forbids cycles between projects (each needs the others' manifests
 * first), so domains that depend on each other in a cycle share one project — the export says so
 * in its notes rather than refusing a mesh Quanta runs.
 */

export type DbtLayout = 'one-project' | 'project-per-domain';

export interface DbtProject {
  /** The dbt project name (`name:` of dbt_project.yml, the first argument of a cross-project ref). */
  readonly name: string;
  /** Its folder in the export with a trailing `/`; `''` for the one project of `one-project`. */
  readonly dir: string;
  /** The mesh domain ids it holds (more than one only for domains in a dependency cycle). */
  readonly domains: readonly string[];
  /** The projects whose models it refs, by name. */
  readonly upstream: readonly string[];
}

export interface DbtProjects {
  /** In build order: every project after the projects it refs. */
  readonly projects: readonly DbtProject[];
  /** Domains that share a project because they depend on each other, each group sorted. */
  readonly cycles: readonly (readonly string[])[];
  of(domain: string): DbtProject;
}

/**
 * The projects of a layout. `dependsOn` holds, per domain, the domains whose models its models
 * or tests ref. Domains in one strongly connected component (each reaches the other) become one
 * project; the build order is Kahn's over the projects, ties broken by name so it is stable.
 */
export function planProjects(
  layout: DbtLayout,
  meshProject: string,
  domains: readonly string[],
  dependsOn: ReadonlyMap<string, ReadonlySet<string>>,
): DbtProjects {
  if (layout === 'one-project') {
    const only: DbtProject = { name: projectName(meshProject), dir: '', domains: [...domains], upstream: [] };
    return { projects: [only], cycles: [], of: () => only };
  }
  const ids = [...new Set(domains)].sort();
  const reach = new Map(ids.map((id) => [id, reachable(id, dependsOn)]));
  const groups: string[][] = [];
  const groupOf = new Map<string, string[]>();
  for (const id of ids) {
    if (groupOf.has(id)) continue;
    const group = ids.filter((other) => other === id || (reach.get(id)?.has(other) && reach.get(other)?.has(id)));
    groups.push(group);
    for (const member of group) groupOf.set(member, group);
  }
  const taken = new Set<string>();
  const nameOf = new Map<string[], string>();
  for (const group of groups) {
    const base = projectName(dbtName(group.join('_')));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    nameOf.set(group, name);
  }
  const upstreamOf = (group: readonly string[]): string[] => {
    const out = new Set<string>();
    for (const member of group)
      for (const dep of dependsOn.get(member) ?? []) {
        const target = groupOf.get(dep);
        if (target && target !== group) out.add(nameOf.get(target) ?? '');
      }
    return [...out].sort();
  };
  const made = new Map<string, DbtProject>();
  for (const group of groups) {
    const name = nameOf.get(group) ?? dbtName(group.join('_'));
    made.set(name, { name, dir: `${name}/`, domains: group, upstream: upstreamOf(group) });
  }
  const order: DbtProject[] = [];
  const done = new Set<string>();
  while (order.length < made.size) {
    const ready = [...made.values()].filter((p) => !done.has(p.name) && p.upstream.every((u) => done.has(u)));
    // The components form a DAG, so something is always ready; the guard keeps a bug from spinning.
    const next = ready.sort((a, b) => a.name.localeCompare(b.name))[0];
    if (next === undefined) throw new Error('dbt projects: the domain graph has a cycle left after merging its components');
    order.push(next);
    done.add(next.name);
  }
  const byDomain = new Map(order.flatMap((p) => p.domains.map((d) => [d, p] as const)));
  return {
    projects: order,
    cycles: groups.filter((g) => g.length > 1),
    of(domain) {
      const project = byDomain.get(domain);
      if (!project) throw new Error(`dbt projects: domain ${domain} is not in the mesh`);
      return project;
    },
  };
}

/**
 * Names dbt refuses for a project (dbt-core's `BANNED_PROJECT_NAMES`, dbt/contracts/project.py):
 * its Jinja context's globals. `dbt*` names would shadow dbt's and its adapters' own packages.
 */
const RESERVED = new Set(
  '_sql_results adapter api column config context database env env_var exceptions execute flags fromjson fromyaml graph invocation_id load_agate_table load_result log model modules post_hooks pre_hooks ref render return run_started_at schema source sql sql_now store_result store_raw_result target this tojson toyaml try_or_compiler_error var write'.split(
    ' ',
  ),
);

/** A dbt name as a project name dbt accepts: a reserved word or a `dbt…` name gets `_project` appended. */
export function projectName(name: string): string {
  return RESERVED.has(name) || name.startsWith('dbt') ? `${name}_project` : name;
}

function reachable(start: string, dependsOn: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(dependsOn.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(dependsOn.get(id) ?? []));
  }
  return seen;
}

/** dbt-loom's config for a project: each upstream project's manifest, by path relative to this project's folder. */
export function loomConfigYaml(project: DbtProject): string | undefined {
  if (project.upstream.length === 0) return undefined;
  return [
    '# dbt-loom (pip install dbt-loom) reads the public models of the upstream projects from their manifests,',
    "# so this project's cross-project ref('<project>', '<model>') resolve. Build the upstream projects first.",
    'manifests:',
    ...project.upstream.flatMap((name) => [
      `  - name: ${name}`,
      '    type: file',
      '    config:',
      `      path: ../${name}/target/manifest.json`,
    ]),
    '',
  ].join('\n');
}
