import nodePath from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The desktop contract (electron/desktopContract.ts) is only worth something if tsc refuses
 * a preload, a channel list or a backend that drifts from it. Each case compiles the real
 * files with one of them edited in memory (the TypeScript compiler, the root tsconfig's
 * options) and expects the errors in the drifted file; the unedited files compile clean.
 */

const REPO = nodePath.resolve(import.meta.dirname, '..', '..');
const file = (path: string) => nodePath.join(REPO, path);
const ROOTS = [
  'electron/preloadApi.ts',
  'electron/desktopBackend.ts',
  'electron/desktopChannels.ts',
  'renderer/src/platform/desktopApi.ts',
];

const config = ts.getParsedCommandLineOfConfigFile(
  file('tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('tsconfig.json could not be read');
const options = { ...config.options, noEmit: true };
let previous: ts.Program | undefined;
// Parsed once for every case: the DOM and Node declarations are most of the work.
const parsed = new Map<string, ts.SourceFile>();

/** Compiles `roots` (and what they import) with `path`'s text edited by `edit`; returns the errors as "file: message". */
function compileWith(path?: string, edit?: { readonly from: string; readonly to: string }, roots = path ? [path] : ROOTS): string[] {
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  const edited = path === undefined ? undefined : file(path);
  host.getSourceFile = (name, language, onError) => {
    if (edited === undefined || nodePath.resolve(name) !== edited || !edit) {
      const known = parsed.get(name) ?? original(name, language, onError);
      if (known) parsed.set(name, known);
      return known;
    }
    const text = ts.sys.readFile(name) ?? '';
    // The edit must apply: a case whose snippet went stale would otherwise prove nothing.
    if (!text.includes(edit.from)) throw new Error(`${path} no longer contains: ${edit.from}`);
    return ts.createSourceFile(name, text.replace(edit.from, edit.to), language);
  };
  const program = ts.createProgram({ rootNames: roots.map(file), options, host, ...(previous ? { oldProgram: previous } : {}) });
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? nodePath.relative(REPO, d.file.fileName) : '(config)';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('tsc holds preload, channels and backend to the desktop contract', () => {
  it('compiles the files as they are without an error', () => {
    expect(compileWith()).toEqual([]);
  }, 60_000);

  it.each([
    {
      what: 'a preload that leaves a call out',
      path: 'electron/preloadApi.ts',
      edit: { from: "    acknowledge: (paths) => call('acknowledge', paths),\n", to: '' },
      says: /acknowledge/,
    },
    {
      what: 'a preload function that answers another call’s result',
      path: 'electron/preloadApi.ts',
      edit: { from: "recentMeshes: () => call('recentMeshes')", to: "recentMeshes: () => call('acknowledge', [])" },
      says: /Promise<void>.*Promise<string\[\]>/,
    },
    {
      what: 'a preload function with the wrong argument',
      path: 'electron/preloadApi.ts',
      edit: {
        from: "openRecent: (folder) => call('openRecent', folder)",
        to: "openRecent: (folder: number) => call('openRecent', String(folder))",
      },
      says: /number/,
    },
    {
      what: 'a renamed channel',
      path: 'electron/desktopChannels.ts',
      edit: { from: "recentMeshes: 'mesh:recent',", to: "recentMeshes: 'mesh:recents'," },
      says: /mesh:recents/,
    },
    {
      what: 'a backend without one of the handlers',
      path: 'electron/desktopBackend.ts',
      edit: { from: 'async acknowledge(argument: unknown)', to: 'async acknowledgePaths(argument: unknown)' },
      says: /acknowledge/,
    },
    {
      what: 'a backend handler whose result drifts',
      path: 'electron/desktopBackend.ts',
      edit: { from: 'return { ok: false, cancelled: true };', to: 'return { ok: false, canceled: true };' },
      says: /canceled/,
    },
  ])(
    'refuses $what',
    ({ path, edit, says }) => {
      const errors = compileWith(path, edit);
      expect(errors.length, 'tsc accepted the drift').toBeGreaterThan(0);
      expect(
        errors.every((e) => e.startsWith(`${path}:`)),
        errors.join('\n'),
      ).toBe(true);
      expect(errors.join('\n')).toMatch(says);
    },
    60_000,
  );

  it('fails in preload, channels and backend alike when the contract gains a call none of them has', () => {
    const errors = compileWith(
      'electron/desktopContract.ts',
      {
        from: 'export interface DesktopCalls {\n',
        to: "export interface DesktopCalls {\n  readonly exportZip: { readonly channel: 'mesh:export'; readonly args: []; readonly result: void };\n",
      },
      ROOTS,
    );
    const files = new Set(errors.map((e) => e.slice(0, e.indexOf(':'))));
    expect([...files].sort(), errors.join('\n')).toEqual([
      'electron/desktopBackend.ts',
      'electron/desktopChannels.ts',
      'electron/preloadApi.ts',
    ]);
  }, 60_000);
});

describe('electron/desktopContract.ts', () => {
  it('is types only: it compiles to no code, so the renderer and Node tests may import it', () => {
    const source = ts.sys.readFile(file('electron/desktopContract.ts')) ?? '';
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } }).outputText;
    expect(output.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim()).toBe('export {};');
  });
});
