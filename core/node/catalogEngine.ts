/*
 * The catalog adapter moved to workers/catalog/ so the app can use it too (it needs only
 * apache-arrow); the CLI and its tests keep importing it from here.
 */
export { QuantumCatalogEngine, catalogTableToIPC } from '../../workers/catalog/catalogEngine.ts';
