// A tiny static file server for the web build, for the e2e tests. It serves files by the same
// rules as Electron's app:// protocol (electron/protocolPaths.ts): same path checks, same MIME
// types, same CSP header.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tsImport } from 'tsx/esm/api';

/** Serves `rootDir` on 127.0.0.1 at a free port. Resolves to `{ url, close }`. */
export async function startStaticServer(rootDir) {
  const { isInside, resolveRequestPath, responseHeaders } = await tsImport('../electron/protocolPaths.ts', import.meta.url);
  const root = await realpath(rootDir);

  const server = createServer((request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error');
    });
  });

  async function serve(request, response) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveRequestPath(root, pathname);
    const real = file === undefined ? undefined : await realpath(file).catch(() => undefined);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    if (real === undefined || !info?.isFile() || !isInside(root, real)) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    response.writeHead(200, { ...responseHeaders(real), 'content-length': String(info.size) });
    if (request.method === 'HEAD') response.end();
    else createReadStream(real).pipe(response);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
