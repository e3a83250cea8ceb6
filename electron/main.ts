/**
 * Electron main process: one hardened window showing the web build through app://quanta/.
 * Bundled to dist/electron/main.cjs by scripts/buildElectron.mjs; the web build sits beside it
 * in dist/web.
 */
import { realpath, readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import { buildAppMenu } from './appMenu.ts';
import { bindDesktopCalls, DesktopBackend } from './desktopBackend.ts';
import { createExternalLinkOpener } from './externalLinks.ts';
import { DESKTOP_CHANNELS } from './desktopChannels.ts';
import type { DesktopEvents } from './desktopContract.ts';
import type { RendererCommand } from './menuSpec.ts';
import { RecentMeshes } from './recentMeshes.ts';
import { WASM_TIERING_FLAG } from '../workers/duckdb/wasmTiering.ts';
import { APP_HOST, APP_SCHEME, APP_START_URL, isInside, resolveRequestPath, responseHeaders } from './protocolPaths.ts';
import {
  APP_SCHEME_PRIVILEGES,
  createNavigationGuard,
  createWindowOpenHandler,
  devicePermissionHandler,
  hardenedWebPreferences,
  isTrustedSender,
  permissionCheckHandler,
  permissionRequestHandler,
  refuseWebview,
} from './security.ts';

const WEB_ROOT = nodePath.join(__dirname, '..', 'web');
const PRELOAD = nodePath.join(__dirname, 'preload.cjs');

// Must happen before 'ready': a standard, secure scheme gets a real origin (app://quanta),
// so the CSP's 'self', fetch and module workers behave as on https.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
// The quanta's DuckDB-WASM tiers up as in the CLI (workers/duckdb/wasmTiering.ts says why).
app.commandLine.appendSwitch('js-flags', WASM_TIERING_FLAG);

// DevTools and Reload exist only in a development run (`npm start`), never in a packaged app.
const DEVELOPER = !app.isPackaged;

let mainWindow: BrowserWindow | undefined;

// Replaced by scripts/buildElectron.mjs with the bundled samples' folders and titles.
declare const __QUANTA_SAMPLES__: { folder: string; title: string }[];

/** Main → renderer messages, typed by the desktop contract. */
function sendToRenderer<K extends keyof DesktopEvents>(event: K, ...args: DesktopEvents[K]['args']): void {
  mainWindow?.webContents.send(DESKTOP_CHANNELS[event], ...args);
}

let backend: DesktopBackend | undefined;

function refreshMenu(recent: readonly string[]): void {
  Menu.setApplicationMenu(
    buildAppMenu(
      { samples: __QUANTA_SAMPLES__, recent, developerTools: DEVELOPER },
      {
        window: () => mainWindow,
        command: (command: RendererCommand, argument?: string) => sendToRenderer('onCommand', command, argument),
        // Opening from the menu: main opens, then hands the result to the renderer as a command.
        openFolder: () => sendToRenderer('onCommand', 'open-folder'),
        openRecent: (folder) => sendToRenderer('onCommand', 'open-recent', folder),
      },
    ),
  );
}

function handle(channel: string, run: (argument: unknown) => Promise<unknown>): void {
  ipcMain.handle(channel, async (event, argument: unknown) => {
    // Our window's webContents, its top frame, showing app://quanta/ (security.ts).
    if (!isTrustedSender(event, mainWindow?.webContents)) {
      throw new Error(`${channel}: refused, the request did not come from the Quanta window's own page`);
    }
    return run(argument);
  });
}

function registerIpc(): void {
  backend = new DesktopBackend({
    chooseFolder: async () => {
      const options = { title: 'Open a mesh folder', properties: ['openDirectory' as const] };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    recent: new RecentMeshes(nodePath.join(app.getPath('userData'), 'recent-meshes.json')),
    notifyExternalChange: (paths) => sendToRenderer('onExternalChange', paths),
    onRecentChanged: refreshMenu,
  });
  // Every call of the contract, on its own channel, to the backend's handler of the same name.
  bindDesktopCalls(backend, handle);
}

async function serveAppFile(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const file = url.host === APP_HOST ? resolveRequestPath(WEB_ROOT, url.pathname) : undefined;
  if (file === undefined) return notFound();
  try {
    // The string check above cannot see symlinks; the real path must stay inside too.
    const [root, real] = await Promise.all([realpath(WEB_ROOT), realpath(file)]);
    if (!isInside(root, real)) return notFound();
    return new Response(new Uint8Array(await readFile(real)), { status: 200, headers: responseHeaders(real) });
  } catch {
    return notFound();
  }
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Links leave the app only through this: https, allowlisted host, confirmed by the person (externalLinks.ts). */
const openExternalLink = createExternalLinkOpener({
  confirm: async (url, host) => {
    const options = {
      type: 'question' as const,
      title: 'Open link',
      message: `Open this ${host} page in your browser?`,
      detail: url,
      buttons: ['Cancel', 'Open in Browser'],
      defaultId: 0,
      cancelId: 0,
    };
    const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return response === 1;
  },
  refused: async (url, reason) => {
    const options = {
      type: 'warning' as const,
      title: 'Link not opened',
      message: 'Quanta did not open a link.',
      detail: `${url}\n\nWhy: ${reason}. If you trust it, copy the address into your browser yourself.`,
      buttons: ['OK'],
    };
    await (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
  },
  open: (url) => shell.openExternal(url),
});
const onExternalLink = (url: string): void => void openExternalLink(url);

/** Every webContents Electron creates (the window, and any a bug might add) gets the same locks. */
function lockDown(contents: WebContents): void {
  // A link the person clicked in the page may go on to the browser; frame navigations (the
  // main frame's arrive here too, after will-navigate) and redirects are only stopped.
  contents.on('will-navigate', createNavigationGuard(onExternalLink));
  const stop = createNavigationGuard();
  contents.on('will-frame-navigate', stop);
  contents.on('will-redirect', stop);
  contents.on('will-attach-webview', refuseWebview);
  contents.setWindowOpenHandler(createWindowOpenHandler(onExternalLink));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Quanta',
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: hardenedWebPreferences(PRELOAD, { developerTools: DEVELOPER }),
  });
  window.once('ready-to-show', () => window.show());
  // Keep the window title "Quanta" whatever the page's <title> says.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(APP_START_URL);
  return window;
}

app.on('web-contents-created', (_event, contents) => lockDown(contents));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, serveAppFile);
    // Quanta needs no permission (camera, notifications, HID, …): refuse every request and check.
    session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
    session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);
    session.defaultSession.setDevicePermissionHandler(devicePermissionHandler);
    registerIpc();
    refreshMenu([]);
    void backend?.recentMeshes().then(refreshMenu);
    mainWindow = createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
