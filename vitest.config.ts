import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/conformance/**/*.test.ts'],
    // A test left with .only would silently skip the rest of the suite.
    allowOnly: false,
    testTimeout: 60_000,
    // beforeAll hooks compile DuckDB-WASM (seconds; far more on a loaded 2-core machine): the
    // default 10 s failed whole suites under load in a fresh-clone CI run.
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
