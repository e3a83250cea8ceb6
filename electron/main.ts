/**
 * Electron main process: one hardened window showing the web build through app://quanta/.
 * Bundled to dist/electron/main.cjs by scripts/buildElectron.mjs; the web build sits beside it
 * in dist/web.
 */
import { realpath, readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { buildAppMenu } from './appMenu.ts';
import { DesktopBackend } from './desktopBackend.ts';
import { IPC_CHANNELS } from './ipcArguments.ts';
import type { RendererCommand } from './menuSpec.ts';
import { RecentMeshes } from './recentMeshes.ts';
import { APP_HOST, APP_SCHEME, APP_START_URL, isInside, resolveRequestPath, responseHeaders } from './protocolPaths.ts';

const WEB_ROOT = nodePath.join(__dirname, '..', 'web');
const PRELOAD = nodePath.join(__dirname, 'preload.cjs');

// Must happen before 'ready': a standard, secure scheme gets a real origin (app://quanta),
// so the CSP's 'self', fetch and module workers behave as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;

// Replaced by scripts/buildElectron.mjs with the bundled samples' folders and titles.
declare const __QUANTA_SAMPLES__: { folder: string; title: string }[];

function sendToRenderer(channel: string, ...args: unknown[]): void {
  mainWindow?.webContents.send(channel, ...args);
}

let backend: DesktopBackend | undefined;

function refreshMenu(recent: readonly string[]): void {
  Menu.setApplicationMenu(
    buildAppMenu(
      { samples: __QUANTA_SAMPLES__, recent },
      {
        window: () => mainWindow,
        command: (command: RendererCommand, argument?: string) => sendToRenderer(IPC_CHANNELS.command, command, argument),
        // Opening from the menu: main opens, then hands the result to the renderer as a command.
        openFolder: () => sendToRenderer(IPC_CHANNELS.command, 'open-folder'),
        openRecent: (folder) => sendToRenderer(IPC_CHANNELS.command, 'open-recent', folder),
      },
    ),
  );
}

/** Every IPC call must come from our own page, top frame, at app://quanta/. */
function fromApp(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return event.sender === mainWindow?.webContents && url.startsWith(`${APP_SCHEME}://${APP_HOST}/`);
}

function handle(channel: string, run: (argument: unknown) => Promise<unknown>): void {
  ipcMain.handle(channel, async (event, argument: unknown) => {
    if (!fromApp(event)) throw new Error(`${channel}: refused, the request did not come from the Quanta window`);
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
    notifyExternalChange: (paths) => sendToRenderer(IPC_CHANNELS.externalChange, paths),
    onRecentChanged: refreshMenu,
  });
  const b = backend;
  handle(IPC_CHANNELS.openFolder, () => b.openFolder());
  handle(IPC_CHANNELS.openRecent, (folder) => b.openRecent(folder));
  handle(IPC_CHANNELS.recent, () => b.recentMeshes());
  handle(IPC_CHANNELS.save, (request) => b.save(request));
  handle(IPC_CHANNELS.acknowledge, (paths) => b.acknowledge(paths));
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

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Quanta',
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // The page is the app; it never navigates elsewhere. Links to the web open in the browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_SCHEME}://${APP_HOST}/`)) event.preventDefault();
  });
  // Keep the window title "Quanta" whatever the page's <title> says.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(APP_START_URL);
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, serveAppFile);
    // Quanta asks for no permission (camera, notifications, …); refuse them all.
    session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
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
