/**
 * The Electron security checklist as plain functions and data, so Node tests prove each item
 * (test/unit/electronSecurity.test.ts, docs/electron-security.md) and main.ts only wires them.
 * The shapes below are the few fields of Electron's objects these functions read; main.ts
 * passes the real objects and TypeScript checks they fit. **No `electron` import.**
 */
import { APP_HOST, APP_SCHEME } from './protocolPaths.ts';

/** Checklist 16: Electron majors older than this are out of support; test/unit/packageLock.test.ts holds the lock to it. */
export const MIN_ELECTRON_MAJOR = 45;

/**
 * The privileges of app:// (checklist 1, 18): standard + secure give it a real origin that
 * counts as secure like https. Never `bypassCSP`, never `allowServiceWorkers`, never
 * `corsEnabled` for other origins: the scheme serves our own build and nothing else.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/** The webPreferences of every Quanta window (checklist 2, 3, 4, 6, 8, 9, 10, 11, 12). */
export function hardenedWebPreferences(preload: string, options: { readonly developerTools: boolean }) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // No <webview> at all: the app shows no third-party pages (so no allowpopups either).
    webviewTag: false,
    // A file dropped on the window must not replace the app with that file.
    navigateOnDragDrop: false,
    // DevTools open only in a development run (`npm start`), never in a packaged app.
    devTools: options.developerTools,
    spellcheck: false,
  } as const;
}

/** True only for a URL of our own origin, app://quanta/…, checked with a URL parser (a prefix test lets `app://quanta.evil` through). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export interface PreventableNavigation {
  readonly url: string;
  preventDefault(): void;
}

/**
 * One handler for `will-navigate`, `will-frame-navigate` and `will-redirect` (checklist 13):
 * the app is one page and only ever moves within app://quanta/. Anything else is stopped;
 * an https link is handed to `onExternalLink` (the openExternal policy decides).
 */
export function createNavigationGuard(onExternalLink: (url: string) => void = () => {}): (event: PreventableNavigation) => void {
  return (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    if (event.url.startsWith('https://')) onExternalLink(event.url);
  };
}

/** `setWindowOpenHandler` (checklist 14): no new window, ever; an https link goes to `onExternalLink`. */
export function createWindowOpenHandler(onExternalLink: (url: string) => void): (details: { readonly url: string }) => { action: 'deny' } {
  return ({ url }) => {
    if (url.startsWith('https://')) onExternalLink(url);
    return { action: 'deny' };
  };
}

/** `will-attach-webview` (checklist 12): webviewTag is off, and should one appear anyway it is destroyed. */
export function refuseWebview(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/**
 * Session permission handlers (checklist 5): Quanta needs no permission (camera,
 * notifications, clipboard reading, HID, …), so every request and every check is refused,
 * including those from our own page.
 */
export const permissionRequestHandler = (_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void =>
  callback(false);
export const permissionCheckHandler = (): boolean => false;
export const devicePermissionHandler = (): boolean => false;

/** The fields of Electron's WebFrameMain that the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

export interface IpcEventLike {
  readonly sender: { readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}

/**
 * Checklist 17: an IPC call is accepted only from our window's webContents, from its top
 * frame (not an iframe, which has a parent, and not a frame already gone: `senderFrame` is
 * null then), with that frame showing app://quanta/. Frames are compared by their process and
 * routing ids, which Electron keeps stable, rather than by wrapper identity.
 */
export function isTrustedSender(event: IpcEventLike, window: { readonly mainFrame: FrameLike } | undefined): boolean {
  if (window === undefined || event.sender !== window) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  const top = window.mainFrame;
  return frame.processId === top.processId && frame.routingId === top.routingId && isAppUrl(frame.url);
}
