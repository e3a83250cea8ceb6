/**
 * What electron/preload.ts exposes as `window.quanta` in the desktop app; absent in the web
 * build. Declared here as well as in the preload because renderer/ may not import electron/;
 * the preload checks its object against the same shape with `satisfies`.
 */
export interface QuantaDesktopApi {
  readonly version: string;
}

declare global {
  interface Window {
    readonly quanta?: QuantaDesktopApi;
  }
}

export function desktopVersion(): string | undefined {
  return window.quanta?.version;
}
