import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_ZIP_BYTES, MAX_ZIP_ENTRIES, unzipMesh, ZipMeshError, zipMesh } from '../../core/fs/zipMesh.ts';
import { sampleInMemory } from '../helpers.ts';

const MESH_YAML = 'apiVersion: quanta/v1\nkind: Mesh\nname: tiny\n';

/** Every byte value, plus bytes that are not valid UTF-8: a seed file that must survive as bytes. */
const BINARY = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0xff, 0xfe, 0x00, 0xc3]);

async function daffFiles(): Promise<Map<string, Uint8Array>> {
  const { fs } = await sampleInMemory('daff');
  const files = fs.snapshot();
  files.set('domains/songs/music-catalog/data/cover.bin', BINARY);
  return files;
}

/** Runs unzipMesh and returns the refusal message, failing the test if it did not refuse. */
function refusal(bytes: Uint8Array, zipName = 'upload.zip'): string {
  try {
    unzipMesh(bytes, zipName);
  } catch (error) {
    expect(error).toBeInstanceOf(ZipMeshError);
    return (error as Error).message;
  }
  throw new Error('unzipMesh accepted the zip');
}

/** Name → byte offset of its central-directory header, walked from the end record like a reader does. */
function centralHeaders(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const headers = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true);
    headers.set(new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)), at);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return headers;
}

function centralHeader(zip: Uint8Array, name: string): number {
  const at = centralHeaders(zip).get(name);
  if (at === undefined) throw new Error(`no central header for ${name}`);
  return at;
}

function patchU32(zip: Uint8Array, at: number, value: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

function zipOf(entries: Zippable): Uint8Array {
  return zipSync(entries, { level: 6 });
}

describe('zipMesh / unzipMesh', () => {
  it('round-trips the daff sample byte for byte, including a binary seed file', async () => {
    const files = await daffFiles();
    expect(files.size).toBeGreaterThan(40);
    const back = unzipMesh(zipMesh(files), 'daff.zip');
    expect([...back.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [path, content] of files) expect(back.get(path), path).toEqual(content);
    expect(back.get('domains/songs/music-catalog/data/cover.bin')).toEqual(BINARY);
  });

  it('puts every entry under the folder name when given one, and strips that folder again on import', async () => {
    const files = await daffFiles();
    const zip = zipMesh(files, 'daff');
    const names = [...centralHeaders(zip).keys()];
    expect(names.every((name) => name.startsWith('daff/'))).toBe(true);
    expect(names).toContain('daff/mesh.yaml');
    const back = unzipMesh(zip, 'daff.zip');
    expect(back.get('mesh.yaml')).toEqual(files.get('mesh.yaml'));
    expect(back.size).toBe(files.size);
  });

  it('strips the one top folder of a zip made by "Compress folder", skipping __MACOSX/, .DS_Store and folder entries', () => {
    const zip = zipOf({
      'my-mesh/': new Uint8Array(0),
      'my-mesh/mesh.yaml': strToU8(MESH_YAML),
      'my-mesh/.DS_Store': new Uint8Array([0, 0, 0, 1]),
      'my-mesh/domains/': new Uint8Array(0),
      'my-mesh/domains/sales/domain.yaml': strToU8('kind: Domain\n'),
      '__MACOSX/my-mesh/._mesh.yaml': new Uint8Array([0, 5, 22, 7]),
    });
    const files = unzipMesh(zip, 'my-mesh.zip');
    expect([...files.keys()].sort()).toEqual(['domains/sales/domain.yaml', 'mesh.yaml']);
    expect(new TextDecoder().decode(files.get('mesh.yaml'))).toBe(MESH_YAML);
  });

  it('keeps files at the top as they are when mesh.yaml is there', () => {
    const files = unzipMesh(zipOf({ 'mesh.yaml': strToU8(MESH_YAML), 'domains/a/domain.yaml': strToU8('x') }), 'flat.zip');
    expect([...files.keys()].sort()).toEqual(['domains/a/domain.yaml', 'mesh.yaml']);
  });

  it('refuses to zip a path that leaves the mesh folder', () => {
    expect(() => zipMesh(new Map([['../outside.txt', 'x']]))).toThrow(/"\.\.\/outside\.txt"/);
    expect(() => zipMesh(new Map([['mesh.yaml', 'x']]), '../up')).toThrow(ZipMeshError);
  });

  it.each([
    ['../evil.sh', 'a parent folder'],
    ['my-mesh/../../evil.sh', 'a parent folder past the top'],
    ['/etc/passwd', 'an absolute path'],
    ['C:/Windows/evil.dll', 'a drive letter'],
    ['domains\\..\\..\\evil.sh', 'backslashes'],
    ['domains\\sales\\domain.yaml', 'a backslash path that would stay inside'],
  ])('refuses an entry named %s (%s), naming it', (name) => {
    const message = refusal(zipOf({ 'mesh.yaml': strToU8(MESH_YAML), [name]: strToU8('boom') }), 'evil.zip');
    expect(message).toContain('evil.zip');
    expect(message).toContain(`"${name}"`);
    expect(message).toMatch(/leaves the mesh folder/);
  });

  it('refuses a symbolic link entry', () => {
    const zip = zipOf({
      'mesh.yaml': strToU8(MESH_YAML),
      'domains/link.yaml': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }],
    });
    expect(refusal(zip)).toMatch(/entry "domains\/link\.yaml" is a symbolic link/);
    // The same attributes on a regular Unix file are fine.
    const regular = zipOf({ 'mesh.yaml': [strToU8(MESH_YAML), { os: 3, attrs: (0o100644 << 16) >>> 0 }] });
    expect(unzipMesh(regular, 'ok.zip').has('mesh.yaml')).toBe(true);
  });

  it('refuses an encrypted entry', () => {
    const zip = zipOf({ 'mesh.yaml': strToU8(MESH_YAML), 'secret.csv': strToU8('a,b\n1,2\n') });
    const at = centralHeader(zip, 'secret.csv');
    const flags = new DataView(zip.buffer).getUint16(at + 8, true);
    const encrypted = zip.slice();
    new DataView(encrypted.buffer).setUint16(at + 8, flags | 1, true);
    expect(refusal(encrypted)).toMatch(/entry "secret\.csv" is encrypted/);
  });

  it(`refuses a zip of more than ${MAX_ZIP_ENTRIES} entries before unpacking any`, () => {
    const entries: Zippable = { 'mesh.yaml': strToU8(MESH_YAML) };
    for (let i = 0; i < MAX_ZIP_ENTRIES; i++) entries[`data/${i}.csv`] = new Uint8Array(0);
    expect(refusal(zipSync(entries, { level: 0 }))).toMatch(/has 20001 entries; Quanta opens mesh zips of up to 20,000/);
  });

  it('refuses a zip whose entries declare more than 512 MB in all, before inflating', () => {
    const zip = zipOf({ 'mesh.yaml': strToU8(MESH_YAML), 'a.csv': strToU8('x'), 'b.csv': strToU8('y') });
    const half = MAX_ZIP_BYTES / 2 + 1;
    const patched = patchU32(patchU32(zip, centralHeader(zip, 'a.csv') + 24, half), centralHeader(zip, 'b.csv') + 24, half);
    expect(refusal(patched)).toMatch(/unpacks to more than 512 MB/);
  });

  it('refuses an entry that inflates to more than it declares (a zip bomb lying about its size)', () => {
    const zip = zipOf({ 'mesh.yaml': strToU8(MESH_YAML), 'bomb.csv': new Uint8Array(4 * 1024 * 1024) });
    const lying = patchU32(zip, centralHeader(zip, 'bomb.csv') + 24, 1000);
    expect(refusal(lying)).toMatch(/entry "bomb\.csv" unpacks to more than the 1000 bytes it declares/);
  });

  it('refuses an entry whose content does not match its CRC-32', () => {
    const zip = zipSync({ 'mesh.yaml': strToU8(MESH_YAML), 'data.csv': strToU8('a,b\n1,2\n') }, { level: 0 });
    const at = centralHeader(zip, 'data.csv');
    const crc = new DataView(zip.buffer).getUint32(at + 16, true);
    expect(refusal(patchU32(zip, at + 16, crc ^ 1))).toMatch(/entry "data\.csv" is damaged/);
  });

  it('refuses a zip without mesh.yaml and says where it looked', () => {
    expect(refusal(zipOf({ 'README.md': strToU8('hi'), 'data/a.csv': strToU8('x') }), 'notes.zip')).toBe(
      'notes.zip: it is not a mesh: no mesh.yaml at its top',
    );
    expect(refusal(zipOf({ 'stuff/README.md': strToU8('hi') }), 'stuff.zip')).toBe(
      'stuff.zip: it is not a mesh: no mesh.yaml at its top or inside its only folder "stuff/"',
    );
    expect(refusal(zipOf({ 'repo/docs/x.md': strToU8('x'), 'repo/meshes/shop/mesh.yaml': strToU8(MESH_YAML) }), 'repo.zip')).toMatch(
      /there is one at "repo\/meshes\/shop\/mesh\.yaml": zip that folder instead/,
    );
  });

  it('refuses a file that is not a zip, and a zip cut short', () => {
    expect(refusal(strToU8('mesh.yaml is not a zip'), 'mesh.yaml')).toMatch(/^mesh\.yaml: this is not a zip file/);
    const zip = zipOf({ 'mesh.yaml': strToU8(MESH_YAML) });
    expect(refusal(zip.subarray(0, zip.length - 30))).toMatch(/not a zip file, or it is damaged/);
  });
});
