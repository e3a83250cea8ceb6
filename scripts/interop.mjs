#!/usr/bin/env node
// `npm run test:interop`: the exports proven with the real tools (issue 17). Makes (once) a
// Python venv with test/interop/requirements.txt, cached outside the checkout under
// ~/.cache/quanta (QUANTA_INTEROP_VENV to choose), then runs test/interop with vitest. When
// Python or Java is missing it says how to get them and fails: never a silent pass.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
const REQUIREMENTS = nodePath.join(REPO, 'test', 'interop', 'requirements.txt');

function fail(message) {
  process.stderr.write(`interop: ${message}\n`);
  process.exit(1);
}

function python() {
  for (const candidate of [process.env.QUANTA_PYTHON, 'python3', 'python'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv; print(".".join(map(str, sys.version_info[:2])))'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const [major, minor] = probe.stdout.trim().split('.').map(Number);
    if (major === 3 && minor >= 10 && minor <= 12) return candidate;
  }
  return undefined;
}

function java() {
  const home = process.env.JAVA_HOME;
  const bin = home ? nodePath.join(home, 'bin', 'java') : 'java';
  const probe = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const version = /version "(\d+)/.exec(probe.stderr)?.[1];
  return version !== undefined && Number(version) >= 17 ? bin : undefined;
}

const py = python();
if (!py)
  fail(
    'needs Python 3.10–3.12 with venv (dbt supports those). On Debian: apt-get install -y python3 python3-venv; ' +
      'elsewhere https://www.python.org/downloads/ — or set QUANTA_PYTHON to one.',
  );
const javaBin = java();
if (!javaBin)
  fail(
    'needs Java 17 or later for the local Spark session (pyspark). On Debian: apt-get install -y openjdk-17-jre-headless; or set JAVA_HOME.',
  );

const requirements = readFileSync(REQUIREMENTS, 'utf8');
const key = createHash('sha256').update(requirements).update(py).digest('hex').slice(0, 12);
const venv = process.env.QUANTA_INTEROP_VENV ?? nodePath.join(os.homedir(), '.cache', 'quanta', `interop-${key}`);
const bin = nodePath.join(venv, 'bin');
const ready = nodePath.join(venv, '.quanta-ready');
if (!existsSync(ready)) {
  process.stderr.write(
    `interop: creating the Python venv ${venv} (dbt, dbt-duckdb, dbt-spark, pyspark, datacontract-cli, openlineage-python; a few minutes, once)\n`,
  );
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(nodePath.dirname(venv), { recursive: true });
  const steps = [
    [py, ['-m', 'venv', venv]],
    [nodePath.join(bin, 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]],
  ];
  for (const [command, args] of steps) {
    const step = spawnSync(command, args, { stdio: 'inherit' });
    if (step.status !== 0) fail(`"${command} ${args.join(' ')}" failed (exit ${step.status}); PyPI must be reachable`);
  }
  writeFileSync(ready, `${requirements}\n`);
}

const env = {
  ...process.env,
  QUANTA_INTEROP_BIN: bin,
  JAVA_HOME: process.env.JAVA_HOME ?? nodePath.dirname(nodePath.dirname(javaBin === 'java' ? resolveJava() : javaBin)),
  // dbt's anonymous usage events would try the network on every command.
  DO_NOT_TRACK: '1',
  DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
};
const vitest = spawnSync(
  process.execPath,
  [
    nodePath.join(REPO, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    'test/interop/vitest.config.ts',
    ...process.argv.slice(2),
  ],
  {
    cwd: REPO,
    env,
    stdio: 'inherit',
  },
);
process.exit(vitest.status ?? 1);

function resolveJava() {
  const which = spawnSync('sh', ['-c', 'readlink -f "$(command -v java)"'], { encoding: 'utf8' });
  return which.stdout.trim() || '/usr/bin/java';
}
