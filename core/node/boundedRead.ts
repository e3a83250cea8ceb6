import { constants, promises as fsp, type Stats } from 'node:fs';
import { MeshReadError } from '../fs/meshFileSystem.ts';
import { withinTimeout } from '../util/withinTimeout.ts';

/** Seed files larger than this are refused unless QUANTA_MAX_SEED_MB raises it. */
export const DEFAULT_MAX_SEED_MB = 512;
/** A read that takes longer than this (a hung network drive) is given up, unless QUANTA_READ_TIMEOUT_S raises it. */
export const DEFAULT_READ_TIMEOUT_S = 30;

export interface ReadLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** The limits from the environment, falling back to the defaults for unset or unusable values. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ReadLimits {
  const positive = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return value !== undefined && value.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    maxBytes: Math.floor(positive(env['QUANTA_MAX_SEED_MB'], DEFAULT_MAX_SEED_MB) * 1024 * 1024),
    timeoutMs: Math.floor(positive(env['QUANTA_READ_TIMEOUT_S'], DEFAULT_READ_TIMEOUT_S) * 1000),
  };
}

/** What a non-regular file is, in words a user recognizes. */
export function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

// O_NONBLOCK: opening a FIFO for reading waits for a writer — forever — unless non-blocking.
// Regular files ignore the flag. Windows has no FIFOs in the file system and no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file whole, refusing anything else before a byte is read: the handle is
 * checked with fstat, so what is read is what was checked (no swap between check and open).
 * At most `maxBytes` are read even if the file grows meanwhile, and the read is given up
 * after `timeoutMs`.
 */
export async function readRegularFile(absolute: string, shown: string, limits: ReadLimits): Promise<Uint8Array> {
  const expired = (): MeshReadError =>
    new MeshReadError(shown, 'timeout', `reading ${shown} took longer than ${limits.timeoutMs / 1000} s`, undefined, limits.timeoutMs);
  return withinTimeout(readChecked(absolute, shown, limits.maxBytes), limits.timeoutMs, expired);
}

async function readChecked(absolute: string, shown: string, maxBytes: number): Promise<Uint8Array> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(absolute, OPEN_FLAGS);
  } catch (error) {
    throw openFailure(shown, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new MeshReadError(shown, 'not-regular', `${shown} is ${describeKind(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw tooLarge(shown, stats.size, maxBytes);
    // Read up to one byte past the limit, so a file that grew after fstat is still refused.
    const buffer = new Uint8Array(Math.min(stats.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) throw tooLarge(shown, filled, maxBytes);
        break;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw tooLarge(shown, filled, maxBytes);
    return buffer.subarray(0, filled);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(shown: string, size: number, limit: number): MeshReadError {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new MeshReadError(shown, 'too-large', `${shown} is ${mb(size)}, over the limit of ${mb(limit)}`, size, limit);
}

export function openFailure(shown: string, error: unknown): MeshReadError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ELOOP') return new MeshReadError(shown, 'broken-link', `${shown} is a symlink loop`);
  if (code === 'ENOENT') return new MeshReadError(shown, 'missing', `${shown} does not exist`);
  // ENXIO: a socket, or a FIFO without a reader opened for writing; either way not a file.
  if (code === 'ENXIO' || code === 'ENODEV') return new MeshReadError(shown, 'not-regular', `${shown} is not a regular file`);
  if (code === 'EISDIR') return new MeshReadError(shown, 'not-regular', `${shown} is a folder, not a file`);
  const message = error instanceof Error ? error.message : String(error);
  return new MeshReadError(shown, 'unreadable', `cannot read ${shown}: ${message}`);
}
