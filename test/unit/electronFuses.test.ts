import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { applyQuantaFuses, FuseError, isDevelopmentElectron, QUANTA_FUSES, readFuses } from '../../electron/fuses.ts';
import { tempDir } from '../helpers.ts';

/* Checklist 19: the fuses config, and the hook that flips it on a packaged binary. */

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's shipped wire, in FuseV1Options order: RunAsNode on, cookie encryption off,
// NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off, V8 snapshot off,
// file:// privileges on, wasm trap handlers on.
const ELECTRON_DEFAULT_WIRE = '101100011';

/** A stand-in Electron executable: bytes around a fuse wire, as in the real binary. */
async function fakeElectron(wire = ELECTRON_DEFAULT_WIRE): Promise<string> {
  const file = nodePath.join(await tempDir('fuses'), 'quanta');
  const body = Buffer.concat([
    Buffer.alloc(5000, 0x90),
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.alloc(3000, 0xcc),
  ]);
  await fsp.writeFile(file, body);
  return file;
}

describe('the fuses config', () => {
  it('turns off every way to run other code in the app and on the integrity checks', () => {
    expect(QUANTA_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(QUANTA_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(QUANTA_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(QUANTA_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(QUANTA_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(QUANTA_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(QUANTA_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('decides every fuse @electron/fuses knows, and refuses a binary with undecided ones', () => {
    const fuses = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    for (const fuse of fuses) expect(typeof QUANTA_FUSES[fuse as FuseV1Options], FuseV1Options[fuse]).toBe('boolean');
    expect(QUANTA_FUSES.strictlyRequireAllFuses).toBe(true);
  });
});

describe('applyQuantaFuses (npm run fuses)', () => {
  it('flips the fuses of a packaged binary and reads them back as configured', async () => {
    const binary = await fakeElectron();
    const before = await fsp.readFile(binary);
    await applyQuantaFuses(binary, { resetAdHocDarwinSignature: false });
    expect(await readFuses(binary)).toEqual({
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      LoadBrowserProcessSpecificV8Snapshot: 'off',
      GrantFileProtocolExtraPrivileges: 'off',
      WasmTrapHandlers: 'on',
    });
    // Only the nine wire bytes changed; the rest of the executable is untouched.
    const after = await fsp.readFile(binary);
    expect(after.length).toBe(before.length);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    const wireStart = 5000 + SENTINEL.length + 2;
    expect(changed.every((i) => i >= wireStart && i < wireStart + 9)).toBe(true);
  });

  it('refuses the development Electron of node_modules, which npm start needs unfused', async () => {
    const dev = nodePath.join('/repo', 'node_modules', 'electron', 'dist', 'electron');
    expect(isDevelopmentElectron(dev)).toBe(true);
    expect(isDevelopmentElectron('C:\\repo\\node_modules\\electron\\dist\\electron.exe')).toBe(true);
    expect(isDevelopmentElectron('/opt/Quanta/quanta')).toBe(false);
    await expect(applyQuantaFuses(dev)).rejects.toThrow(/development Electron.*packaged app/);
  });

  it('says what is wrong when the file is no Electron binary, or has fewer fuses than Quanta decides', async () => {
    const notElectron = nodePath.join(await tempDir('fuses'), 'notes.txt');
    await fsp.writeFile(notElectron, 'hello');
    await expect(applyQuantaFuses(notElectron, { resetAdHocDarwinSignature: false })).rejects.toThrow(FuseError);
    await expect(applyQuantaFuses(notElectron, { resetAdHocDarwinSignature: false })).rejects.toThrow(/Could not find sentinel/);
    const old = await fakeElectron('1011');
    await expect(applyQuantaFuses(old, { resetAdHocDarwinSignature: false })).rejects.toThrow(/not long enough/);
  });
});
