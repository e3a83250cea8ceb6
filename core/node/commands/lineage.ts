import { formatLineage, LINEAGE_FORMATS, type LineageFormat } from '../../lineage/formatLineage.ts';
import { plural } from '../cliText.ts';
import { parseOptions, UsageError, type Command } from './command.ts';
import { openMesh } from './openMesh.ts';

/** `quanta lineage`: the products by domain and the edges between them, as text, Mermaid or DOT. */
export const lineage: Command = {
  name: 'lineage',
  usage: `  quanta lineage <mesh-dir> [--format text|mermaid|dot]
      Print the data products grouped by domain and the lineage between them.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { format: { type: 'string', short: 'f', default: 'text' } });
    const format = values['format'];
    if (typeof format !== 'string' || !LINEAGE_FORMATS.includes(format as LineageFormat)) {
      throw new UsageError(`--format must be one of ${LINEAGE_FORMATS.join(', ')}`);
    }
    const { loaded, shown, errors } = await openMesh(io, positionals[0]);
    io.out(formatLineage(loaded.mesh, format as LineageFormat));
    if (errors.length > 0) {
      io.err(`${plural(errors.length, 'error')} in this mesh; the lineage above may be incomplete. Run: quanta validate ${shown('')}\n`);
      return 1;
    }
    return 0;
  },
};
