import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * Big input stays near-linear. The bounds are generous (the machine is shared and noisy):
 * they catch the quadratic loops that took 60,000 teams to ~60 s, not small slowdowns.
 * Measured figures are in ARCHITECTURE.md ("Validation never throws").
 */
const decoder = new TextDecoder();

async function hello(): Promise<Record<string, string>> {
  const { files } = await sampleInMemory('hello-mesh');
  return Object.fromEntries(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? c : decoder.decode(c)]));
}

async function timedLoad(files: Record<string, string>): Promise<{ ms: number; errors: number }> {
  const started = performance.now();
  const { diagnostics } = await loadMesh(new MemoryFileSystem(files));
  return { ms: performance.now() - started, errors: diagnostics.filter((d) => d.severity === 'error').length };
}

describe('big input', () => {
  it(
    'validates a mesh.yaml with 60,000 teams in under 20 s (was ~60 s: duplicate checks rescanned the list)',
    { timeout: 120_000 },
    async () => {
      const files = await hello();
      const teams = Array.from({ length: 60_000 }, (_, i) => `  - id: team-${i}\n    name: Team ${i}\n`).join('');
      files['mesh.yaml'] = (files['mesh.yaml'] ?? '').replace('teams:\n', `teams:\n${teams}`);
      const { ms, errors } = await timedLoad(files);
      expect(errors).toBe(0);
      expect(ms).toBeLessThan(20_000);
    },
  );

  it('validates a contract with 10,000 columns in under 20 s', { timeout: 120_000 }, async () => {
    const files = await hello();
    const path = 'domains/finance/daily-revenue/daily_revenue.odcs.yaml';
    const columns = Array.from(
      { length: 10_000 },
      (_, i) => `      - name: c${i}\n        logicalType: integer\n        physicalType: BIGINT\n        required: true\n`,
    ).join('');
    files[path] = (files[path] ?? '').replace('properties:\n', `properties:\n${columns}`);
    const { ms, errors } = await timedLoad(files);
    expect(errors).toBe(0);
    expect(ms).toBeLessThan(20_000);
  });

  it('validates a 4.7 MB YAML list (400,000 items, just under the 5 MB limit) in under 40 s', { timeout: 120_000 }, async () => {
    const files = await hello();
    const path = 'domains/finance/daily-revenue/product.odps.yaml';
    const tags = Array.from({ length: 400_000 }, (_, i) => `  - t${i}`).join('\n');
    files[path] = (files[path] ?? '').replace('status: active', `status: active\ntags:\n${tags}`);
    const { ms, errors } = await timedLoad(files);
    expect(errors).toBe(0);
    expect(ms).toBeLessThan(40_000);
  });
});
