/**
 * The desktop API as the renderer sees it: `window.quanta`, exposed by electron/preload.ts in
 * the desktop app, absent in the web build. Its types are the desktop contract
 * (electron/desktopContract.ts, types only — the one file of electron/ renderer/ may import,
 * and only with `import type`), so preload, main and the renderer cannot drift apart.
 *
 * `desktopApi()` is the only reader of `window.quanta`: main.tsx calls it once and hands the
 * API (or undefined) to what needs it — platformTargets, openActions, followDesktopCommands
 * and, through AppStoreProvider's `useDesktop()`, the components.
 */
import type { DesktopApi } from '../../../electron/desktopContract.ts';

export type {
  DesktopApi,
  DesktopCommand,
  DesktopOpenedMesh,
  DesktopOpenResult,
  DesktopRecovery,
  DesktopSaveRequest,
  DesktopSaveResult,
} from '../../../electron/desktopContract.ts';

declare global {
  interface Window {
    readonly quanta?: DesktopApi;
  }
}

/** The desktop app's API, or undefined on the web. Call once, at startup (main.tsx). */
export function desktopApi(): DesktopApi | undefined {
  return window.quanta;
}
