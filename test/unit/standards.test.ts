import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { officialValidator } from '../support/officialSchemas.ts';
import { contractFromDocument } from '../../core/model/contractDocument.ts';
import { ODCS_SCHEMA } from '../../core/standards/schemas.ts';
import { checkSchema } from '../../core/validate/schemaCheck.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';
import { listFiles, REPO, SAMPLES_DIR, SHARED_STANDARDS } from '../helpers.ts';

/*
 * The samples are checked with Ajv — a second, independent JSON Schema implementation —
 * against the official schemas in ../shared/standards, not against the copies the app ships.
 * So a bug in Quanta's own validator or a drifted copy cannot hide an invalid file.
 */

const sampleFiles = (await listFiles(SAMPLES_DIR)).filter((p) => p.endsWith('.odps.yaml') || p.endsWith('.odcs.yaml'));

describe('sample meshes follow the official standards', () => {
  it('has standard files to check', () => {
    expect(sampleFiles.filter((p) => p.endsWith('.odps.yaml')).length).toBeGreaterThanOrEqual(10);
    expect(sampleFiles.filter((p) => p.endsWith('.odcs.yaml')).length).toBeGreaterThanOrEqual(10);
  });

  it.each(sampleFiles)('%s validates against the official JSON Schema', async (path) => {
    const validate = await officialValidator(
      path.endsWith('.odps.yaml') ? 'odps/odps-json-schema-v1.0.0.json' : 'odcs/odcs-json-schema-v3.1.0.json',
    );
    const value: unknown = parse(await fsp.readFile(nodePath.join(SAMPLES_DIR, path), 'utf8'));
    expect(validate(value)).toEqual([]);
  });
});

describe('the shipped copies of the standards', () => {
  it.each([
    ['core/standards/odps-v1.0.0.schema.json', 'odps/odps-json-schema-v1.0.0.json'],
    ['core/standards/odcs-v3.1.0.schema.json', 'odcs/odcs-json-schema-v3.1.0.json'],
  ])('%s is byte-identical to the official schema', async (shipped, official) => {
    const [ours, theirs] = await Promise.all([
      fsp.readFile(nodePath.join(REPO, shipped)),
      fsp.readFile(nodePath.join(SHARED_STANDARDS, official)),
    ]);
    expect(ours.equals(theirs)).toBe(true);
  });
});

const odcsExamplesDir = nodePath.join(SHARED_STANDARDS, 'odcs', 'examples');
const odcsExamples = await fsp.readdir(odcsExamplesDir);

describe('official ODCS examples', () => {
  const dir = odcsExamplesDir;
  it('are all found', () => expect(odcsExamples.length).toBeGreaterThanOrEqual(10));
  it.each(odcsExamples)('%s loads as a contract with no schema errors', async (name) => {
    const file = parseYaml(name, await fsp.readFile(nodePath.join(dir, name), 'utf8'));
    expect(file.diagnostics).toEqual([]);
    const errors = checkSchema(file, ODCS_SCHEMA, 'ODCS v3.1.0').filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    const contract = contractFromDocument(name, file.value);
    expect(contract?.id).toEqual(expect.any(String));
    expect(contract?.version).toEqual(expect.any(String));
  });
});
