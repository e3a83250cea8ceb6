import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SHARED_STANDARDS } from '../helpers.ts';

/*
 * Validators of the official OpenLineage schemas in ../shared/standards/openlineage (test time
 * only): a RunEvent against OpenLineage.json, a facet against the schema its `_schemaURL` names.
 */

const OL = nodePath.join(SHARED_STANDARDS, 'openlineage');

export interface OpenLineageValidators {
  /** The schema's errors for a RunEvent (none when it validates). */
  readonly validateEvent: (value: unknown) => string[];
  /** The errors for a facet by its schema URL; undefined when no official facet schema has that URL. */
  readonly validateFacet: (schemaUrl: string, value: unknown) => string[] | undefined;
}

export async function openLineageValidators(): Promise<OpenLineageValidators> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const facets = new Map<string, string>();
  for (const file of await fsp.readdir(nodePath.join(OL, 'facets'))) {
    const schema = JSON.parse(await fsp.readFile(nodePath.join(OL, 'facets', file), 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    facets.set(schema.$id, file.replace(/\.json$/, ''));
  }
  const main = JSON.parse(await fsp.readFile(nodePath.join(OL, 'OpenLineage.json'), 'utf8')) as { $id: string };
  ajv.addSchema(main);
  const runEvent = ajv.getSchema(`${main.$id}#/$defs/RunEvent`);
  if (!runEvent) throw new Error('no RunEvent in the official schema');
  return {
    validateEvent: (value) => (runEvent(value) ? [] : (runEvent.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)),
    validateFacet: (url, value) => {
      const [id] = url.split('#');
      const name = facets.get(id ?? '');
      const validate = name === undefined ? undefined : ajv.getSchema(`${id}#/$defs/${name}`);
      if (!validate) return undefined;
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    },
  };
}
