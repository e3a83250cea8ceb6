/**
 * The renderer's only window onto the desktop: a frozen object of named values, never
 * ipcRenderer or a generic channel. Runs sandboxed, so it may require nothing but 'electron'.
 */
import { contextBridge } from 'electron';

/** Mirrors QuantaDesktopApi in renderer/src/platform/desktopApi.ts (renderer/ and electron/ may not import each other). */
export interface QuantaPreloadApi {
  readonly version: string;
}

// Replaced by scripts/buildElectron.mjs with the version from package.json.
declare const __QUANTA_VERSION__: string;

const api = Object.freeze({ version: __QUANTA_VERSION__ }) satisfies QuantaPreloadApi;

contextBridge.exposeInMainWorld('quanta', api);
