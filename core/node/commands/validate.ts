import { formatDiagnostic } from '../../diagnostics/diagnostic.ts';
import { plural } from '../cliText.ts';
import { parseOptions, UsageError, type Command } from './command.ts';
import { openMesh } from './openMesh.ts';

/** `quanta validate`: every problem of the mesh's files, with its place and a hint. */
export const validate: Command = {
  name: 'validate',
  usage: `  quanta validate <mesh-dir> [--json]
      Check every file of the mesh. Prints file:line:col code message per problem.
      Exit code 0 when there are no errors (warnings allowed), 1 otherwise.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError(`expected one mesh folder, got ${positionals.length}`);
    const { loaded, name, shown, errors } = await openMesh(io, positionals[0]);
    const warnings = loaded.diagnostics.length - errors.length;
    const { mesh } = loaded;
    if (values['json'] === true) {
      const report = {
        mesh: name,
        valid: errors.length === 0,
        errors: errors.length,
        warnings,
        counts: {
          domains: mesh.domains.length,
          products: mesh.products.length,
          policies: mesh.policies.length,
          scenarios: mesh.scenarios.length,
        },
        diagnostics: loaded.diagnostics.map((d) => ({ ...d, path: shown(d.file) })),
      };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return errors.length === 0 ? 0 : 1;
    }
    for (const d of loaded.diagnostics) io.out(`${formatDiagnostic({ ...d, file: shown(d.file) })}\n    hint: ${d.hint}\n`);
    const summary = [
      plural(mesh.domains.length, 'domain'),
      plural(mesh.products.length, 'product'),
      plural(mesh.policies.length, 'policy'),
      plural(mesh.scenarios.length, 'scenario'),
    ].join(', ');
    if (errors.length === 0) {
      io.out(`✓ ${name} is valid (${summary}; ${plural(warnings, 'warning')})\n`);
      return 0;
    }
    io.out(`✗ ${name}: ${plural(errors.length, 'error')}, ${plural(warnings, 'warning')} (${summary})\n`);
    return 1;
  },
};
