import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectHelloMeshPublished, expectNothingOutside, SANDBOX_DENIAL } from './expectations.ts';
import { addAttackProduct, addPolicy, makeArena, sqlString, yamlQuoted, type Arena } from './hostileMesh.ts';
import { ENGINES, cliInProcess, cliSubprocess, observe, runReport, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * Attack class "policy and rule break-out": a policy's check.sql and a contract's `type: sql`
 * rule must each be exactly one SELECT. Quanta used to enforce that by wrapping the text
 * (`SELECT * FROM (<check>) AS violations`, `CAST((<rule>) AS DOUBLE)`), which a text that
 * closes the wrapper and opens a new statement escapes. Now DuckDB's parser decides: anything
 * but one SELECT is QUANTA_E071, and nothing of it runs. A text written to close a wrapper is
 * not SQL on its own (an unmatched parenthesis), so the parser may refuse it as a syntax error
 * instead (QUANTA_E045 for a policy): refused before anything runs, which is what counts.
 */
const NOT_ONE_SELECT = /QUANTA_E071/;
const REFUSED_BY_THE_PARSER = /QUANTA_E071|Parser Error: syntax error/;
/** Texts that close Quanta's old wrappers: not SQL by themselves. */
const CLOSES_A_WRAPPER = new Set(['closes-the-wrapper', 'rule-closes-the-cast', 'rule-closes-the-cast-twice']);

const VIOLATION = "SELECT product_id, 'x' AS message FROM products";

/** Policies that would COPY a file into the outside folder if they got out of their wrapper. */
const POLICIES: Record<string, (arena: Arena) => string> = {
  'closes-the-wrapper': (a) =>
    `${VIOLATION}) AS v;\nCOPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'policy.csv'))};\nSELECT * FROM (${VIOLATION}`,
  'two-statements': (a) => `COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'policy2.csv'))};\n${VIOLATION}`,
  'select-then-copy': (a) => `${VIOLATION};\nCOPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'policy3.csv'))}`,
  'not-a-select': (a) => `ATTACH ${sqlString(nodePath.join(a.outside, 'policy.duckdb'))} AS p`,
  'creates-a-table': () => `CREATE TABLE products_copy AS ${VIOLATION}`,
};

interface CheckJson {
  readonly ok: boolean;
  readonly policies: readonly { readonly id: string; readonly error?: { readonly code: string; readonly message: string } }[];
}

describe.each(ENGINES)('policies that break out of their one SELECT (quanta check) (%s engine)', (engine) => {
  let arena: Arena;
  let check: Observed<CliResult>;
  let report: CheckJson;

  beforeAll(async () => {
    arena = await makeArena('policy');
    for (const [id, sql] of Object.entries(POLICIES)) await addPolicy(arena, id, sql(arena));
    // A policy that is one SELECT but reads a host file: the sandbox refuses it (no violation carrying the secret).
    await addPolicy(arena, 'reads-a-file', `SELECT 'orders' AS product_id, content AS message FROM read_text(${sqlString(arena.secret)})`);
    check = await observe(arena, () => cliInProcess(['check', arena.mesh, '--format', 'json'], engine));
    report = JSON.parse(check.result.out) as CheckJson;
  }, 60_000);

  it.each(Object.keys(POLICIES))(
    'refuses the policy %s before it runs (QUANTA_E071, or a syntax error for a text closing the wrapper), naming its file',
    (id) => {
      const policy = report.policies.find((p) => p.id === id);
      const said = `${policy?.error?.code ?? 'evaluated without an error'} ${policy?.error?.message ?? ''}`;
      expect(said).toMatch(CLOSES_A_WRAPPER.has(id) ? REFUSED_BY_THE_PARSER : NOT_ONE_SELECT);
      expect(policy?.error).toMatchObject({ file: expect.stringContaining(`policies/${id}.policy.yaml`) });
    },
  );

  it('refuses a one-SELECT policy that reads a host file with the sandbox denial', () => {
    const policy = report.policies.find((p) => p.id === 'reads-a-file');
    expect(policy?.error?.message ?? 'evaluated without an error').toMatch(SANDBOX_DENIAL);
  });

  it('exits 1, prints no secret and writes nothing outside the mesh', () => {
    expect(check.result.code).toBe(1);
    expect(report.ok).toBe(false);
    expectNothingOutside(arena, check);
  });

  it('refuses the same policies in bin/quanta.mjs (quanta run evaluates them first), writing nothing; HOME untouched', async () => {
    const observed = await observe(arena, () => cliSubprocess(arena, ['check', '.'], undefined, engine));
    expect(observed.result.hung).toBe(false);
    expect(observed.result.code).toBe(1);
    for (const id of Object.keys(POLICIES)) {
      const said = observed.result.out + observed.result.err;
      const line = said.split('\n').find((l) => l.includes(`policies/${id}.policy.yaml`) && l.includes(' error: '));
      expect(line ?? `no error line for ${id}`).toMatch(CLOSES_A_WRAPPER.has(id) ? REFUSED_BY_THE_PARSER : NOT_ONE_SELECT);
    }
    const run = await observe(arena, () => cliSubprocess(arena, ['run', '.'], undefined, engine));
    expect(run.result.hung).toBe(false);
    expectNothingOutside(arena, observed);
    expectNothingOutside(arena, run);
    expect(await fsp.readdir(arena.home)).toEqual([]);
  }, 120_000);
});

/** Contract rules that, got out of `CAST((…) AS DOUBLE)`, COPY a file and then measure 1 — which the rule requires. */
const RULES: Record<string, (arena: Arena) => string> = {
  'rule-closes-the-cast': (a) =>
    `SELECT 1) AS DOUBLE) AS value; COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'rule.csv'))}; SELECT CAST((SELECT 1`,
  'rule-closes-the-cast-twice': (a) =>
    `SELECT 1)) AS DOUBLE); COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'rule2.csv'))}; SELECT CAST((SELECT 1`,
  'rule-two-statements': (a) => `COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(a.outside, 'rule3.csv'))}; SELECT 1`,
  'rule-reads-a-file': (a) => `SELECT count(*) FROM read_text(${sqlString(a.secret)})`,
};

describe.each(ENGINES)('contract sql rules that break out of their wrapper (quanta run) (%s engine)', (engine) => {
  let arena: Arena;
  let run: Observed<CliResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('rule');
    for (const [id, query] of Object.entries(RULES)) {
      const quality = ['- type: sql', `  query: ${yamlQuoted(query(arena))}`, '  mustBe: 1', '  severity: error'];
      await addAttackProduct(arena, { id, sql: "SELECT 'ok' AS v", qualityYaml: quality });
    }
    run = await observe(arena, () => cliInProcess(['run', arena.mesh, '--json'], engine));
    report = runReport(run.result);
  }, 60_000);

  it.each(Object.keys(RULES))('does not publish %s: its rule is refused (QUANTA_E071, a syntax error, or the sandbox for a read)', (id) => {
    const product = report.products.find((p) => p.id === id);
    expect(product?.version, `${id} published`).toBe(0);
    expect(['refused', 'failed']).toContain(product?.status);
    const said = [product?.problem?.message ?? '', ...(product?.checks ?? []).filter((c) => !c.passed).map((c) => c.message)].join('\n');
    expect(said).toMatch(id === 'rule-reads-a-file' ? SANDBOX_DENIAL : CLOSES_A_WRAPPER.has(id) ? REFUSED_BY_THE_PARSER : NOT_ONE_SELECT);
  });

  it('still publishes the mesh’s own products (their sql rules are one SELECT), exits 1, writes nothing', () => {
    expectHelloMeshPublished(report);
    expect(run.result.code).toBe(1);
    expectNothingOutside(arena, run);
  });
});
