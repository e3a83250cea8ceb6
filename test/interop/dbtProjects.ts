import { spawnSync } from 'node:child_process';
import nodePath from 'node:path';
import { REPO } from '../helpers.ts';

/*
 * A mesh exported as a dbt project per domain (`quanta export dbt --layout project-per-domain`)
 * and a dbt command run in each project in build order, upstream first, so dbt-loom finds the
 * upstream projects' target/manifest.json. Shared by the per-domain builds
 * (test/interop/dbtBuild.test.ts) and the per-domain import round trip (dbtImport.test.ts).
 */

/** What the export's `--json` says of the projects and the models it wrote. */
export interface PerDomainExport {
  /** In build order. */
  readonly projects: readonly { readonly name: string; readonly domains: readonly string[]; readonly upstream: readonly string[] }[];
  readonly models: readonly {
    readonly product: string;
    readonly port?: string;
    readonly model: string;
    readonly version: number;
    readonly project: string;
  }[];
  readonly notes: readonly { readonly text: string }[];
}

/** `quanta export dbt <mesh> --out <out> --layout project-per-domain` with the CLI bundle; throws when it fails. */
export function exportPerDomain(mesh: string, out: string, extra: readonly string[] = []): PerDomainExport {
  const exported = spawnSync(
    process.execPath,
    [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'export', 'dbt', mesh, '--out', out, '--layout', 'project-per-domain', '--json', ...extra],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (exported.status !== 0) throw new Error(`quanta export dbt --layout project-per-domain failed: ${exported.stderr}`);
  return JSON.parse(exported.stdout) as PerDomainExport;
}

/** `each` on every project's folder in build order; stops after the first whose status is not 0. */
export async function inBuildOrder<T extends { readonly status: number }>(
  out: string,
  exported: PerDomainExport,
  each: (projectDir: string) => T | Promise<T>,
): Promise<(T & { readonly project: string })[]> {
  const done: (T & { readonly project: string })[] = [];
  for (const project of exported.projects) {
    const result = await each(nodePath.join(out, project.name));
    done.push({ ...result, project: project.name });
    if (result.status !== 0) break;
  }
  return done;
}
