import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { parseArgs } from 'node:util';
import { requestAccess } from '../governance/access/access.ts';
import { loadMesh } from '../load/loadMesh.ts';
import { NodeFileSystem } from './nodeFileSystem.ts';

export const ACCESS_USAGE = `  quanta access <mesh-dir> --as <persona> "<product-id>".<port> [--purpose <p>] [--audit <file>] [--json]
      Decide an access request as the mesh's access rules do (persona purposes, ODCS roles,
      port visibility, classification): allowed or denied, why, and which columns would be
      masked. --audit appends the decided request to a JSON-lines file. Exit 0 allowed, 1 denied.`;

interface AccessIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

/** `quanta access`: one access request, decided and (with --audit) recorded. */
export async function accessCommand(args: readonly string[], io: AccessIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [dirArg, target, ...extra] = positionals;
  const persona = values.as;
  if (dirArg === undefined || target === undefined || extra.length > 0 || persona === undefined)
    return usage(io, 'give the mesh folder, --as <persona> and one port as "<product-id>".<port>');
  const port = /^"?([^".]+)"?\.(\S+)$/.exec(target);
  if (!port) return usage(io, `"${target}" is not a port: write it as "<product-id>".<port>`);
  const dir = nodePath.resolve(io.cwd, dirArg);
  const loaded = await loadMesh(new NodeFileSystem(dir));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(`quanta access: the mesh has ${errors.length} error(s); run quanta validate ${dirArg}\n`);
    return 1;
  }
  const request = requestAccess(
    loaded.mesh,
    { persona, product: port[1] ?? '', port: port[2] ?? '', ...(values.purpose === undefined ? {} : { purpose: values.purpose }) },
    new Date().toISOString(),
  );
  const { decision } = request;
  if (values.audit !== undefined) {
    const file = nodePath.resolve(io.cwd, values.audit);
    await fsp.appendFile(file, `${JSON.stringify(request)}\n`);
  }
  if (values.json === true) io.out(`${JSON.stringify(request, null, 2)}\n`);
  else {
    io.out(`${decision.allowed ? 'allowed' : 'denied'}: ${decision.reason}\n`);
    for (const column of decision.maskedColumns) io.out(`  masked ${column.column} (${column.classification}): ${column.reason}\n`);
  }
  return decision.allowed ? 0 : 1;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { as: { type: 'string' }, purpose: { type: 'string' }, audit: { type: 'string' }, json: { type: 'boolean' } },
  });
}

function usage(io: AccessIo, message: string): number {
  io.err(`quanta access: ${message}\nUsage:\n${ACCESS_USAGE}\n`);
  return 2;
}
