import { QUANTUM_SANDBOX_MESSAGE } from '../duckdb/sharedModule.ts';
import type { QuantumError } from './api.ts';

/**
 * What a DuckDB error means for the person reading the run log. Two kinds need more than
 * DuckDB's words: a statement the sandbox refused (it tried to read or write a host file,
 * reach the network, load an extension or change a locked setting) and running out of
 * memory (the quantum is then replaced, and the person needs to know which limit to raise).
 */
export type ErrorClass = 'sandbox' | 'memory' | undefined;

const SANDBOX = [
  /disabled by configuration/i,
  /configuration has been locked/i,
  /loading external extensions is disabled/i,
  /cannot change .* setting while database is running/i,
  new RegExp(QUANTUM_SANDBOX_MESSAGE, 'i'),
];

const MEMORY = [
  /out of memory/i,
  /could not allocate/i,
  /failed to allocate/i,
  /array buffer allocation failed/i,
  /memory access out of bounds/i,
  /WebAssembly\.Memory/i,
];

export function classifyError(message: string): ErrorClass {
  if (SANDBOX.some((pattern) => pattern.test(message))) return 'sandbox';
  if (MEMORY.some((pattern) => pattern.test(message))) return 'memory';
  return undefined;
}

/** The run-log text of a refused statement: the code, what is allowed, DuckDB's words. */
export function sandboxMessage(duckdb: string): string {
  return `QUANTA_E070 SQL may use only its own input tables: no host files, network, extensions or settings (${duckdb})`;
}

/** The run-log text of an out-of-memory run, naming the limit and how to raise it. */
export function memoryMessage(duckdb: string, limit: string): string {
  return (
    `QUANTA_E073 out of memory at the quantum's limit of ${limit} (${duckdb}); ` +
    'raise simulation.memoryLimit in quanta.yaml, or make the transform read fewer rows or columns'
  );
}

/** A thrown DuckDB (or wasm) error as a QuantumError: sandbox refusals and out-of-memory named as such. */
export function sqlError(error: unknown, kind: 'sql' | 'input' | 'internal', memoryLimit: string): QuantumError {
  const message = cleanMessage(messageOf(error));
  switch (classifyError(messageOf(error))) {
    case 'sandbox':
      return { kind: 'sandbox', message: sandboxMessage(message) };
    case 'memory':
      return { kind: 'memory', message: memoryMessage(message, memoryLimit) };
    default:
      return { kind, message };
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** DuckDB messages carry a caret diagram after the first line; people need the first line. */
export function cleanMessage(message: string): string {
  return message.split('\n').filter((line) => line.trim().length > 0)[0] ?? message;
}
