/**
 * The official JSON Schemas of the standards Quanta's files follow, vendored unchanged so
 * the app validates offline and never depends on anything outside its own folder.
 * Sources and licence: see README.md in this folder.
 */
import odcs from './odcs-v3.1.0.schema.json' with { type: 'json' };
import odps from './odps-v1.0.0.schema.json' with { type: 'json' };

export const ODPS_SCHEMA: object = odps;
export const ODCS_SCHEMA: object = odcs;
