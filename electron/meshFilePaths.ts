/**
 * Which files the save channel may write: only the files of the mesh folder format
 * (core/load/readMeshFiles.ts reads them; seed data under a product's data/ folder). The
 * renderer shows content from strangers' meshes, so it is treated as compromised: without
 * this list it could write `.git/hooks/pre-commit` or `.vscode/tasks.json` and have code run
 * by the next `git commit` or by opening the folder in an editor. Pure: no Node, no electron.
 */
import {
  CONTRACT_SUFFIX,
  DOMAIN_FILE,
  FEEDBACK_SUFFIX,
  LAYOUT_FILE,
  MESH_FILE,
  POLICY_SUFFIX,
  PRODUCT_FILE,
  SCENARIO_SUFFIX,
  SETTINGS_FILE,
  TRANSFORM_FILE,
  USAGE_SUFFIX,
} from '../core/load/readMeshFiles.ts';

const README = 'README.md';
const SEED_EXTENSIONS = ['.csv', '.jsonl', '.ndjson', '.json', '.parquet'];
const PRODUCT_FILES = new Set([PRODUCT_FILE, SETTINGS_FILE, TRANSFORM_FILE, README]);

/** What the save channel writes, in the words of its error message. */
export const MESH_FILE_KINDS =
  `${MESH_FILE}, ${LAYOUT_FILE}, ${README}, domains/<domain>/${DOMAIN_FILE}, ` +
  `domains/<domain>/<product>/{${PRODUCT_FILE}, <port>${CONTRACT_SUFFIX}, ${SETTINGS_FILE}, ${TRANSFORM_FILE}, ${README}}, ` +
  `domains/<domain>/<product>/data/<seed>{${SEED_EXTENSIONS.join(',')}}, policies/<name>${POLICY_SUFFIX}, scenarios/<name>${SCENARIO_SUFFIX}, ` +
  `feedback/<product>${FEEDBACK_SUFFIX}, usage/<product>${USAGE_SUFFIX}`;

/**
 * Why `path` (mesh-relative, `/`, already free of `..` and empty segments) is not a file the
 * save channel may write or delete; undefined when it is. A delete may also remove any other
 * file of a product folder (its leftovers when the product is deleted, `.gitkeep` included),
 * since removing a file cannot plant code.
 */
export function meshFileProblem(path: string, change: 'write' | 'delete'): string | undefined {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  // Control and bidi-override characters: a name that displays as something it is not.
  if ([...path].some(deceptive)) return `"${escape(path)}" contains control or text-direction characters`;
  const hidden = parts.findIndex(
    (part, i) => part.startsWith('.') && !(change === 'delete' && i === parts.length - 1 && part === '.gitkeep'),
  );
  if (hidden >= 0) return `"${path}" is in a hidden folder or is a hidden file (${parts[hidden] ?? ''}); Quanta never writes those`;
  if (parts.some((part) => part.toLowerCase() === 'node_modules')) return `"${path}" is inside node_modules; Quanta never writes there`;
  if (isMeshFile(parts, name)) return undefined;
  if (change === 'delete' && parts[0] === 'domains' && parts.length >= 4) return undefined;
  return `"${path}" is not a file of the mesh format; the save channel writes only ${MESH_FILE_KINDS}`;
}

function isMeshFile(parts: readonly string[], name: string): boolean {
  const [top, second, third, fourth] = parts;
  switch (parts.length) {
    case 1:
      return name === MESH_FILE || name === LAYOUT_FILE || name === README;
    case 2:
      if (top === 'policies') return hasStem(name, POLICY_SUFFIX);
      if (top === 'scenarios') return hasStem(name, SCENARIO_SUFFIX);
      if (top === 'feedback') return hasStem(name, FEEDBACK_SUFFIX);
      if (top === 'usage') return hasStem(name, USAGE_SUFFIX);
      return false;
    case 3:
      return top === 'domains' && name === DOMAIN_FILE;
    case 4:
      return (
        top === 'domains' && second !== undefined && third !== undefined && (PRODUCT_FILES.has(name) || hasStem(name, CONTRACT_SUFFIX))
      );
    case 5:
      return top === 'domains' && fourth === 'data' && SEED_EXTENSIONS.some((extension) => hasStem(name.toLowerCase(), extension));
    default:
      return false;
  }
}

/** `name` ends with `suffix` and has something before it (`.policy.yaml` alone is a hidden file anyway). */
function hasStem(name: string, suffix: string): boolean {
  return name.length > suffix.length && name.endsWith(suffix);
}

function deceptive(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function escape(text: string): string {
  return [...text].map((c) => (deceptive(c) ? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : c)).join('');
}
