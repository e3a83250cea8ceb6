// Types of buildCli.mjs for the TypeScript that imports it (the pack test).
export declare const CLI_OUT_DIR: string;
export declare function buildCli(outDir?: string): Promise<{ readonly dir: string; readonly inputs: number }>;
