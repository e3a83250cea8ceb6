import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { SHARED_STANDARDS } from '../helpers.ts';

/**
 * A validator for one of the official schemas in ../shared/standards, made with Ajv — a second,
 * independent JSON Schema implementation — so a bug in Quanta's own validator or a drifted copy
 * of a schema cannot hide an invalid file. Returns the problems, `[]` when the value is valid.
 */
export async function officialValidator(relativePath: string): Promise<(value: unknown) => string[]> {
  const schema = JSON.parse(await fsp.readFile(nodePath.join(SHARED_STANDARDS, relativePath), 'utf8')) as object;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}

export const ODPS_SCHEMA_FILE = 'odps/odps-json-schema-v1.0.0.json';
export const ODCS_SCHEMA_FILE = 'odcs/odcs-json-schema-v3.1.0.json';

/** The official validator for a mesh file by its name (`.odps.yaml` or `.odcs.yaml`), or undefined for other files. */
export function standardOf(path: string): string | undefined {
  if (path.endsWith('.odps.yaml')) return ODPS_SCHEMA_FILE;
  if (path.endsWith('.odcs.yaml')) return ODCS_SCHEMA_FILE;
  return undefined;
}
