import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_START_URL, CONTENT_SECURITY_POLICY } from '../../electron/protocolPaths.ts';
import {
  APP_SCHEME_PRIVILEGES,
  createNavigationGuard,
  createWindowOpenHandler,
  devicePermissionHandler,
  hardenedWebPreferences,
  isAppUrl,
  isTrustedSender,
  permissionCheckHandler,
  permissionRequestHandler,
  refuseWebview,
  type FrameLike,
} from '../../electron/security.ts';
import { REPO } from '../helpers.ts';

/* The Electron security checklist (docs/electron-security.md), item by item, without Electron. */

describe('the window webPreferences (checklist 2-4, 6, 8-12)', () => {
  const production = hardenedWebPreferences('/app/preload.cjs', { developerTools: false });

  it('isolate the page: no Node anywhere, context isolation, the OS sandbox', () => {
    expect(production).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true,
      sandbox: true,
      preload: '/app/preload.cjs',
    });
  });

  it('keep web security, refuse insecure content, experimental and Blink features, webviews', () => {
    expect(production).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(production).not.toHaveProperty('enableBlinkFeatures');
  });

  it('open DevTools only in a development run', () => {
    expect(production.devTools).toBe(false);
    expect(hardenedWebPreferences('/p', { developerTools: true }).devTools).toBe(true);
  });
});

describe('app:// and the CSP (checklist 1, 7, 18)', () => {
  it('serve the app from a secure standard scheme that may not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers');
    expect(APP_START_URL).toBe('app://quanta/index.html');
    expect(isAppUrl(APP_START_URL)).toBe(true);
  });

  it('has a CSP that lets only our own scripts run and nothing connect out', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|\bhttps?:|\*|blob:/);
  });

  it.each([
    ['another host that starts the same', 'app://quanta.evil/index.html'],
    ['credentials that hide another host', 'app://quanta@evil/index.html'],
    ['a port', 'app://quanta:8080/index.html'],
    ['a file URL', 'file:///etc/passwd'],
    ['the web', 'https://quanta/index.html'],
    ['javascript', 'javascript:alert(1)'],
    ['not a URL', 'app//quanta'],
  ])('does not take %s for our origin (%s)', (_name, url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

function navigation(url: string): { url: string; prevented: boolean; preventDefault(): void } {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('navigation, new windows and webviews (checklist 12-14)', () => {
  it('lets the page move within app://quanta/ only', () => {
    const external: string[] = [];
    const guard = createNavigationGuard((url) => external.push(url));
    const inside = navigation('app://quanta/index.html#/product/orders');
    guard(inside);
    expect(inside.prevented).toBe(false);
    for (const url of ['https://evil.example/', 'http://127.0.0.1:9000/', 'file:///etc/passwd', 'app://quanta.evil/', 'data:text/html,x']) {
      const event = navigation(url);
      guard(event);
      expect(event.prevented, url).toBe(true);
    }
    // Only the https link is offered to the openExternal policy, which decides on its own.
    expect(external).toEqual(['https://evil.example/']);
  });

  it('stops frame navigations and redirects without offering them to the browser', () => {
    const stop = createNavigationGuard();
    for (const url of ['https://github.com/', 'file:///etc/passwd']) {
      const event = navigation(url);
      stop(event);
      expect(event.prevented, url).toBe(true);
    }
  });

  it('denies every new window and hands https links to the link policy', () => {
    const external: string[] = [];
    const open = createWindowOpenHandler((url) => external.push(url));
    expect(open({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'app://quanta/index.html' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(external).toEqual(['https://github.com/']);
  });

  it('destroys any webview before it attaches', () => {
    const event = navigation('');
    refuseWebview(event);
    expect(event.prevented).toBe(true);
  });
});

describe('session permissions (checklist 5)', () => {
  it('refuses every permission request and every permission check', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      permissionRequestHandler(null, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(permissionCheckHandler()).toBe(false);
    expect(devicePermissionHandler()).toBe(false);
  });
});

/** Plain objects shaped like Electron's WebFrameMain and WebContents. */
function frame(url: string, parent: FrameLike | null, routingId: number, processId = 7): FrameLike {
  return { url, parent, processId, routingId };
}

describe('the IPC sender check (checklist 17)', () => {
  const top = frame('app://quanta/index.html', null, 1);
  const window = { mainFrame: top };

  it('accepts our window, top frame, at app://quanta/', () => {
    expect(isTrustedSender({ sender: window, senderFrame: top }, window)).toBe(true);
    // A fresh wrapper of the same frame (same process and routing id) is the same frame.
    expect(isTrustedSender({ sender: window, senderFrame: frame('app://quanta/', null, 1) }, window)).toBe(true);
  });

  it('refuses an iframe of our own page, even one showing app://quanta/', () => {
    const child = frame('app://quanta/index.html', top, 2);
    expect(isTrustedSender({ sender: window, senderFrame: child }, window)).toBe(false);
  });

  it('refuses a frame that is gone, another window, another origin and no window at all', () => {
    expect(isTrustedSender({ sender: window, senderFrame: null }, window)).toBe(false);
    const other = { mainFrame: frame('app://quanta/index.html', null, 1, 8) };
    expect(isTrustedSender({ sender: other, senderFrame: other.mainFrame }, window)).toBe(false);
    const navigatedAway = { mainFrame: frame('https://evil.example/', null, 1) };
    expect(isTrustedSender({ sender: navigatedAway, senderFrame: navigatedAway.mainFrame }, navigatedAway)).toBe(false);
    expect(isTrustedSender({ sender: window, senderFrame: frame('app://quanta.evil/', null, 1) }, window)).toBe(false);
    expect(isTrustedSender({ sender: window, senderFrame: top }, undefined)).toBe(false);
  });

  it('refuses a top-level frame of our window that is not its main frame', () => {
    expect(isTrustedSender({ sender: window, senderFrame: frame('app://quanta/index.html', null, 3) }, window)).toBe(false);
  });
});

describe('main.ts wiring (a tripwire: main cannot load in Node)', () => {
  it('applies every handler of security.ts and opens links only through the link policy', async () => {
    const main = await readFile(nodePath.join(REPO, 'electron', 'main.ts'), 'utf8');
    for (const wiring of [
      'setPermissionRequestHandler(permissionRequestHandler)',
      'setPermissionCheckHandler(permissionCheckHandler)',
      'setDevicePermissionHandler(devicePermissionHandler)',
      "contents.on('will-navigate', createNavigationGuard(onExternalLink))",
      "contents.on('will-frame-navigate', stop)",
      "contents.on('will-redirect', stop)",
      "contents.on('will-attach-webview', refuseWebview)",
      'setWindowOpenHandler(createWindowOpenHandler(',
      "app.on('web-contents-created'",
      'webPreferences: hardenedWebPreferences(PRELOAD, { developerTools: DEVELOPER })',
      'isTrustedSender(event, mainWindow?.webContents)',
      // Every call of the desktop contract goes through handle(), which checks the sender.
      'bindDesktopCalls(backend, handle)',
      'const DEVELOPER = !app.isPackaged',
      'app.enableSandbox()',
    ]) {
      expect(main, wiring).toContain(wiring);
    }
    expect(main.match(/shell\.openExternal/g)).toHaveLength(1);
    expect(main).toContain('open: (url) => shell.openExternal(url)');
    expect(main).not.toMatch(/file:\/\/|loadFile\(/);
  });
});

describe('docs/electron-security.md', () => {
  it('has the 20 rows of the checklist, each naming test files that exist', async () => {
    const doc = await readFile(nodePath.join(REPO, 'docs', 'electron-security.md'), 'utf8');
    const rows = doc.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows.map((row) => Number(/^\| (\d+) \|/.exec(row)?.[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const row of rows) {
      const files = [...row.matchAll(/`(test\/unit\/[\w.]+\.test\.ts)`/g)].map((m) => m[1] ?? '');
      expect(files.length, row).toBeGreaterThan(0);
      for (const file of files) await expect(readFile(nodePath.join(REPO, file)), file).resolves.toBeTruthy();
    }
  });
});
