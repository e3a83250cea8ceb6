/*
 * How V8 tiers DuckDB-WASM up, as one setting for every place Quanta runs it: the CLI and the
 * Node hosts (nodeDuckDB.ts, through `v8.setFlagsFromString`), the desktop app (electron/main.ts
 * appends it to Chromium's `js-flags`) and the bench's Chromium, which stands for the desktop app.
 * No import: the Electron main process and the bench load it as well as the workers.
 *
 * V8 runs a wasm function on its baseline compiler (Liftoff) until the function has executed
 * about `--wasm-tiering-budget` bytes of code, then recompiles it with TurboFan on a background
 * thread. DuckDB is 35 MB of wasm: at V8's default budget (1.8 M) a run spends much of a core
 * recompiling functions it then barely uses, competing with the run itself on a 2-core
 * machine. Measured (ARCHITECTURE.md, "Speed work"): cold `quanta run daff` 3.6 – 3.7 s at the
 * default against 2.8 – 3.0 s at 60 M, `quanta check daff` 1.5 – 1.7 against 1.2 – 1.3 s; the
 * app's first Run all of daff in Chromium 3.0 against 2.5 s; warm runs equal (hot loops pass
 * any of these budgets within a run).
 */
export const WASM_TIERING_BUDGET = 60_000_000;

/** The V8 flag as Chromium's `--js-flags` and `v8.setFlagsFromString` take it. */
export const WASM_TIERING_FLAG = `--wasm-tiering-budget=${WASM_TIERING_BUDGET}`;
