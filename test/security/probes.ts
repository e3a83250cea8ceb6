import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import net from 'node:net';
import nodePath from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { NativeHost } from '../../workers/native/nativeHost.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO } from '../helpers.ts';
import type { Arena } from './hostileMesh.ts';

/*
 * How the security suite watches an attack: what changed in the arena outside the mesh (new,
 * changed or removed files: a write), which files there were read (access times: a read),
 * how many connections a local listener received (the network), and every byte the CLI
 * printed (a leak of the secret).
 */

/** Path (relative to the arena) → kind, size and modification time, for every entry outside the mesh folder. */
export async function snapshot(arena: Arena): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = nodePath.join(dir, entry.name);
      if (full === arena.mesh) continue;
      const stat = await fsp.lstat(full);
      const kind = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      // Stat only: reading the files would change the access times the read probe watches.
      // Whole milliseconds: markUnread resets times through a Date, which has no finer grain.
      out.set(nodePath.relative(arena.root, full), `${kind} ${kind === 'dir' ? '' : stat.size} ${Math.floor(stat.mtimeMs)}`);
      if (entry.isDirectory()) await walk(full);
    }
  };
  await walk(arena.root);
  return out;
}

/** What differs between two snapshots: `+new`, `-removed`, `~changed` paths. */
export function changes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) out.push(`+${path}`);
    else if (before.get(path) !== value) out.push(`~${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) out.push(`-${path}`);
  return out.sort();
}

const EPOCH = new Date(0);

/**
 * Sets the access time of everything under the outside folder to 1970, so a later read (of
 * a file, or a listing of a folder) moves it. Returns those entries, or undefined when this
 * file system does not record reads (mounted noatime): then only outputs and writes are checked.
 */
export async function markUnread(arena: Arena): Promise<string[] | undefined> {
  const probe = nodePath.join(arena.root, 'atime-probe');
  await fsp.writeFile(probe, 'x');
  await fsp.utimes(probe, EPOCH, new Date());
  await fsp.readFile(probe);
  const recorded = (await fsp.stat(probe)).atimeMs > 0;
  await fsp.rm(probe);
  if (!recorded) return undefined;
  const entries = [arena.outside];
  for (const entry of await fsp.readdir(arena.outside, { recursive: true, withFileTypes: true })) {
    entries.push(nodePath.join(entry.parentPath, entry.name));
  }
  for (const path of entries) {
    // The same millisecond as before, plus half of one: seconds as a float must not round down into the previous millisecond.
    const mtimeMs = Math.floor((await fsp.stat(path)).mtimeMs) + 0.5;
    await fsp.utimes(path, EPOCH, mtimeMs / 1000);
  }
  return entries;
}

/** Which of the marked entries were read since markUnread (stat only: listing a folder again would count as a read). */
export async function readSinceMark(arena: Arena, marked: readonly string[]): Promise<string[]> {
  const read: string[] = [];
  for (const path of marked) {
    const stat = await fsp.stat(path).catch(() => undefined);
    if (stat && stat.atimeMs > 0) read.push(nodePath.relative(arena.root, path));
  }
  return read;
}

/** Asserts the secret's token is nowhere in `text`. */
export function expectNoSecret(arena: Arena, text: string): void {
  expect(text.includes(arena.token), 'the secret from outside the mesh appears in the output').toBe(false);
}

export interface Observed<T> {
  readonly result: T;
  /** Entries outside the mesh whose content was read during the attack (empty where the file system keeps no access times). */
  readonly read: readonly string[];
  /** Entries outside the mesh created, changed or removed during the attack. */
  readonly changed: readonly string[];
}

/** Runs `attack` and reports what it read and changed outside the mesh. */
export async function observe<T>(arena: Arena, attack: () => Promise<T>): Promise<Observed<T>> {
  const before = await snapshot(arena);
  const marked = await markUnread(arena);
  const result = await attack();
  const read = marked ? await readSinceMark(arena, marked) : [];
  return { result, read, changed: changes(before, await snapshot(arena)) };
}

/** The parts of `quanta run --json` the suite looks at. */
export interface RunReport {
  readonly ok: boolean;
  /** Set when the CLI printed no JSON: what it printed. */
  readonly unparsed?: string;
  readonly products: readonly {
    readonly id: string;
    readonly status: string;
    readonly version: number;
    readonly checks: readonly { readonly id: string; readonly passed: boolean; readonly message: string }[];
    readonly problem?: { readonly message: string; readonly file?: string; readonly line?: number };
  }[];
}

/** The JSON report, or an empty one saying what was printed instead (a run that hung or crashed). */
export function runReport(result: CliResult): RunReport {
  try {
    return JSON.parse(result.out) as RunReport;
  } catch {
    const printed = `exit ${result.code}; stdout: ${result.out.slice(0, 1500)}; stderr: ${result.err.slice(0, 1500)}`;
    return { ok: false, products: [], unparsed: printed };
  }
}

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Which DuckDB the attacks run on: every attack class runs on both engines (issue 15), since
 * native DuckDB reaches much further than DuckDB-WASM (the real file system, httpfs, extensions).
 */
export const ENGINES = ['wasm', 'native'] as const;
export type Engine = (typeof ENGINES)[number];

/** `args` for `engine`: the native engine is asked for with `--engine native`. */
function withEngine(args: readonly string[], engine: Engine): string[] {
  return engine === 'native' ? [...args, '--engine', 'native'] : [...args];
}

/** The CLI in this process, with in-process quanta (fast; a hang would hang the test, so no network attacks here). */
export async function cliInProcess(args: readonly string[], engine: Engine = 'wasm'): Promise<CliResult> {
  let out = '';
  let err = '';
  const hosts: { dispose(): Promise<void> }[] = [];
  try {
    const code = await runCli(withEngine(args, engine), {
      out: (t) => (out += t),
      err: (t) => (err += t),
      cwd: REPO,
      createHost: (size) => {
        const host = new InProcessHost(Math.min(size, 2));
        hosts.push(host);
        return host;
      },
      createNativeHost: (size) => {
        const host = new NativeHost(Math.min(size, 2));
        hosts.push(host);
        return host;
      },
      createCatalogEngine: (host) => new QuantumCatalogEngine(host),
    });
    return { code, out, err };
  } finally {
    await Promise.all(hosts.map((h) => h.dispose()));
  }
}

export interface SubprocessResult extends CliResult {
  /** Killed at `boundMs`: it hung. */
  readonly hung: boolean;
}

/**
 * bin/quanta.mjs as a user runs it, in worker threads (or on native DuckDB), with HOME (and USERPROFILE) in the
 * arena so anything DuckDB would write into a home folder shows up there. Asynchronous, so a
 * listener in this process keeps accepting while it runs.
 */
export function cliSubprocess(arena: Arena, args: readonly string[], boundMs = 90_000, engine: Engine = 'wasm'): Promise<SubprocessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nodePath.join(REPO, 'bin', 'quanta.mjs'), ...withEngine(args, engine)], {
      cwd: arena.mesh,
      env: { ...process.env, HOME: arena.home, USERPROFILE: arena.home, XDG_CACHE_HOME: nodePath.join(arena.home, '.cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let hung = false;
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, boundMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ code: status ?? -1, out, err, hung });
    });
  });
}

export interface Listener {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** The first bytes of each request, to say what reached it. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** A TCP listener on 127.0.0.1 at a free port that counts connections and answers 404. */
export async function countingListener(): Promise<Listener> {
  let count = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (data) => {
      requests.push(data.toString('latin1').slice(0, 300));
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the listener has no TCP port');
  return {
    port: address.port,
    connections: () => count,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
