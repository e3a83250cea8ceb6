import { defineConfig } from 'vitest/config';

// The interop suite (npm run test:interop, scripts/interop.mjs): real dbt, Spark and
// datacontract-cli from a Python venv. Slow by nature (Spark starts in ~40 s), so one file at a time.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    allowOnly: false,
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
