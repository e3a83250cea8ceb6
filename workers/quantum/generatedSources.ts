import type { GeneratedValue } from '../../core/generate/generator.ts';
import type { SourceInput } from './api.ts';

type GeneratedInput = Extract<SourceInput, { kind: 'generated' }>;

/**
 * The Arrow bytes of generated sources this quantum made, for the next run that asks for the
 * same rows. A generator is a pure function of its definition, the tick and the values its
 * `reference` columns draw from, so a Run all or a tick that asks again for the same source
 * (every warm run of a mesh whose sources did not move) loads these bytes instead of generating
 * and encoding the rows again — in the bench's TPC-H mesh the largest source's generation was
 * on the critical path of every warm run.
 *
 * A hit is exact, never a digest: the key is the definition's JSON and the tick, and the entry
 * keeps the reference values it was made from, compared value by value with the run's. Bounded
 * by bytes — the Arrow bytes, the key and the kept reference values (least recently used goes
 * first); a source larger than a quarter of the budget is not kept, so one big source cannot
 * flush the rest nor hold memory a large run needs.
 */
export const GENERATED_CACHE_BYTES = 64 * 1024 * 1024;

interface Entry {
  readonly references: Readonly<Record<string, readonly GeneratedValue[]>>;
  readonly ipc: Uint8Array;
  /** What it counts against the budget (sizeOf). */
  readonly size: number;
}

export class GeneratedSourceCache {
  readonly #budget: number;
  /** Map order is recency: a hit is moved to the end, eviction takes from the front. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(budgetBytes = GENERATED_CACHE_BYTES) {
    this.#budget = budgetBytes;
  }

  /** Bytes held now, as sizeOf counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The bytes made before for exactly this input, if still held. */
  get(input: GeneratedInput): Uint8Array | undefined {
    const key = keyOf(input);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (!sameReferences(entry.references, input.references)) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.ipc;
  }

  set(input: GeneratedInput, ipc: Uint8Array): void {
    const key = keyOf(input);
    const size = sizeOf(key, input.references, ipc);
    if (size > this.#budget / 4) return;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= previous.size;
      this.#entries.delete(key);
    }
    this.#entries.set(key, { references: input.references, ipc, size });
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#budget) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.size;
    }
  }
}

/**
 * What an entry holds, roughly: its bytes, its key (a definition can be long: a `choice` of many
 * values) and the reference values it keeps, so that a mesh of many tiny sources with huge
 * definitions is bounded too.
 */
function sizeOf(key: string, references: GeneratedInput['references'], ipc: Uint8Array): number {
  let values = 0;
  for (const list of Object.values(references)) values += list.length;
  return ipc.byteLength + key.length * 2 + values * 16;
}

function keyOf(input: GeneratedInput): string {
  return `${input.tick}\u0000${JSON.stringify(input.generator)}`;
}

function sameReferences(
  a: Readonly<Record<string, readonly GeneratedValue[]>>,
  b: Readonly<Record<string, readonly GeneratedValue[]>>,
): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}
