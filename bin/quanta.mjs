#!/usr/bin/env node
// `quanta`: the prebuilt JavaScript in dist/cli/ (scripts/buildCli.mjs) — no TypeScript loader
// in this process or its worker threads. In a checkout whose sources changed since that build
// (or that has none yet), the same entry runs from the TypeScript sources through tsx instead,
// so an edit is never run stale.
import { existsSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const prebuilt = new URL('dist/cli/quanta.mjs', root);

/** The bundle, when it is there and no source file that went into it changed since. */
function bundleIsCurrent() {
  if (!existsSync(prebuilt)) return false;
  // An installed package ships the bundle without the sources: nothing to compare with.
  if (!existsSync(new URL('core/node/cli.ts', root))) return true;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL('dist/cli/build.json', root), 'utf8'));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt);
  } catch {
    return false; // no manifest, or a source is gone: the sources decide
  }
}

let main;
if (process.env.QUANTA_FROM_SOURCES !== '1' && bundleIsCurrent()) {
  ({ main } = await import(prebuilt.href));
} else if (!existsSync(new URL('core/node/cli.ts', root))) {
  process.stderr.write('quanta: this installation has no dist/cli/quanta.mjs; reinstall the package (npm pack builds it).\n');
  process.exit(2);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('workers/node/cliEntry.ts', root).href));
}
process.exitCode = await main(process.argv.slice(2));
