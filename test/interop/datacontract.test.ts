import { promises as fsp } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { EXPORTS, datacontractTest, exportFailures, lintFailure, publishMesh, testFailure, type PublishedMesh } from './publishedData.ts';

/*
 * datacontract-cli, the reference tool for ODCS, agrees with every contract Quanta ships:
 * `datacontract lint` passes on each sample contract, `datacontract test` passes on each
 * against the data the product publishes (Quanta's own run, written as Parquet with the
 * published DuckDB types), and `datacontract export` turns each into the formats teams use.
 * The contracts Quanta writes (blueprints, imports, derivations, edits): datacontractWritten.test.ts.
 */
const SAMPLES = ['hello-mesh', 'retail', 'daff'];
/**
 * Checks datacontract-cli does not run on a shipped contract, by port, each with its reason; the
 * test fails when this list is wrong either way. datacontract-cli 1.2.8 keys checks by table and
 * metric (`<table>__model_duplicate_values`), so a second rule of one metric in one place has no
 * result (docs/datacontract.md); daff's second composite key is a sql rule for that, and the list is empty.
 */
const KNOWN_UNRUN: Readonly<Record<string, readonly string[]>> = {};

let dir: string;
beforeAll(async () => {
  dir = await tempDir('datacontract');
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe.each(SAMPLES)('the contracts of %s', (sample) => {
  let run: PublishedMesh = { published: [], unpublished: [] };
  // Every contract, also those of products the run refuses on purpose (daff's); tested: those with data.
  const contracts = (): string[] => [...run.published, ...run.unpublished].map((p) => p.contract);

  beforeAll(async () => {
    run = await publishMesh(`sample-meshes/${sample}`, dir, sample);
  });

  it('pass datacontract lint', () => {
    expect(contracts().length).toBeGreaterThan(0);
    expect(contracts().flatMap((c) => lintFailure(c, dir) ?? [])).toEqual([]);
  });

  it('pass datacontract test against the data their product publishes', () => {
    expect(run.published.length).toBeGreaterThan(0);
    expect(run.published.flatMap((p) => testFailure(p.tested, dir, KNOWN_UNRUN[`${sample}.${p.product}.${p.port}`]) ?? [])).toEqual([]);
    // Each known gap is still one: a datacontract-cli that runs it makes this list shorter.
    const stillUnrun = run.published.flatMap((p) =>
      (KNOWN_UNRUN[`${sample}.${p.product}.${p.port}`] ?? []).filter((name) =>
        datacontractTest(p.tested, dir).notPassed.some((c) => c.includes(` ${name}:`)),
      ),
    );
    expect(stillUnrun).toEqual(
      Object.entries(KNOWN_UNRUN)
        .filter(([key]) => key.startsWith(`${sample}.`))
        .flatMap(([, names]) => names),
    );
  });

  it(`export with datacontract export to ${EXPORTS.join(', ')}`, () => {
    expect(contracts().flatMap((c) => exportFailures(c, dir))).toEqual([]);
  });
});
