import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { asFields } from '../../model/read.ts';
import type { Mesh, Policy } from '../../model/types.ts';
import { locate, type YamlPath, type YamlSourceFile } from '../../yaml/sourceFile.ts';
import { BUILTIN_POLICIES, builtinPolicy } from './library.ts';

export type PolicySeverity = 'blocking' | 'warning';

/** A policy in force, after built-ins are resolved and domain overrides applied. */
export interface EffectivePolicy {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly rationale?: string;
  /** `global` or `domain:<id>`. */
  readonly scope: string;
  /** The domain of a domain policy. */
  readonly domain?: string;
  readonly severity: PolicySeverity;
  /** `mesh`: a policy file; `library`: a built-in listed in mesh.yaml. */
  readonly source: 'mesh' | 'library';
  /** The built-in whose check it runs, if any. */
  readonly uses?: string;
  readonly sql?: string;
  readonly expression?: string;
  /** Where the policy is declared (a policy file, or the mesh.yaml entry). */
  readonly file: string;
  readonly path: YamlPath;
  /** Set when the SQL is written in `file` at this path (not taken from the library). */
  readonly sqlPath?: YamlPath;
  /** Domains in which a domain policy overrides this global policy. */
  readonly exceptDomains: readonly string[];
}

export interface ResolvedPolicies {
  readonly policies: readonly EffectivePolicy[];
  readonly diagnostics: readonly Diagnostic[];
}

const cache = new WeakMap<Mesh, ResolvedPolicies>();

/**
 * Federation: global policies (policy files and the built-ins mesh.yaml lists) apply to every
 * product; a domain policy applies to its domain. A domain policy may `overrides:` a global
 * *warning* policy in its domain (switch it off, change its check or severity); a global
 * *blocking* policy cannot be weakened or switched off by a domain — that is an error.
 */
export function resolvePolicies(mesh: Mesh): ResolvedPolicies {
  const cached = cache.get(mesh);
  if (cached) return cached;
  const out: Diagnostic[] = [];
  const inForce: (EffectivePolicy & { exceptDomains: string[] })[] = [];

  const manifestFile = mesh.manifest ? yamlFile(mesh, mesh.manifest.file) : undefined;
  (mesh.manifest?.policies ?? []).forEach((id, index) => {
    const at = ['policies', index];
    const builtin = builtinPolicy(id);
    if (!manifestFile) return;
    if (!builtin) {
      out.push(unknownBuiltin(manifestFile, at, id));
      return;
    }
    if (inForce.some((p) => p.id === id)) {
      out.push(diagnostic('QUANTA_E020', locate(manifestFile, at), `built-in policy ${id} is listed twice in mesh.yaml`));
      return;
    }
    inForce.push({ ...builtin, scope: 'global', source: 'library', uses: id, file: manifestFile.path, path: at, exceptDomains: [] });
  });

  const overriding = mesh.policies.filter((p) => p.overrides !== undefined);
  for (const policy of mesh.policies) {
    if (policy.overrides !== undefined) continue;
    const file = yamlFile(mesh, policy.file);
    if (!file) continue;
    const resolved = ownPolicy(policy, file, out);
    if (resolved && policy.enabled !== false) inForce.push(resolved);
  }

  for (const policy of overriding) {
    const file = yamlFile(mesh, policy.file);
    const targetId = policy.overrides;
    if (!file || targetId === undefined) continue;
    const domain = /^domain:(.+)$/.exec(policy.scope)?.[1];
    const target = inForce.find((p) => p.id === targetId);
    if (domain === undefined) {
      out.push(
        diagnostic(
          'QUANTA_E043',
          locate(file, ['scope']),
          `policy ${policy.id} overrides ${targetId} but is not a domain policy (scope: domain:<id>)`,
        ),
      );
      continue;
    }
    if (!target || target.scope !== 'global') {
      const why = !target
        ? builtinPolicy(targetId)
          ? `built-in ${targetId}, which this mesh does not use (list it under policies: in mesh.yaml)`
          : `${targetId}, which is not a policy of this mesh`
        : `${targetId}, which is not a global policy`;
      out.push(diagnostic('QUANTA_E043', locate(file, ['overrides']), `policy ${policy.id} overrides ${why}`));
      continue;
    }
    if (target.severity === 'blocking') {
      const how = policy.enabled === false ? 'switch off' : declared(file, 'severity') === 'warning' ? 'weaken to a warning' : 'replace';
      out.push(
        diagnostic(
          'QUANTA_E042',
          locate(file, ['overrides']),
          `domain policy ${policy.id} would ${how} the global blocking policy ${targetId} in domain ${domain}; a domain cannot weaken or switch off a global blocking policy`,
        ),
      );
      continue;
    }
    target.exceptDomains.push(domain);
    if (policy.enabled === false) continue;
    const own = policy.check.sql !== undefined || policy.check.expression !== undefined || policy.uses !== undefined;
    const base = own ? ownPolicy(policy, file, out, true) : undefined;
    if (own && !base) continue;
    const severity = (declared(file, 'severity') as PolicySeverity | undefined) ?? target.severity;
    inForce.push({
      ...(base ?? target),
      id: policy.id,
      title: declared(file, 'title') ?? target.title,
      scope: policy.scope,
      domain,
      severity,
      source: 'mesh',
      file: policy.file,
      path: base?.path ?? ['overrides'],
      exceptDomains: [],
    });
  }

  const result = { policies: inForce, diagnostics: out };
  cache.set(mesh, result);
  return result;
}

function ownPolicy(
  policy: Policy,
  file: YamlSourceFile,
  out: Diagnostic[],
  overriding = false,
): (EffectivePolicy & { exceptDomains: string[] }) | undefined {
  const hasCheck = policy.check.sql !== undefined || policy.check.expression !== undefined;
  const domain = /^domain:(.+)$/.exec(policy.scope)?.[1];
  const common = {
    id: policy.id,
    title: policy.title,
    scope: policy.scope,
    ...(domain === undefined ? {} : { domain }),
    severity: policy.severity,
    source: 'mesh' as const,
    file: policy.file,
    exceptDomains: [],
    ...(policy.description === undefined ? {} : { description: policy.description }),
    ...(policy.rationale === undefined ? {} : { rationale: policy.rationale }),
  };
  if (policy.uses !== undefined) {
    const builtin = builtinPolicy(policy.uses);
    if (!builtin) {
      out.push(unknownBuiltin(file, ['uses'], policy.uses));
      return undefined;
    }
    if (hasCheck) {
      out.push(
        diagnostic(
          'QUANTA_E044',
          locate(file, ['check'], { key: true }),
          `policy ${policy.id} has both uses: ${policy.uses} and its own check`,
        ),
      );
      return undefined;
    }
    return { ...common, uses: builtin.id, sql: builtin.sql, path: ['uses'] };
  }
  if (!hasCheck) {
    out.push(
      diagnostic(
        'QUANTA_E044',
        locate(file, ['id'], { key: true }),
        `policy ${policy.id} has no check: write check.sql, or uses: <built-in id>${overriding ? '' : ', or overrides: <global policy>'}`,
      ),
    );
    return undefined;
  }
  const missing = overriding ? [] : ['title', 'scope', 'severity'].filter((f) => declared(file, f) === undefined);
  for (const field of missing) {
    out.push(
      diagnostic(
        'QUANTA_E010',
        locate(file, ['id'], { key: true }),
        `policy ${policy.id} is missing the required field "${field}" (a policy with its own check needs title, scope and severity)`,
      ),
    );
  }
  if (missing.length > 0) return undefined;
  return {
    ...common,
    ...(policy.check.sql === undefined ? {} : { sql: policy.check.sql, sqlPath: ['check', 'sql'] }),
    ...(policy.check.expression === undefined ? {} : { expression: policy.check.expression }),
    path: ['check'],
  };
}

function unknownBuiltin(file: YamlSourceFile, at: YamlPath, id: string): Diagnostic {
  return diagnostic(
    'QUANTA_E041',
    locate(file, at),
    `there is no built-in policy ${id}`,
    `Use one of: ${BUILTIN_POLICIES.map((p) => p.id).join(', ')} (docs/catalog.md describes each).`,
  );
}

function declared(file: YamlSourceFile, field: string): string | undefined {
  const value = asFields(file.value)[field];
  return typeof value === 'string' ? value : undefined;
}

function yamlFile(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}

/** The policies that apply to a product of `domain`. */
export function appliesTo(policy: EffectivePolicy, domain: string | undefined): boolean {
  if (policy.domain !== undefined) return domain === policy.domain;
  return domain === undefined || !policy.exceptDomains.includes(domain);
}
