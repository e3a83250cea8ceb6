#!/usr/bin/env node
// `npm run workshop`: serves the static web build (dist/web) to a room on the local network, so
// participants open Quanta in their browsers with nothing to install. Builds first when the
// build is missing or older than the sources. Files are served by the same rules as Electron's
// app:// protocol (electron/protocolPaths.ts: path checks, MIME types, CSP header); on top, for
// a room sharing one Wi-Fi, responses carry an ETag (a reload costs a 304, not 34 MB of wasm)
// and compressible files go out gzipped (the wasm shrinks about four times).
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import nodePath from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { tsImport } from 'tsx/esm/api';
import { buildWeb, REPO_DIR, WEB_DIR } from './buildWeb.mjs';

const USAGE = `Usage: npm run workshop -- [--port N] [--host ADDRESS] [--dir FOLDER] [--build | --no-build]

  --port N        port to listen on (default 8080; 0 picks a free one)
  --host ADDRESS  address to listen on (default 0.0.0.0: every network interface)
  --dir FOLDER    the static build to serve (default dist/web)
  --build         build the web app first, even if the build looks current
  --no-build      serve the folder as it is, never build
`;

/** Folders whose files end up in the build: a build older than any of them is rebuilt. */
const SOURCE_DIRS = ['renderer', 'core', 'workers', 'sample-meshes'];
const COMPRESSIBLE = /\.(html|js|mjs|css|json|map|wasm|svg|md|txt|csv|yaml|yml)$/i;
const gzipAsync = promisify(gzip);

function parseArgs(argv) {
  const options = { port: 8080, host: '0.0.0.0', dir: WEB_DIR, build: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) fail(`${arg} needs a value`);
      return next;
    };
    if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535`);
      options.port = port;
    } else if (arg === '--host') options.host = value();
    else if (arg === '--dir') options.dir = nodePath.resolve(value());
    else if (arg === '--build') options.build = 'always';
    else if (arg === '--no-build') options.build = 'never';
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  return options;
}

function fail(message) {
  process.stderr.write(`workshop: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** The newest modification time of any file below `dir` (node_modules and dot folders skipped). */
async function newestMtime(dir) {
  let newest = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = nodePath.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

/** Why the build must be made again, or undefined when dist/web is current. */
async function buildReason(dir) {
  const built = await stat(nodePath.join(dir, 'index.html')).catch(() => undefined);
  if (!built) return `there is no build in ${nodePath.relative(process.cwd(), dir) || dir} yet`;
  for (const source of SOURCE_DIRS) {
    if ((await newestMtime(nodePath.join(REPO_DIR, source))) > built.mtimeMs) return `${source}/ changed since the last build`;
  }
  return undefined;
}

async function ensureBuild(options) {
  if (options.build === 'never') return;
  if (options.dir !== WEB_DIR) {
    if (options.build === 'always') fail('--build writes dist/web; use it without --dir');
    return;
  }
  const reason = options.build === 'always' ? 'asked to' : await buildReason(options.dir);
  if (reason === undefined) return;
  process.stdout.write(`Building the web app (${reason})…\n`);
  await buildWeb();
}

/** The sample folders of the repository (each has a mesh.yaml), for the links printed at start. */
function sampleFolders() {
  const dir = nodePath.join(REPO_DIR, 'sample-meshes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(nodePath.join(dir, name, 'mesh.yaml')))
    .sort();
}

/**
 * Where the app is below the served folder: '' when the folder is the build itself, or
 * '<folder>/' when the build sits one level down (a static host serving it from a sub-path).
 */
async function findApp(dir) {
  const isFile = async (path) => (await stat(path).catch(() => undefined))?.isFile() === true;
  if (await isFile(nodePath.join(dir, 'index.html'))) return '';
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (await isFile(nodePath.join(dir, entry.name, 'index.html'))) return `${encodeURIComponent(entry.name)}/`;
  }
  return undefined;
}

/** The IPv4 addresses other machines on the network can reach this one at. */
function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

async function startWorkshopServer(rootDir, { host, port }) {
  const { isInside, resolveRequestPath, responseHeaders } = await tsImport('../electron/protocolPaths.ts', import.meta.url);
  const root = await realpath(rootDir);
  // Gzipped bodies by path and ETag, compressed once however many participants ask at once.
  const compressed = new Map();

  async function serve(request, response) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://workshop').pathname;
    const file = resolveRequestPath(root, pathname);
    const real = file === undefined ? undefined : await realpath(file).catch(() => undefined);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    if (real === undefined || !info?.isFile() || !isInside(root, real)) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    const headers = { ...responseHeaders(real), etag, 'last-modified': info.mtime.toUTCString(), vary: 'accept-encoding' };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (acceptsGzip && COMPRESSIBLE.test(real) && info.size > 1024) {
      const key = `${real}\0${etag}`;
      let body = compressed.get(key);
      if (!body) {
        body = readFile(real).then((bytes) => gzipAsync(bytes, { level: 6 }));
        compressed.set(key, body);
        body.catch(() => compressed.delete(key));
      }
      const bytes = await body;
      response.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': String(bytes.length) });
      response.end(request.method === 'HEAD' ? undefined : bytes);
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(info.size) });
    if (request.method === 'HEAD') response.end();
    else createReadStream(real).pipe(response);
  }

  const server = createServer((request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error');
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

const options = parseArgs(process.argv.slice(2));
try {
  await ensureBuild(options);
} catch (error) {
  process.stderr.write(`workshop: the web build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
}
const appPath = await findApp(options.dir);
if (appPath === undefined) {
  process.stderr.write(
    `workshop: ${options.dir} holds no index.html (nor does a folder in it); build it with \`npm run build:web\` or drop --no-build\n`,
  );
  process.exit(1);
}

let started;
try {
  started = await startWorkshopServer(options.dir, options);
} catch (error) {
  const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${options.port} is already in use; pick another with --port, e.g. npm run workshop -- --port ${options.port + 1}`
      : code === 'EADDRNOTAVAIL'
        ? `${options.host} is not an address of this machine`
        : code === 'EACCES'
          ? `not allowed to listen on port ${options.port}; ports below 1024 need administrator rights, use --port 8080`
          : error instanceof Error
            ? error.message
            : String(error);
  process.stderr.write(`workshop: ${reason}\n`);
  process.exit(1);
}

const { server, port } = started;
const everywhere = options.host === '0.0.0.0' || options.host === '::';
const hosts = everywhere ? lanAddresses() : [options.host];
const local = `http://${everywhere ? 'localhost' : options.host}:${port}/${appPath}`;
const lines = [`Quanta workshop: serving ${nodePath.relative(process.cwd(), options.dir) || options.dir}`, `  On this machine:   ${local}`];
if (everywhere) {
  if (hosts.length === 0) lines.push('  No network interface is up: participants cannot reach this machine yet.');
  for (const address of hosts) lines.push(`  Participants open: http://${address}:${port}/${appPath}`);
}
const shareHost = hosts[0] ?? (everywhere ? 'localhost' : options.host);
const samples = sampleFolders();
if (samples.length > 0) {
  lines.push('  Samples, to share as links:');
  for (const sample of samples) lines.push(`    http://${shareHost}:${port}/${appPath}?sample=${sample}`);
}
lines.push('Press Ctrl+C to stop.', '');
process.stdout.write(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
