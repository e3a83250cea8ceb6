// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Layer rules (see ARCHITECTURE.md): core ← workers / renderer / electron, renderer ← the
 * browser-safe part of workers (never workers/node/), nothing imports renderer, and the pure
 * core imports neither Node nor browser APIs. Enforced here, not in a wiki.
 */
// Bare module names are matched exactly; anything with a slash or a star as a pattern.
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'url',
  'util',
  'stream',
  'http',
  'https',
  'net',
];
const UI = ['react', 'react/*', 'react-dom', 'react-dom/*', '@xyflow/*', 'zustand', 'zustand/*'];
const RUNTIME = ['@duckdb/*', 'comlink', 'electron'];
const restrict = (groups, message) => {
  const exact = groups.filter((g) => !g.includes('/') && !g.includes('*'));
  const patterns = groups.filter((g) => g.includes('/') || g.includes('*'));
  return {
    'no-restricted-imports': [
      'error',
      { paths: exact.map((name) => ({ name, message })), patterns: patterns.length ? [{ group: patterns, message }] : [] },
    ],
  };
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'sample-meshes/', 'test/fixtures/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].map((object) => ({
          object,
          property: 'only',
          message: 'Do not commit .only: it skips the rest of the suite.',
        })),
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/node/**'],
    languageOptions: { globals: {} },
    rules: restrict(
      [...NODE_BUILTINS, ...UI, ...RUNTIME, '**/renderer/**', '**/workers/**', '**/electron/**', '**/node/**'],
      'core/ is pure TypeScript: no Node, DOM, UI or runtime imports (Node adapters go in core/node/).',
    ),
  },
  {
    files: ['core/node/**/*.ts'],
    rules: restrict(
      [...UI, ...RUNTIME, '**/renderer/**', '**/workers/**', '**/electron/**'],
      'core/node/ may use Node and core, nothing else.',
    ),
  },
  {
    // The governance catalog adapter lives in workers/catalog/ (the app uses it too); the CLI re-exports it.
    files: ['core/node/catalogEngine.ts'],
    rules: restrict(
      [
        ...UI,
        ...RUNTIME,
        '**/renderer/**',
        '**/electron/**',
        '**/workers/browser/**',
        '**/workers/node/**',
        '**/workers/pool/**',
        '**/workers/quantum/**',
      ],
      'core/node/catalogEngine.ts re-exports workers/catalog/ only.',
    ),
  },
  {
    files: ['workers/**/*.ts'],
    rules: restrict([...UI, 'electron', '**/renderer/**', '**/electron/**'], 'workers/ may import core/ only.'),
  },
  {
    // These run in the page and in Web Workers as well as in Node: only workers/node/ and
    // nodeDuckDB.ts may use Node.
    files: [
      'workers/browser/**/*.ts',
      'workers/catalog/**/*.ts',
      'workers/quantum/**/*.ts',
      'workers/pool/**/*.ts',
      'workers/duckdb/sharedModule.ts',
    ],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: restrict(
      [...NODE_BUILTINS, ...UI, 'electron', '**/renderer/**', '**/electron/**', '**/node/**', '**/nodeDuckDB*'],
      'this part of workers/ also runs in the browser: core/ and the browser-safe parts of workers/ only (Node code goes in workers/node/).',
    ),
  },
  {
    files: ['electron/**/*.ts'],
    rules: restrict([...UI, '**/renderer/**'], 'electron/ may import core/ but never renderer/.'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...NODE_BUILTINS, 'electron', '**/electron/**', '**/core/node/**', '**/workers/node/**', '**/nodeDuckDB*'],
      'renderer/ runs in a sandboxed page: no Node or Electron imports (quanta run through workers/browser/); use the preload API.',
    ),
  },
);
