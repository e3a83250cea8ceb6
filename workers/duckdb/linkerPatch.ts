/*
 * DuckDB-WASM is an emscripten MAIN_MODULE (so that it could load extensions as side modules).
 * On instantiation its JavaScript linker gives every one of the module's 75,000 exports a
 * global-offset-table entry — a WebAssembly.Global, and for the 65,000 functions a slot in the
 * indirect-function table — in case a side module imports it later, and walks the exports
 * twice more through Object.entries. A quantum never loads a side module (extensions are off
 * and locked), and the module itself imports only a few hundred of those entries, which exist
 * before the linker runs (emscripten's GOT proxy makes them while the imports are read).
 *
 * So three steps of the linker are rewritten: fill only the entries that exist, and walk the
 * exports with for…in instead of allocating an array per export. The result for this module
 * is the same; a worker starts in about two thirds of the CPU time with 15 MB less heap (see
 * ARCHITECTURE "Speed"). Node loads the patched text (nodeDuckDB.ts), the web build has it
 * through a Vite transform (renderer/vite.config.ts). The bindings carry the linker once per
 * build they can load (MVP and exception-handling): each copy is patched. When a DuckDB-WASM
 * upgrade changes any of these texts, nothing is patched and the bindings load as shipped
 * (slower, same behaviour); test/unit/linkerPatch.test.ts fails first.
 */
const STEPS: readonly (readonly [string, string])[] = [
  ['GOT[t]||(GOT[t]=new WebAssembly.Global({value:"i32",mutable:!0})),(r||GOT[t].value==0)&&', 'GOT[t]&&(r||GOT[t].value==0)&&'],
  [
    'registerDynCallSymbols=e=>{for(var[r,t]of Object.entries(e))r.startsWith("dynCall_")&&!Module.hasOwnProperty(r)&&(Module[r]=t)}',
    'registerDynCallSymbols=e=>{for(var r in e)r.startsWith("dynCall_")&&!Module.hasOwnProperty(r)&&(Module[r]=e[r])}',
  ],
  [
    'mergeLibSymbols=(e,r)=>{registerDynCallSymbols(e);for(var[t,n]of Object.entries(e))(o=>{isSymbolDefined(o)||(wasmImports[o]=n)})(t)}',
    'mergeLibSymbols=(e,r)=>{registerDynCallSymbols(e);for(var t in e)isSymbolDefined(t)||(wasmImports[t]=e[t])}',
  ],
];

/** The bindings' source with the linker steps above rewritten; undefined unless every step is found. */
export function patchLinker(source: string): string | undefined {
  let patched = source;
  for (const [find, replace] of STEPS) {
    const parts = patched.split(find);
    if (parts.length < 2) return undefined;
    patched = parts.join(replace);
  }
  return patched;
}

/** Whether `path` is DuckDB-WASM's blocking bindings, the file `patchLinker` applies to. */
export function isBlockingBindings(path: string): boolean {
  return /[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/]duckdb-(?:node|browser)-blocking\.(?:cjs|mjs)$/.test(path.split('?')[0] ?? '');
}
