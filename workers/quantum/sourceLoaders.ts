import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import { generate, GeneratorError, type GeneratedBatch, type GeneratedValue } from '../../core/generate/generator.ts';
import type { ColumnInfo, QuantumError, SourceInput } from './api.ts';
import { columnsToIpc } from './columnsToArrow.ts';
import type { GeneratedSourceCache } from './generatedSources.ts';
import { loadSeed, type SeedTarget } from './loadSeeds.ts';
import { messageOf, sqlError } from './sandboxErrors.ts';
import type { SqlSession } from './sqlSession.ts';

/** Where a source is loaded: the quantum's database session, and its memory limit (for the error text). */
export interface LoadTarget extends SeedTarget {
  readonly memoryLimit: string;
  /** Generated sources made by earlier runs on this quantum (generatedSources.ts). */
  readonly generated?: GeneratedSourceCache;
}

/**
 * One input of a run into a table of its name: Arrow bytes from an upstream, a generator's
 * ticks, or a seed file. A failure comes back as a QuantumError naming the source and file.
 */
export async function loadSource(target: LoadTarget, input: SourceInput): Promise<QuantumError | undefined> {
  const { session } = target;
  try {
    switch (input.kind) {
      case 'arrow':
        await session.insertIpc(input.ipc, input.name);
        // DuckDB ignores bytes that are not an IPC *stream* without a word; say so instead.
        // (Bytes that come with their columns were exported by a quantum: no need to ask.)
        if (!input.columns && !(await describeTable(session, input.name)))
          return { kind: 'input', message: `input "${input.name}" did not load: its bytes are not an Arrow IPC stream` };
        return undefined;
      case 'generated':
        return await loadGenerated(session, input, target.generated);
      case 'csv':
      case 'jsonl':
      case 'parquet':
        return await loadSeed(target, input);
    }
  } catch (error) {
    const file = 'file' in input ? input.file : undefined;
    const refused = sqlError(error, 'input', target.memoryLimit);
    return {
      ...refused,
      message:
        refused.kind === 'input' ? `cannot load source "${input.name}"${file ? ` from ${file}` : ''}: ${refused.message}` : refused.message,
      ...(file ? { file } : {}),
    };
  }
}

/** A table's columns and their DuckDB types; undefined when there is no such table. */
export async function describeTable(session: SqlSession, table: string): Promise<ColumnInfo[] | undefined> {
  try {
    return (await session.rows(`DESCRIBE ${quoteIdent(table)}`)).map((r) => ({
      name: String(r['column_name']),
      type: String(r['column_type']),
    }));
  } catch {
    return undefined;
  }
}

async function loadGenerated(
  session: SqlSession,
  input: Extract<SourceInput, { kind: 'generated' }>,
  cache: GeneratedSourceCache | undefined,
): Promise<QuantumError | undefined> {
  const made = cache?.get(input);
  if (made) {
    await session.insertIpc(made, input.name);
    return undefined;
  }
  let batches: GeneratedBatch[];
  try {
    const resolve = (reference: string): readonly GeneratedValue[] => {
      const values = input.references[reference];
      if (!values) throw new GeneratorError(reference, 'its values were not sent with the run');
      return values;
    };
    batches = Array.from({ length: input.tick + 1 }, (_, t) => generate(input.generator, t, resolve));
  } catch (error) {
    return { kind: 'input', file: input.file, message: `source "${input.name}" cannot be generated: ${messageOf(error)}` };
  }
  const columns = input.generator.columns.map((c) => c.name);
  const values = columns.map((_, c) => concatColumn(batches, c));
  if ((values[0]?.length ?? 0) === 0) {
    await session.run(`CREATE TABLE ${quoteIdent(input.name)} (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
    return undefined;
  }
  const ipc = columnsToIpc(columns, values);
  await session.insertIpc(ipc, input.name);
  cache?.set(input, ipc);
  return undefined;
}

/** Column `c` of every batch, end to end; the batch's own array when there is one batch. */
function concatColumn(batches: readonly GeneratedBatch[], c: number): readonly GeneratedValue[] {
  if (batches.length === 1) return batches[0]?.values[c] ?? [];
  const total = batches.reduce((sum, b) => sum + (b.values[c]?.length ?? 0), 0);
  const out = new Array<GeneratedValue>(total);
  let at = 0;
  for (const batch of batches) {
    for (const value of batch.values[c] ?? []) out[at++] = value;
  }
  return out;
}
