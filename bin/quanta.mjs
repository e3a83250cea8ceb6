#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx quanta` works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../core/node/cli.ts');
// Quanta run in worker threads, one DuckDB-WASM each; core/ cannot import workers/, so the
// host and the policy gate's catalog engine (a quantum of that host) are handed in here.
const { WorkerHost } = await import('../workers/node/workerHost.ts');
const { QuantumCatalogEngine } = await import('../workers/catalog/catalogEngine.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  createHost: (size) => new WorkerHost(size),
  createCatalogEngine: (host) => new QuantumCatalogEngine(host),
  progress: process.stderr.isTTY === true,
});
