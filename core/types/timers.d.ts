// Timers exist in every runtime core runs in (Node, browsers, workers), but TypeScript only
// declares them in the DOM and Node libs, which the pure core must not load. Core uses them
// only to bound work it waits for (a seed read inside a run's timeout), never for behaviour.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(timer: unknown): void;
