import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The hostile meshes of the security suite, built at test time. An arena is a fresh temp
 * folder holding the mesh (a copy of hello-mesh with attacks added), a folder *outside* the
 * mesh with a secret file an attacker wants, and the HOME of the CLI subprocesses. Nothing here
 * relies on the machine's own files (no /etc/passwd): the secret is a random token, so finding
 * it anywhere in an output proves a leak.
 */
export interface Arena {
  readonly root: string;
  /** The hostile mesh: hello-mesh plus the attacks. */
  readonly mesh: string;
  /** Outside the mesh: the secret lives here, and a write would land here. */
  readonly outside: string;
  /** HOME (and USERPROFILE) of CLI subprocesses: DuckDB would put `.duckdb/extensions` there. */
  readonly home: string;
  /** Absolute path of the secret file (a one-column CSV: `secret`, then the token). */
  readonly secret: string;
  /** The random text of the secret file; it must never appear in any output. */
  readonly token: string;
}

export async function makeArena(label: string): Promise<Arena> {
  const root = await fsp.realpath(await tempDir(`hostile-${label}`));
  const mesh = nodePath.join(root, 'mesh');
  const outside = nodePath.join(root, 'outside');
  const home = nodePath.join(root, 'home');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), mesh, { recursive: true });
  await fsp.mkdir(nodePath.join(outside, 'private'), { recursive: true });
  await fsp.mkdir(home);
  const token = `QSECRET${randomBytes(12).toString('hex')}`;
  const secret = nodePath.join(outside, 'secret.csv');
  await fsp.writeFile(secret, `secret\n${token}\n`);
  // A second file in a subfolder, so a glob over the outside folder has something to list.
  await fsp.writeFile(nodePath.join(outside, 'private', 'notes.txt'), `${token}\n`);
  return { root, mesh, outside, home, secret, token };
}

/** `path` as SQL text: a single-quoted literal. */
export function sqlString(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** The secret as a relative path from `cwd` — `../../…/outside/secret.csv`. */
export function relativeSecret(arena: Arena, cwd: string): string {
  return nodePath.relative(cwd, arena.secret);
}

export interface AttackProduct {
  /** Product id and folder name (lower-case words and hyphens). */
  readonly id: string;
  /** transform.sql: the attack, ending in a SELECT that would publish `v` if it got through. */
  readonly sql: string;
  /** Extra ODCS quality rules of the port's table (e.g. a `type: sql` rule), as YAML lines. */
  readonly qualityYaml?: readonly string[];
  /** simulation.timeout of the product (e.g. `300s`, so a hang shows as the test's own bound). */
  readonly timeout?: string;
}

/**
 * Adds a source-aligned product to the sales domain of the arena's mesh: one output port
 * `out` with a contract promising one text column `v`. A transform that got past the sandbox
 * publishes; one the sandbox refuses fails.
 */
export async function addAttackProduct(arena: Arena, product: AttackProduct): Promise<string> {
  const dir = nodePath.join(arena.mesh, 'domains', 'sales', product.id);
  await fsp.mkdir(dir, { recursive: true });
  const write = (name: string, lines: readonly string[]): Promise<void> => fsp.writeFile(nodePath.join(dir, name), `${lines.join('\n')}\n`);
  await write('product.odps.yaml', [
    'apiVersion: v1.0.0',
    'kind: DataProduct',
    `id: ${product.id}`,
    `name: Hostile ${product.id}`,
    'domain: sales',
    'status: draft',
    'version: 0.1.0',
    'team:',
    '  name: sales-team',
    'outputPorts:',
    '  - name: out',
    '    version: 0.1.0',
    `    contractId: hostile.${product.id}`,
  ]);
  await write('out.odcs.yaml', [
    'apiVersion: v3.1.0',
    'kind: DataContract',
    `id: hostile.${product.id}`,
    'version: 0.1.0',
    'status: draft',
    'schema:',
    '  - name: out',
    '    properties:',
    '      - name: v',
    '        logicalType: string',
    ...(product.qualityYaml?.length ? ['    quality:', ...product.qualityYaml.map((l) => `      ${l}`)] : []),
  ]);
  await write('quanta.yaml', [
    'apiVersion: quanta/v1',
    'kind: QuantumSettings',
    'archetype: source-aligned',
    ...(product.timeout ? ['simulation:', `  timeout: ${product.timeout}`] : []),
  ]);
  await fsp.writeFile(nodePath.join(dir, 'transform.sql'), `${product.sql}\n`);
  return dir;
}

/** Writes `policies/<id>.policy.yaml` with `sql` as its check (a YAML block scalar). */
export async function addPolicy(arena: Arena, id: string, sql: string): Promise<string> {
  const file = nodePath.join(arena.mesh, 'policies', `${id}.policy.yaml`);
  const body = sql
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  await fsp.writeFile(
    file,
    [
      'apiVersion: quanta/v1',
      'kind: Policy',
      `id: ${id}`,
      `title: Hostile policy ${id}`,
      'rationale: Tries to leave its one-SELECT wrapper.',
      'scope: global',
      'severity: blocking',
      'check:',
      '  sql: |',
      body,
      '',
    ].join('\n'),
  );
  return file;
}

/** A YAML double-quoted scalar holding `text` (for SQL inside contract rules). */
export function yamlQuoted(text: string): string {
  return JSON.stringify(text);
}

/** Every file of the mesh folder with its bytes, for zipping it into the web app. */
export async function meshFiles(arena: Arena): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await fsp.readdir(arena.mesh, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = nodePath.join(entry.parentPath, entry.name);
    files.set(nodePath.relative(arena.mesh, full).split(nodePath.sep).join('/'), new Uint8Array(await fsp.readFile(full)));
  }
  return files;
}
