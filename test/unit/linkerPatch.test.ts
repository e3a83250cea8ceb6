import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlockingBindings, patchLinker } from '../../workers/duckdb/linkerPatch.ts';

const require = createRequire(import.meta.url);
// The browser bindings are not in the package's exports: found next to the wasm, which is.
const DIST = nodePath.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
const BINDINGS = ['duckdb-node-blocking.cjs', 'duckdb-browser-blocking.mjs'].map((name) => nodePath.join(DIST, name));

describe("DuckDB-WASM's linker patch", () => {
  it.each(BINDINGS)('applies to the installed bindings %s: every step found, the export-wide GOT and Object.entries walks gone', (file) => {
    expect(isBlockingBindings(file)).toBe(true);
    const source = readFileSync(file, 'utf8');
    const patched = patchLinker(source);
    if (patched === undefined)
      throw new Error(`${file} no longer has the linker text linkerPatch.ts rewrites: update the patch for this DuckDB-WASM`);
    expect(patched).not.toContain('GOT[t]||(GOT[t]=new WebAssembly.Global');
    expect(patched).not.toContain('for(var[t,n]of Object.entries(e))(o=>{isSymbolDefined(o)');
    expect(patched.length).toBeLessThan(source.length);
  });

  it('leaves bindings it does not recognise as they are', () => {
    expect(patchLinker('var updateGOT=(e,r)=>{};')).toBeUndefined();
    expect(isBlockingBindings('/x/node_modules/@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm')).toBe(false);
  });
});
