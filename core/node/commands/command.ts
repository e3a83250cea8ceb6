import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { CatalogEngineLease } from '../../governance/policy/policyGate.ts';
import type { QuantumHost } from '../../run/runTypes.ts';

/*
 * The shape every `quanta` command has: a name, its lines of `quanta help`, and `run`. A
 * wrong command line is a thrown UsageError, turned into exit code 2 in one place (cli.ts).
 */

/** What a command may use of the world: its output streams, where it was run, and where quanta come from. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  /** Where quanta come from (worker threads in bin/quanta.mjs); `size` is the pool size. */
  readonly createHost?: (size: number) => QuantumHost;
  /**
   * Quanta on native DuckDB (`--engine native`, workers/native/ in bin/quanta.mjs); throws a
   * message a person can act on when the optional @duckdb/node-api is not installed.
   */
  readonly createNativeHost?: (size: number) => QuantumHost;
  /**
   * The policy gate's catalog engine over a quantum of `host` (workers/catalog/ in
   * bin/quanta.mjs, handed in like the host because core/ may not import workers/).
   */
  readonly createCatalogEngine?: (host: QuantumHost) => CatalogEngineLease;
  /** Show live progress on stderr (set when stderr is a terminal). */
  readonly progress?: boolean;
}

export interface Command {
  readonly name: string;
  /** Its lines of `quanta help`, each ending in a newline. */
  readonly usage: string;
  /** Exit code: 0 ok, 1 the mesh (or the answer) says no; a wrong command line throws UsageError. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The command line is wrong: printed as `quanta <command>: <message>` with a pointer to `quanta help`, exit 2. */
export class UsageError extends Error {}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** Strict option parsing; an unknown or malformed option is a UsageError. */
export function parseOptions(args: readonly string[], options: ParseOptions): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole-number option (`--ticks`, `--pool`, `--max-rows`), `fallback` when absent. */
export function wholeNumber(value: unknown, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min)
    throw new UsageError(`${flag} must be a whole number ≥ ${min}, not "${String(value)}"`);
  return n;
}

/** Which DuckDB runs the quanta: DuckDB-WASM (the app's engine, the default) or native DuckDB. */
export type Engine = 'wasm' | 'native';

export const ENGINES: readonly Engine[] = ['wasm', 'native'];

/** The `--engine` option of the commands that run quanta. */
export const ENGINE_OPTION = { engine: { type: 'string' } } as const;

/** `--engine native|wasm`, wasm when absent; anything else is a UsageError. */
export function engineOf(value: unknown): Engine {
  if (value === undefined) return 'wasm';
  if (typeof value === 'string' && (ENGINES as readonly string[]).includes(value)) return value as Engine;
  throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}, not "${String(value)}"`);
}

/**
 * How many quanta a command runs at once unless `--pool` says otherwise: one per core but one,
 * at least one. The main thread needs a core of its own (catalog, Arrow hand-offs, hashing,
 * the policy gate's verdicts), and each quantum costs about a second of CPU to start and
 * ~100 MB to hold; on a busy 2-core machine one quantum ran daff as fast as two, with 150 MB less (ARCHITECTURE "Speed work").
 */
export function defaultPool(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The quantum host of this build; only bin/quanta.mjs (and tests) can make one, because core/ may not import workers/. */
export function hostFor(io: Pick<CliIo, 'createHost' | 'createNativeHost'>, pool: number, engine: Engine = 'wasm'): QuantumHost {
  if (engine === 'native') {
    if (!io.createNativeHost) throw new UsageError('this build of quanta has no native engine; leave out --engine native');
    try {
      return io.createNativeHost(pool);
    } catch (error) {
      // The optional native DuckDB is missing: the person can install it or use the default engine.
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (!io.createHost) throw new Error('this build of quanta has no quantum host; run it through bin/quanta.mjs');
  return io.createHost(pool);
}

/** The catalog engines of this build over `host`; like the host, only bin/quanta.mjs (and tests) can make them. */
export function catalogEnginesFor(io: Pick<CliIo, 'createCatalogEngine'>, host: QuantumHost): () => CatalogEngineLease {
  const create = io.createCatalogEngine;
  if (!create) throw new Error('this build of quanta has no catalog engine; run it through bin/quanta.mjs');
  return () => create(host);
}
