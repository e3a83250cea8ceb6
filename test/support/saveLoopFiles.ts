/**
 * The files the kill -9 test saves, and their exact content at each version: sizes from a
 * few hundred bytes to 96 KB, so a write takes long enough to be cut in the middle, and an
 * end marker, so a truncated file is told from a whole one.
 */
export const SAVE_LOOP_FILES = ['domains/kill/domain.yaml', 'domains/kill/loop/product.odps.yaml', 'policies/kill.policy.yaml'] as const;

const SIZES = [300, 96 * 1024, 12 * 1024];

export function saveLoopContent(path: string, version: number): Uint8Array {
  const index = SAVE_LOOP_FILES.indexOf(path as (typeof SAVE_LOOP_FILES)[number]);
  const head = `# version ${version} of ${path}\n`;
  const filler = `# ${String(version).padStart(8, '0')} `.repeat(Math.ceil((SIZES[index] ?? 100) / 12));
  return new TextEncoder().encode(`${head}${filler}\n# end of version ${version}\n`);
}

/** The version a file's bytes are, or undefined when they are not exactly one version's content (torn or corrupt). */
export function saveLoopVersion(path: string, bytes: Uint8Array): number | undefined {
  const match = /^# version (\d+) of /.exec(new TextDecoder().decode(bytes.subarray(0, 200)));
  if (!match) return undefined;
  const version = Number(match[1]);
  const expected = saveLoopContent(path, version);
  return expected.length === bytes.length && expected.every((b, i) => b === bytes[i]) ? version : undefined;
}
