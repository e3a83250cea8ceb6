#!/usr/bin/env node
// `npm run fuzz`: the loader fuzz of test/unit/fuzz.test.ts at full size — 10,000 cases per
// property and sample (QUANTA_FUZZ_RUNS overrides it, QUANTA_FUZZ_SEED picks other cases).
// `npm test` runs the same file with a few hundred cases.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, QUANTA_FUZZ_RUNS: process.env.QUANTA_FUZZ_RUNS ?? '10000' };
process.stdout.write(`fuzz: ${env.QUANTA_FUZZ_RUNS} cases per property and sample, seed ${env.QUANTA_FUZZ_SEED ?? 'fixed'}\n`);
const result = spawnSync('npx', ['vitest', 'run', 'test/unit/fuzz.test.ts'], {
  stdio: 'inherit',
  env,
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
