import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { requestAccess } from '../../governance/access/access.ts';
import { parseOptions, UsageError, type Command } from './command.ts';
import { openMesh } from './openMesh.ts';

/** `quanta access`: one access request, decided as the mesh's access rules decide it, and (with --audit) recorded. */
export const access: Command = {
  name: 'access',
  usage: `  quanta access <mesh-dir> --as <persona> "<product-id>".<port> [--purpose <p>] [--audit <file>] [--json]
      Decide an access request as the mesh's access rules do (persona purposes, ODCS roles,
      port visibility, classification): allowed or denied, why, and which columns would be
      masked. --audit appends the decided request to a JSON-lines file. Exit 0 allowed, 1 denied.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      as: { type: 'string' },
      purpose: { type: 'string' },
      audit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [dirArg, target, ...extra] = positionals;
    const persona = values['as'];
    const purpose = values['purpose'];
    const auditFile = values['audit'];
    if (dirArg === undefined || target === undefined || extra.length > 0 || typeof persona !== 'string')
      throw new UsageError('give the mesh folder, --as <persona> and one port as "<product-id>".<port>');
    const port = /^"?([^".]+)"?\.(\S+)$/.exec(target);
    if (!port) throw new UsageError(`"${target}" is not a port: write it as "<product-id>".<port>`);
    const { loaded, errors } = await openMesh(io, dirArg);
    if (errors.length > 0) {
      io.err(`quanta access: the mesh has ${errors.length} error(s); run quanta validate ${dirArg}\n`);
      return 1;
    }
    const request = requestAccess(
      loaded.mesh,
      { persona, product: port[1] ?? '', port: port[2] ?? '', ...(typeof purpose === 'string' ? { purpose } : {}) },
      new Date().toISOString(),
    );
    const { decision } = request;
    if (typeof auditFile === 'string') await fsp.appendFile(nodePath.resolve(io.cwd, auditFile), `${JSON.stringify(request)}\n`);
    if (values['json'] === true) io.out(`${JSON.stringify(request, null, 2)}\n`);
    else {
      io.out(`${decision.allowed ? 'allowed' : 'denied'}: ${decision.reason}\n`);
      for (const column of decision.maskedColumns) io.out(`  masked ${column.column} (${column.classification}): ${column.reason}\n`);
    }
    return decision.allowed ? 0 : 1;
  },
};
