import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES } from '../../core/governance/policy/library.ts';
import { runCli } from '../../core/node/cli.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO } from '../helpers.ts';

/*
 * daff adopts the whole built-in policy library next to its own policy files: `quanta check`
 * passes every blocking policy, before and after a run, and leaves exactly the warnings the
 * README promises for the data-as-a-product scenario to fix.
 */
const pool = new InProcessHost(2);
const sharedHost: QuantumHost = {
  size: pool.size,
  acquire: () => pool.acquire(),
  crash: () => false,
  cancel: () => false,
  dispose: async () => undefined,
};
afterAll(async () => pool.dispose());

interface CheckJson {
  ok: boolean;
  blocking: number;
  warnings: number;
  policies: {
    id: string;
    severity: string;
    error?: unknown;
    skipped?: unknown;
    violations: { product: string; port: string | null; message: string }[];
  }[];
  diagnostics: { severity: string }[];
  run?: { troubled: readonly unknown[] };
}

async function checkDaff(...args: string[]): Promise<{ code: number; report: CheckJson }> {
  let out = '';
  const code = await runCli(['check', 'sample-meshes/daff', '--format', 'json', ...args], {
    out: (t) => (out += t),
    err: () => undefined,
    cwd: REPO,
    createHost: () => sharedHost,
    createCatalogEngine: (host) => new QuantumCatalogEngine(host),
  });
  return { code, report: JSON.parse(out) as CheckJson };
}

const INTENDED_WARNINGS = [
  'quanta.retention-declared podcast-listeners.podcast_listeners',
  'quanta.retention-declared top-daily-podcasts.top_daily_podcasts',
];

function warningsOf(report: CheckJson): string[] {
  return report.policies
    .filter((p) => p.severity === 'warning')
    .flatMap((p) => p.violations.map((v) => `${p.id} ${v.product}.${v.port ?? ''}`))
    .sort();
}

describe('daff under the built-in policy library', () => {
  it('evaluates every built-in and its own policies, with no blocking violation and only the intended warnings', async () => {
    const { code, report } = await checkDaff();
    expect(code).toBe(0);
    const ids = report.policies.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(ids).toEqual(expect.arrayContaining(BUILTIN_POLICIES.map((p) => p.id)));
    expect(ids).toEqual(expect.arrayContaining(['personal-data-classified', 'finance-money-is-decimal']));
    expect(report.policies.filter((p) => p.error !== undefined || p.skipped !== undefined).map((p) => p.id)).toEqual([]);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.blocking).toBe(0);
    expect(report.policies.filter((p) => p.severity === 'blocking' && p.violations.length > 0).map((p) => p.id)).toEqual([]);
    expect(warningsOf(report)).toEqual(INTENDED_WARNINGS);
    expect(report.warnings).toBe(INTENDED_WARNINGS.length);
  }, 120_000);

  it('still passes every blocking policy once the mesh has run, so no publish is refused by the gate', async () => {
    const { code, report } = await checkDaff('--run');
    expect(code).toBe(0);
    expect(report.run?.troubled).toEqual([]);
    expect(report.blocking).toBe(0);
    expect(warningsOf(report)).toEqual(INTENDED_WARNINGS);
  }, 180_000);
});
