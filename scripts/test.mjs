#!/usr/bin/env node
// `npm test`: every check, in the order that fails fastest. Each step's output streams
// through; the first failing step stops the run with its exit code.
import { spawnSync } from 'node:child_process';

const steps = [
  // The CLI the tests spawn is the prebuilt one users run (bin/quanta.mjs falls back to the sources when stale).
  ['CLI bundle', 'node', ['scripts/buildCli.mjs']],
  ['types', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['types (pure core: no DOM, no Node)', 'npx', ['tsc', '-p', 'core/tsconfig.json']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '**/*.{ts,tsx,mjs,js,json}']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests (web build in Chromium)', 'node', ['scripts/e2e.mjs']],
];

for (const [name, command, args] of steps) {
  process.stdout.write(`\n── ${name} ──\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    process.stderr.write(`\nnpm test: step "${name}" failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
}
process.stdout.write('\nnpm test: all steps passed.\n');
