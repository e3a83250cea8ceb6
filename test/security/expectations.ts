import { expect } from 'vitest';
import type { Arena } from './hostileMesh.ts';
import { expectNoSecret, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * What "refused" means, the same for every attack class: the product fails (a sandbox denial
 * is a failure of the transform, not a contract refusal), publishes no version, and its
 * problem carries QUANTA_E070 with DuckDB's own words for the denial.
 */

/** DuckDB's words for a statement its configuration forbids, or the quantum's JS guard's. */
export const SANDBOX_DENIAL =
  /Permission Error|disabled (by|through)( a)? configuration|configuration has been locked|Cannot change .* setting while database is running|out of reach of a quantum/i;

export function expectFailedWithE070(report: RunReport, ids: readonly string[]): void {
  for (const id of ids) {
    const product = report.products.find((p) => p.id === id);
    expect(product, `${id} is in the run report${report.unparsed ? ` (no report: ${report.unparsed})` : ''}`).toBeDefined();
    expect(product?.status, `${id} must fail, not publish (${product?.problem?.message ?? 'no problem given'})`).toBe('failed');
    expect(product?.version, `${id} published a version`).toBe(0);
    expect(product?.problem?.message ?? '', `${id}'s problem`).toMatch(/QUANTA_E070/);
    expect(product?.problem?.message ?? '', `${id}'s problem`).toMatch(SANDBOX_DENIAL);
  }
}

/** The mesh's own products (hello-mesh's) still publish next to the hostile ones. */
export function expectHelloMeshPublished(report: RunReport): void {
  const own = report.products.filter((p) => p.id === 'orders' || p.id === 'daily-revenue');
  expect(own.map((p) => `${p.id}: ${p.status}`).sort()).toEqual(['daily-revenue: published', 'orders: published']);
}

/** No secret in any output, nothing outside the mesh read or written. */
export function expectNothingOutside(arena: Arena, observed: Observed<CliResult>): void {
  expectNoSecret(arena, observed.result.out + observed.result.err);
  expect(observed.read, 'files outside the mesh were read').toEqual([]);
  expect(observed.changed, 'files outside the mesh were written').toEqual([]);
}

/** A console query refused: by the sandbox, or as not being one SELECT (QUANTA_E071). */
export const QUERY_REFUSED = new RegExp(`${SANDBOX_DENIAL.source}|QUANTA_E07[01]`, 'i');
