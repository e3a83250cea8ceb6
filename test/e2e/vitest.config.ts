import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests against the web build in a real Chromium. Run them with
 * `node scripts/e2e.mjs`, which builds and serves dist/web and passes QUANTA_E2E_BASE_URL and
 * QUANTA_E2E_CHROMIUM to these tests.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.spec.ts'],
    allowOnly: false,
    // One browser at a time: the specs share the machine's CPU with Chromium and write screenshots.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
  },
});
