/**
 * How app://quanta/ maps requests to files of the web build, without importing Electron, so
 * Node tests cover it and the e2e static server serves the build by the same rules.
 */
import nodePath from 'node:path';

/** Also in renderer/index.html as a meta tag; test/unit/protocolPaths.test.ts keeps the two equal. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // DuckDB-WASM compiles WebAssembly (in the page, and instantiates it in the quantum
  // workers, which are served with this same header); nothing else may evaluate code.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // The quantum Web Workers are module scripts of the build itself; no blob: or data: workers.
  "worker-src 'self'",
  // The page fetches duckdb-eh.wasm from the build; nothing goes out (no CDN).
  "connect-src 'self'",
].join('; ');

export const APP_SCHEME = 'app';
export const APP_HOST = 'quanta';
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  // WebAssembly.compileStreaming refuses any other type.
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.arrow': 'application/vnd.apache.arrow.file',
};

export function mimeTypeFor(filePath: string): string {
  const dot = filePath.lastIndexOf('.');
  const extension = dot < 0 ? '' : filePath.slice(dot).toLowerCase();
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

/** Headers of every file served from the web build. */
export function responseHeaders(filePath: string): Record<string, string> {
  return {
    'content-type': mimeTypeFor(filePath),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
}

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * Maps the path of a request URL (percent-encoded, as `URL.pathname` gives it) to a file
 * inside `rootDir`, or undefined when the request must be refused with a 404. Refuses, after
 * decoding: `..` segments, backslashes, NUL, drive letters and any path that would resolve
 * outside `rootDir`. A folder path serves its index.html. `pathApi` lets tests check the
 * Windows rules on any OS.
 */
export function resolveRequestPath(rootDir: string, urlPathname: string, pathApi: PathApi = nodePath): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return undefined; // malformed escape such as %E0%A4%A
  }
  // A URL path starts with exactly one '/'; '//etc/passwd' is an absolute path in disguise.
  if (!decoded.startsWith('/') || decoded.startsWith('//')) return undefined;
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.slice(1).split('/');
  // '..' is refused outright rather than resolved: no legitimate asset URL contains it.
  // ':' would let a segment name a Windows drive (C:) or an NTFS stream (file:stream).
  if (segments.some((s) => s === '..' || s.includes(':'))) return undefined;
  const relative = segments.filter((s) => s !== '' && s !== '.');
  if (decoded.endsWith('/') || relative.length === 0) relative.push('index.html');
  const root = pathApi.resolve(rootDir);
  const resolved = pathApi.resolve(root, ...relative);
  return isInside(root, resolved, pathApi) ? resolved : undefined;
}

/** True when `candidate` is `root` itself or lies below it (both absolute). */
export function isInside(root: string, candidate: string, pathApi: PathApi = nodePath): boolean {
  const relative = pathApi.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${pathApi.sep}`) && relative !== '..' && !pathApi.isAbsolute(relative));
}
