/**
 * The browser storage modules in real Chromium, in the web app's own page (same origin, same
 * CSP), for the browserStorage*.spec.ts files. No app UI drives them yet, so esbuild bundles
 * them into one script, which the page loads from its own origin (a routed URL) and which
 * exposes them as `window.quantaStorageHarness`.
 */
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { zipMesh } from '../../core/fs/zipMesh.ts';
import type { openBrowserMeshStore, StoredMeshSummary } from '../../renderer/src/platform/browserMeshStore.ts';
import type { downloadBytes } from '../../renderer/src/platform/download.ts';
import type { filesFromDirectoryInput, pickMeshFolder } from '../../renderer/src/platform/folderAccess.ts';
import { REPO, sampleInMemory } from '../helpers.ts';
import { BASE_URL, launchChromium, withPage } from './browser.ts';

interface Harness {
  openBrowserMeshStore: typeof openBrowserMeshStore;
  filesFromDirectoryInput: typeof filesFromDirectoryInput;
  pickMeshFolder: typeof pickMeshFolder;
  downloadBytes: typeof downloadBytes;
  zipMesh: typeof zipMesh;
  /** Bytes cross page.evaluate as base64. */
  toWire(files: ReadonlyMap<string, Uint8Array>): Wire;
  fromWire(wire: Wire): Map<string, Uint8Array>;
  changesFromWire(wire: Record<string, string | null>): Map<string, Uint8Array | null>;
}
export type Wire = Record<string, string>;

declare global {
  interface Window {
    quantaStorageHarness: Harness;
  }
}

const HARNESS_SOURCE = `
import { openBrowserMeshStore } from './renderer/src/platform/browserMeshStore.ts';
import { filesFromDirectoryInput, pickMeshFolder } from './renderer/src/platform/folderAccess.ts';
import { downloadBytes } from './renderer/src/platform/download.ts';
import { zipMesh } from './core/fs/zipMesh.ts';
const encode = (bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); };
const decode = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
window.quantaStorageHarness = {
  openBrowserMeshStore, filesFromDirectoryInput, pickMeshFolder, downloadBytes, zipMesh,
  toWire: (files) => Object.fromEntries([...files].map(([path, bytes]) => [path, encode(bytes)])),
  fromWire: (wire) => new Map(Object.entries(wire).map(([path, text]) => [path, decode(text)])),
  changesFromWire: (wire) => new Map(Object.entries(wire).map(([path, text]) => [path, text === null ? null : decode(text)])),
};
`;
const HARNESS_URL = new URL('__e2e__/browserStorageHarness.js', BASE_URL).href;

let harnessScript: Promise<string> | undefined;

/** The harness bundled once per run, from the modules as they are on disk. */
function harnessBundle(): Promise<string> {
  harnessScript ??= build({
    stdin: { contents: HARNESS_SOURCE, resolveDir: REPO, loader: 'ts', sourcefile: 'browserStorageHarness.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return harnessScript;
}

/** Opens the app, loads the harness from the app's origin (so the app's CSP allows it), runs `use`. */
export function withHarness(browser: Browser, use: (page: Page) => Promise<void>): Promise<void> {
  return withPage(browser, '', async (page) => {
    const harnessScript = await harnessBundle();
    await page.context().route(HARNESS_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: harnessScript }));
    await loadHarness(page);
    await use(page);
  });
}

export async function loadHarness(page: Page): Promise<void> {
  await page.addScriptTag({ url: HARNESS_URL });
  await page.waitForFunction(() => window.quantaStorageHarness !== undefined);
}

export const toWire = (files: ReadonlyMap<string, Uint8Array>): Wire =>
  Object.fromEntries([...files].map(([path, bytes]) => [path, Buffer.from(bytes).toString('base64')]));
export const fromWire = (wire: Wire): Map<string, Uint8Array> =>
  new Map(Object.entries(wire).map(([path, text]) => [path, new Uint8Array(Buffer.from(text, 'base64'))]));
export const text = (value: string): string => Buffer.from(value).toString('base64');

/** Every byte value and invalid UTF-8: a seed file that must come back as the same bytes. */
export const BINARY = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0xff, 0xfe, 0x00, 0xc3]);

/**
 * For a describe block of store tests: before them, launches a Chromium and loads the daff
 * sample (plus BINARY as a seed file) onto the wire, handing both to `use`; after them,
 * closes the browser.
 */
export function withChromiumAndDaff(use: (block: { browser: Browser; daff: Wire }) => void): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    const files = (await sampleInMemory('daff')).fs.snapshot();
    files.set('domains/songs/music-catalog/data/cover.bin', BINARY);
    use({ browser, daff: toWire(files) });
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Stores `files` as a new mesh in the page's store of `kind` (as the app does on opening one); its id. */
export function storeMesh(
  page: Page,
  kind: 'opfs' | 'indexeddb',
  title: string,
  origin: StoredMeshSummary['origin'],
  files: Wire,
): Promise<string> {
  return page.evaluate(
    async ({ prefer, title, origin, files }) => {
      const h = window.quantaStorageHarness;
      return (await h.openBrowserMeshStore({ prefer })).create(title, origin, h.fromWire(files));
    },
    { prefer: kind, title, origin, files },
  );
}

/** Adds an `<input type="file" webkitdirectory id="mesh-folder">` to the page, for page.setInputFiles. */
export function addFolderInput(page: Page): Promise<void> {
  return page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.webkitdirectory = true;
    input.id = 'mesh-folder';
    document.body.append(input);
  });
}
