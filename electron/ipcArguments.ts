/**
 * Main validates every argument that crosses from the renderer: the renderer is treated as
 * untrusted (a mesh's content is shown there). Each validator returns a typed value or
 * throws IpcArgumentError saying what was wrong. **No `electron` import.**
 */
import { DESKTOP_CHANNELS } from './desktopChannels.ts';
import { meshFileProblem } from './meshFilePaths.ts';
import type { FileChange } from './meshSession.ts';

export class IpcArgumentError extends Error {
  constructor(channel: string, message: string) {
    super(`${channel}: ${message}`);
    this.name = 'IpcArgumentError';
  }
}

const MAX_PATH_LENGTH = 1024;
const MAX_CHANGES = 5_000;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function record(channel: string, value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new IpcArgumentError(channel, `${what} must be an object`);
  return value as Record<string, unknown>;
}

export function meshRelativePath(channel: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new IpcArgumentError(channel, 'a file path must be a non-empty string');
  if (value.length > MAX_PATH_LENGTH) throw new IpcArgumentError(channel, `a file path is longer than ${MAX_PATH_LENGTH} characters`);
  if (value.includes('\u0000')) throw new IpcArgumentError(channel, 'a file path contains a NUL character');
  if (value.startsWith('/') || value.includes('\\') || /^[a-zA-Z]:/.test(value)) {
    throw new IpcArgumentError(channel, `"${value}" must be relative to the mesh folder, with /`);
  }
  if (value.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new IpcArgumentError(channel, `"${value}" must not contain empty, . or .. segments`);
  }
  return value;
}

export function saveArguments(value: unknown): { changes: FileChange[]; overwrite: boolean } {
  const channel = DESKTOP_CHANNELS.save;
  const args = record(channel, value, 'the save request');
  if (!Array.isArray(args['changes'])) throw new IpcArgumentError(channel, 'changes must be a list');
  if (args['changes'].length > MAX_CHANGES) throw new IpcArgumentError(channel, `more than ${MAX_CHANGES} changes in one save`);
  const overwrite = args['overwrite'] ?? false;
  if (typeof overwrite !== 'boolean') throw new IpcArgumentError(channel, 'overwrite must be true or false');
  const seen = new Set<string>();
  const changes = args['changes'].map((raw, i): FileChange => {
    const change = record(channel, raw, `change ${i + 1}`);
    const path = meshRelativePath(channel, change['path']);
    if (seen.has(path)) throw new IpcArgumentError(channel, `"${path}" appears twice in one save`);
    seen.add(path);
    const content = change['content'];
    if (content !== null && !(content instanceof Uint8Array))
      throw new IpcArgumentError(channel, `the content of "${path}" must be bytes (Uint8Array) or null`);
    const problem = meshFileProblem(path, content === null ? 'delete' : 'write');
    if (problem !== undefined) throw new IpcArgumentError(channel, `${problem}. Nothing of this save was written.`);
    if (content === null) return { path, content: null };
    if (content.byteLength > MAX_FILE_BYTES)
      throw new IpcArgumentError(channel, `"${path}" is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    return { path, content };
  });
  return { changes, overwrite };
}

export function acknowledgeArguments(value: unknown): string[] {
  const channel = DESKTOP_CHANNELS.acknowledge;
  if (!Array.isArray(value) || value.length > MAX_CHANGES) throw new IpcArgumentError(channel, 'expected a list of file paths');
  return value.map((path) => meshRelativePath(channel, path));
}

export function recentArguments(value: unknown, known: readonly string[]): string {
  const channel = DESKTOP_CHANNELS.openRecent;
  // Only a folder main itself listed as recent may be opened this way: the renderer cannot name arbitrary folders.
  if (typeof value !== 'string' || !known.includes(value)) throw new IpcArgumentError(channel, 'not one of the recent meshes');
  return value;
}
