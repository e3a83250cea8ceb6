/**
 * The renderer's only window onto the desktop: `window.quanta`, the frozen object of named
 * functions built by preloadApi.ts, never ipcRenderer or a generic channel. Runs sandboxed,
 * so it may require nothing but 'electron' (esbuild bundles preloadApi.ts in). Main validates
 * every argument (electron/ipcArguments.ts) and checks the sender (electron/security.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preloadApi.ts';

// Replaced by scripts/buildElectron.mjs with the version from package.json.
declare const __QUANTA_VERSION__: string;

contextBridge.exposeInMainWorld('quanta', createPreloadApi(ipcRenderer, __QUANTA_VERSION__));
