/**
 * A mesh folder as a .zip, for the browser (import/export) and anything else that moves a
 * mesh as one file. fflate writes the zip and inflates entries; the central directory is read
 * here, because refusing symlinks, encrypted entries and lying sizes needs fields fflate's
 * `unzipSync` does not show (flags, external attributes, CRC-32).
 */
import { Inflate, strToU8, zipSync, type Zippable } from 'fflate';
import { resolveInMesh } from './meshFileSystem.ts';

export const MAX_ZIP_ENTRIES = 20_000;
export const MAX_ZIP_BYTES = 512 * 1024 * 1024;

export class ZipMeshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipMeshError';
  }
}

/**
 * Packs mesh files (mesh-relative paths with `/`) into a zip. With `folderName`, every entry
 * sits under that folder, like a zip made by "Compress folder"; `unzipMesh` strips it again.
 */
export function zipMesh(files: ReadonlyMap<string, Uint8Array | string>, folderName?: string): Uint8Array {
  const prefix = folderName === undefined || folderName === '' ? '' : `${checkedPath(folderName, 'folder name')}/`;
  const entries: Zippable = {};
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    entries[prefix + checkedPath(path, 'file')] = typeof content === 'string' ? strToU8(content) : content;
  }
  return zipSync(entries, { level: 6 });
}

function checkedPath(path: string, what: string): string {
  if (resolveInMesh('', path) !== path || path.includes('\\')) {
    throw new ZipMeshError(`cannot zip the ${what} "${path}": a mesh path must be relative, use "/" and stay inside the mesh folder`);
  }
  return path;
}

interface CentralEntry {
  readonly name: string;
  readonly madeBy: number;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly externalAttributes: number;
  readonly localHeaderOffset: number;
}

/**
 * Unpacks a mesh zip. Strips one common top-level folder (zips made by "Compress folder"),
 * skips __MACOSX/, .DS_Store, .git/ and folder entries; refuses entries whose path escapes
 * (../, absolute, drive letters, backslashes), symlinks, more than 20,000 entries or more than
 * 512 MB uncompressed (declared sizes are checked before inflating, actual sizes and CRC-32
 * after), encrypted entries, and a zip with no mesh.yaml.
 */
export function unzipMesh(bytes: Uint8Array, zipName: string): Map<string, Uint8Array> {
  const fail = (message: string): never => {
    throw new ZipMeshError(`${zipName}: ${message}`);
  };
  const entries = readCentralDirectory(bytes, fail);
  const kept: CentralEntry[] = [];
  let declared = 0;
  for (const entry of entries) {
    const named = `entry "${entry.name}"`;
    if (entry.flags & 1) fail(`${named} is encrypted; Quanta opens only zips made without a password`);
    if (isSymlink(entry)) fail(`${named} is a symbolic link; a mesh zip holds only files and folders`);
    const path = entry.name.endsWith('/') ? entry.name.slice(0, -1) : entry.name;
    if (path.includes('\\') || resolveInMesh('', path) === undefined || path.split('/').includes('..')) {
      fail(`${named} has a path that leaves the mesh folder (absolute, "..", a drive letter or a backslash); refusing the zip`);
    }
    if (entry.name.endsWith('/') || isJunk(path)) continue;
    if (entry.method !== 0 && entry.method !== 8) {
      fail(`${named} uses compression method ${entry.method}, which Quanta cannot read; zip it again with standard (deflate) compression`);
    }
    declared += entry.size;
    if (declared > MAX_ZIP_BYTES) fail(`it unpacks to more than ${MAX_ZIP_BYTES / 1024 / 1024} MB; Quanta opens meshes up to that size`);
    kept.push(entry);
  }

  const files = new Map<string, Uint8Array>();
  for (const entry of kept) {
    const path = resolveInMesh('', entry.name) ?? '';
    if (files.has(path)) fail(`entry "${entry.name}" appears twice`);
    files.set(path, inflateEntry(bytes, entry, fail));
  }
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (files.has(folder)) fail(`"${folder}" is both a file and a folder`);
    }
  }
  return withMeshAtTop(files, fail);
}

const JUNK_FILES = new Set(['.DS_Store', 'Thumbs.db']);
// Finder's resource forks and version-control internals are never part of a mesh.
const JUNK_FOLDERS = new Set(['__MACOSX', '.git']);

function isJunk(path: string): boolean {
  const parts = path.split('/');
  return JUNK_FILES.has(parts[parts.length - 1] ?? '') || parts.some((part) => JUNK_FOLDERS.has(part));
}

function isSymlink(entry: CentralEntry): boolean {
  // Unix "made by" hosts keep st_mode in the high 16 bits of the external attributes.
  const unix = entry.madeBy >> 8 === 3 || entry.madeBy >> 8 === 19;
  return unix && ((entry.externalAttributes >>> 16) & 0o170000) === 0o120000;
}

function withMeshAtTop(files: Map<string, Uint8Array>, fail: (message: string) => never): Map<string, Uint8Array> {
  if (files.has('mesh.yaml')) return files;
  const tops = new Set([...files.keys()].map((path) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '')));
  const [top] = tops;
  if (tops.size === 1 && top !== undefined && top !== '' && files.has(`${top}/mesh.yaml`)) {
    const stripped = new Map<string, Uint8Array>();
    for (const [path, content] of files) stripped.set(path.slice(top.length + 1), content);
    return stripped;
  }
  const where = tops.size === 1 && top ? `at its top or inside its only folder "${top}/"` : 'at its top';
  const deeper = [...files.keys()].filter((path) => path.endsWith('/mesh.yaml')).sort((a, b) => a.length - b.length)[0];
  const hint = deeper ? `; there is one at "${deeper}": zip that folder instead` : '';
  if (files.size === 0) fail('the zip holds no files; a mesh zip needs mesh.yaml at its top');
  return fail(`it is not a mesh: no mesh.yaml ${where}${hint}`);
}

function readCentralDirectory(bytes: Uint8Array, fail: (message: string) => never): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const notAZip = (): never => fail('this is not a zip file, or it is damaged (no zip directory at its end)');

  // The end record sits in the last 22 bytes plus at most a 65,535-byte comment.
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return notAZip();
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (end >= 20 && u32(end - 20) === 0x07064b50) {
    const zip64End = u64(end - 12);
    if (zip64End + 56 > bytes.length || u32(zip64End) !== 0x06064b50) return notAZip();
    count = u64(zip64End + 32);
    offset = u64(zip64End + 48);
  }
  if (count > MAX_ZIP_ENTRIES) fail(`it has ${count} entries; Quanta opens mesh zips of up to ${MAX_ZIP_ENTRIES.toLocaleString('en')}`);

  const entries: CentralEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(at) !== 0x02014b50) return notAZip();
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const next = at + 46 + nameLength + extraLength + u16(at + 32);
    if (next > bytes.length) return notAZip();
    let size = u32(at + 24);
    let compressedSize = u32(at + 20);
    let localHeaderOffset = u32(at + 42);
    // Zip64: the 32-bit fields hold 0xFFFFFFFF and the real values follow in extra field 1, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; x += 4 + u16(x + 2)) {
      if (u16(x) !== 1) continue;
      let field = x + 4;
      const take = (value: number): number => (value === 0xffffffff ? ((field += 8), u64(field - 8)) : value);
      size = take(size);
      compressedSize = take(compressedSize);
      localHeaderOffset = take(localHeaderOffset);
    }
    entries.push({
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0),
      madeBy: u16(at + 4),
      flags,
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize,
      size,
      externalAttributes: u32(at + 38),
      localHeaderOffset,
    });
    at = next;
  }
  return entries;
}

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  // Many zippers write UTF-8 names without setting the flag; try UTF-8 first, then Latin-1.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    if (utf8Flag) return new TextDecoder('utf-8').decode(raw);
    return String.fromCharCode(...raw);
  }
}

function inflateEntry(bytes: Uint8Array, entry: CentralEntry, fail: (message: string) => never): Uint8Array {
  const named = `entry "${entry.name}"`;
  const local = entry.localHeaderOffset;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) fail(`${named} is damaged (its local header is missing)`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > bytes.length) fail(`${named} is cut short; the zip is incomplete`);
  const data = bytes.subarray(start, start + entry.compressedSize);
  let content: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail(`${named} declares ${entry.size} bytes but stores ${entry.compressedSize}`);
    content = data.slice();
  } else {
    content = inflateAtMost(
      data,
      entry.size,
      () => fail(`${named} unpacks to more than the ${entry.size} bytes it declares`),
      (message) => fail(`${named} is damaged (${message})`),
    );
  }
  if (content.length !== entry.size) fail(`${named} declares ${entry.size} bytes but holds ${content.length}`);
  if (crc32(content) !== entry.crc) fail(`${named} is damaged or its declared size is wrong (CRC-32 mismatch)`);
  return content;
}

/**
 * Inflates in small input slices and stops as soon as the output passes `limit`: a zip bomb
 * that lies about its size costs at most one slice's worth of work past the limit.
 */
function inflateAtMost(data: Uint8Array, limit: number, tooBig: () => never, damaged: (message: string) => never): Uint8Array {
  const out = new Uint8Array(limit);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > limit) {
      overflow = true;
      throw new RangeError('over the declared size');
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  const SLICE = 16 * 1024;
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; at += SLICE) inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
  } catch (error) {
    if (overflow) return tooBig();
    return damaged(error instanceof Error ? error.message : String(error));
  }
  return written === limit ? out : out.subarray(0, written);
}

let crcTable: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (crcTable[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
