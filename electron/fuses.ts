/**
 * Electron fuses (checklist 19): switches compiled into the Electron binary that no code or
 * environment variable can turn back on. They are flipped once, on the packaged binary, by
 * `npm run fuses -- <binary or .app>` (scripts/flipFuses.ts), or by a packager hook calling
 * `applyQuantaFuses` (electron-builder's afterPack, Forge's FusesPlugin with QUANTA_FUSES).
 * Never on node_modules/electron's own binary: `npm start` loads the app from a folder, which
 * OnlyLoadAppFromAsar forbids. **No `electron` import** (`@electron/fuses` only edits bytes).
 */
import nodePath from 'node:path';
import { flipFuses, FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';

/** strictlyRequireAllFuses: an Electron upgrade that adds a fuse fails packaging until it is decided here. */
export const QUANTA_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node that runs any script.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and other Chromium storage encrypted with the OS keychain.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (--require, --inspect…) could inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger port on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app's code is checked against the hash the packager embeds; a tampered app.asar does not start.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only app.asar is loaded, so the integrity check above cannot be sidestepped with an app/ folder.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Quanta ships no custom V8 snapshot.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // file:// gets no more than a browser gives it; the app is served from app:// anyway.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Electron's default: WebAssembly bounds checks through signal handlers (DuckDB-WASM relies on wasm).
  [FuseV1Options.WasmTrapHandlers]: true,
} as const satisfies FuseV1Config;

export class FuseError extends Error {
  override name = 'FuseError';
}

/** True for the development binary that `npm start` runs (node_modules/electron/dist/…). */
export function isDevelopmentElectron(binaryPath: string): boolean {
  const parts = nodePath.resolve(binaryPath).split(/[\\/]/);
  return parts.some((part, i) => part === 'node_modules' && parts[i + 1] === 'electron' && parts[i + 2] === 'dist');
}

/** The fuses of a binary as `{ RunAsNode: 'off', … }`, for messages and tests. */
export async function readFuses(binaryPath: string): Promise<Record<string, 'on' | 'off' | 'removed' | 'inherit'>> {
  const wire = await getCurrentFuseWire(binaryPath);
  const out: Record<string, 'on' | 'off' | 'removed' | 'inherit'> = {};
  for (const [index, state] of Object.entries(wire)) {
    if (index === 'version') continue;
    const name = FuseV1Options[Number(index)] ?? `fuse ${index}`;
    out[name] =
      state === FuseState.ENABLE ? 'on' : state === FuseState.DISABLE ? 'off' : state === FuseState.REMOVED ? 'removed' : 'inherit';
  }
  return out;
}

/**
 * Flips Quanta's fuses on a packaged binary (a .app bundle on macOS, the executable
 * elsewhere), then reads them back: resolves only when every fuse is as configured.
 */
export async function applyQuantaFuses(binaryPath: string, options: { readonly resetAdHocDarwinSignature?: boolean } = {}): Promise<void> {
  if (isDevelopmentElectron(binaryPath)) {
    throw new FuseError(
      `${binaryPath} is the development Electron of node_modules; flipping its fuses would stop \`npm start\`. ` +
        'Pass the binary of the packaged app (Quanta.app, Quanta.exe or quanta) instead.',
    );
  }
  try {
    await flipFuses(binaryPath, {
      ...QUANTA_FUSES,
      // An arm64 macOS app must be re-signed after its bytes change, or it will not start.
      resetAdHocDarwinSignature: options.resetAdHocDarwinSignature ?? process.platform === 'darwin',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FuseError(`could not flip the fuses of ${binaryPath}: ${reason}. Is it an Electron 45+ binary of the packaged app?`);
  }
  const actual = await readFuses(binaryPath);
  const wrong = Object.entries(QUANTA_FUSES)
    .filter(([key]) => /^\d+$/.test(key))
    .map(([key, wanted]) => [FuseV1Options[Number(key)] ?? key, wanted ? 'on' : 'off'] as const)
    .filter(([name, wanted]) => actual[name] !== wanted && actual[name] !== 'removed');
  if (wrong.length > 0) {
    const list = wrong.map(([name, wanted]) => `${name} is ${actual[name] ?? 'missing'}, wanted ${wanted}`).join('; ');
    throw new FuseError(`the fuses of ${binaryPath} did not take: ${list}`);
  }
}
