import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_ELECTRON_MAJOR } from '../../electron/security.ts';
import { REPO } from '../helpers.ts';

/*
 * `npm ci` on a clean clone, on every OS: it installs exactly what package-lock.json lists,
 * so a platform package missing from the lock is missing on that platform (and, since npm
 * sees the lock out of sync, `npm ci` refuses to run at all).
 */

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly resolved?: string;
  readonly link?: boolean;
  readonly hasInstallScript?: boolean;
  readonly os?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

interface Lock {
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

const lock = JSON.parse(await readFile(nodePath.join(REPO, 'package-lock.json'), 'utf8')) as Lock;
const manifest = JSON.parse(await readFile(nodePath.join(REPO, 'package.json'), 'utf8')) as LockEntry;

/** Where Node (and npm) finds `name` from the package at `from`: its own node_modules, then each parent's. */
function resolveInLock(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe('package-lock.json', () => {
  it('is a v3 lock in sync with package.json', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages[''];
    expect(root?.dependencies).toEqual(manifest.dependencies);
    expect(root?.devDependencies).toEqual(manifest.devDependencies);
  });

  it('has an entry, with a version and an integrity hash, for every optional dependency of every package', () => {
    const missing: string[] = [];
    for (const [key, entry] of Object.entries(lock.packages)) {
      for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
        const found = resolveInLock(key, name);
        const target = found === undefined ? undefined : lock.packages[found];
        if (target === undefined) missing.push(`${key || 'the root'} → ${name}@${range}: no entry`);
        else if (target.link !== true && (target.version === undefined || target.integrity === undefined))
          missing.push(`${found}: no version or integrity`);
        else if (EXACT_VERSION.test(range) && target.version !== range) missing.push(`${found}: ${target.version}, wanted ${range}`);
      }
    }
    expect(missing, 'regenerate with `npm install --package-lock-only` (see electron/README.md)').toEqual([]);
  });

  it('locks the native DuckDB bindings for Linux, macOS and Windows', () => {
    const bindings = lock.packages['node_modules/@duckdb/node-bindings'];
    const platforms = Object.keys(bindings?.optionalDependencies ?? {}).map((name) => lock.packages[`node_modules/${name}`]?.os?.[0]);
    expect(new Set(platforms)).toEqual(new Set(['darwin', 'linux', 'win32']));
  });

  it('names no registry host: npm takes each package by name, version and hash from the registry it is set up with', () => {
    const withHost = Object.entries(lock.packages).filter(([, e]) => e.resolved !== undefined && /^https?:/.test(e.resolved));
    expect(withHost.map(([key]) => key)).toEqual([]);
  });

  // Electron 42+ fetches its binary on first launch, not at install: npm ci needs no download host.
  it('installs Electron without an install script, at a supported major that package.json asks for', () => {
    const electron = lock.packages['node_modules/electron'];
    expect(electron?.hasInstallScript).toBeUndefined();
    const major = Number(electron?.version?.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(MIN_ELECTRON_MAJOR);
    expect(manifest.devDependencies?.['electron']?.startsWith(`^${major}.`)).toBe(true);
  });
});
