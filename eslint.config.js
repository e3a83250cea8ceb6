// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
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

const WINDOW_QUANTA = {
  selector: "MemberExpression[object.name='window'][property.name='quanta']",
  message: 'Read the desktop API once (platform/desktopApi.ts, main.tsx) and pass it in; useDesktop() in components.',
};
const OUTSIDE_SET_STATE = {
  selector: "CallExpression[callee.property.name='setState']",
  message: 'Change the app store through one of its actions (renderer/src/store/), not setState from outside.',
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
    files: ['workers/**/*.ts'],
    rules: restrict([...UI, 'electron', '**/renderer/**', '**/electron/**'], 'workers/ may import core/ only.'),
  },
  {
    // These run in the page and in Web Workers as well as in Node: only workers/node/,
    // workers/native/ (the native DuckDB engine, Node-only) and nodeDuckDB.ts may use Node.
    files: [
      'workers/browser/**/*.ts',
      'workers/catalog/**/*.ts',
      'workers/quantum/**/*.ts',
      'workers/pool/**/*.ts',
      'workers/duckdb/sharedModule.ts',
    ],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: restrict(
      [
        ...NODE_BUILTINS,
        ...UI,
        'electron',
        '**/renderer/**',
        '**/electron/**',
        '**/node/**',
        '**/native/**',
        '**/nodeDuckDB*',
        '@duckdb/node-api',
      ],
      'this part of workers/ also runs in the browser: core/ and the browser-safe parts of workers/ only (Node code goes in workers/node/ or workers/native/).',
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
      [
        ...NODE_BUILTINS,
        'electron',
        '**/electron/**',
        '**/core/node/**',
        '**/workers/node/**',
        '**/workers/native/**',
        '**/nodeDuckDB*',
        '@duckdb/node-api',
      ],
      'renderer/ runs in a sandboxed page: no Node or Electron imports (quanta run through workers/browser/); use the preload API.',
    ),
  },
  {
    // The desktop contract is types only (test/unit/desktopContract.test.ts proves it emits no
    // code): the one file of electron/ the renderer may import, and only here.
    files: ['renderer/src/platform/desktopApi.ts'],
    rules: restrict(
      [...NODE_BUILTINS, 'electron', '**/electron/**', '!**/electron/desktopContract.ts', '**/core/node/**', '**/workers/node/**'],
      'renderer/ imports only the desktop contract of electron/ (types only), nothing else of it.',
    ),
  },
  // One path for the desktop API and for state changes: window.quanta is read once
  // (platform/desktopApi.ts; main.tsx passes the API in), and the store changes only through
  // its actions (store/), never by a setState from outside.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/platform/desktopApi.ts'],
    rules: { 'no-restricted-syntax': ['error', WINDOW_QUANTA] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/platform/desktopApi.ts', 'renderer/src/store/**'],
    rules: { 'no-restricted-syntax': ['error', WINDOW_QUANTA, OUTSIDE_SET_STATE] },
  },
  {
    // No import cycles: a cycle makes load order matter and folders impossible to read alone.
    // When two files need each other, the shared piece moves to a module both import (as
    // core/model/editError.ts and core/model/contractDocument.ts did). Type-only imports are
    // not followed (they vanish at runtime; test/unit/importCycles.test.ts checks those);
    // test/unit/noCycleLint.test.ts proves the rule fires. Cost: `npm run lint` 12 s → 16 s
    // with the whole graph followed, so no maxDepth.
    files: ['core/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'workers/**/*.ts', 'electron/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
);
