import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isInside, mimeTypeFor, resolveRequestPath, responseHeaders } from '../../electron/protocolPaths.ts';
import { REPO } from '../helpers.ts';

// Resolved so the expectations hold on Windows too (it adds the current drive).
const ROOT = nodePath.resolve('/opt/quanta/dist/web');
const inRoot = (...parts: string[]) => nodePath.join(ROOT, ...parts);

describe('resolveRequestPath (app:// and the e2e server)', () => {
  it('should map normal paths to files inside the web build', () => {
    expect(resolveRequestPath(ROOT, '/index.html')).toBe(inRoot('index.html'));
    expect(resolveRequestPath(ROOT, '/assets/index-abc123.js')).toBe(inRoot('assets', 'index-abc123.js'));
    expect(resolveRequestPath(ROOT, '/assets/duckdb%20eh.wasm')).toBe(inRoot('assets', 'duckdb eh.wasm'));
    expect(resolveRequestPath(ROOT, '/./assets//x.css')).toBe(inRoot('assets', 'x.css'));
  });

  it('should serve index.html for the root and for folder paths', () => {
    expect(resolveRequestPath(ROOT, '/')).toBe(inRoot('index.html'));
    expect(resolveRequestPath(ROOT, '')).toBeUndefined();
    expect(resolveRequestPath(ROOT, '/assets/')).toBe(inRoot('assets', 'index.html'));
  });

  it.each([
    ['a plain parent segment', '/../etc/passwd'],
    ['a parent segment in the middle', '/assets/../../etc/passwd'],
    ['a parent segment that would stay inside', '/assets/../index.html'],
    ['an encoded parent segment', '/%2e%2e%2fetc%2fpasswd'],
    ['an upper-case encoded parent segment', '/%2E%2E/%2E%2E/etc/passwd'],
    ['an encoded slash before a parent segment', '/assets%2f..%2f..%2fsecret'],
    ['a backslash', '/..\\..\\secret.txt'],
    ['an encoded backslash', '/%5c..%5csecret.txt'],
    ['a backslash alone', '/assets\\index.js'],
    ['an absolute path after the leading slash', '//etc/passwd'],
    ['an encoded absolute path', '/%2fetc%2fpasswd'],
    ['a drive letter', '/C:/Windows/win.ini'],
    ['an encoded drive letter', '/c%3a%5cwindows%5cwin.ini'],
    ['an NTFS stream', '/index.html:secret'],
    ['a NUL byte', '/index.html%00.png'],
    ['a raw NUL byte', '/index.html\u0000'],
    ['a malformed escape', '/%E0%A4%A'],
    ['no leading slash', 'index.html'],
  ])('should refuse %s (%s)', (_name, pathname) => {
    expect(resolveRequestPath(ROOT, pathname)).toBeUndefined();
  });

  it('should keep Windows paths inside the root too', () => {
    const root = 'C:\\Quanta\\dist\\web';
    expect(resolveRequestPath(root, '/assets/app.js', nodePath.win32)).toBe('C:\\Quanta\\dist\\web\\assets\\app.js');
    for (const pathname of ['/..%5c..%5cboot.ini', '/D:/secret', '/%2e%2e/x', '//server/share/x']) {
      expect(resolveRequestPath(root, pathname, nodePath.win32), pathname).toBeUndefined();
    }
  });

  it('should tell whether a real path stays inside the root', () => {
    expect(isInside(ROOT, ROOT)).toBe(true);
    expect(isInside(ROOT, inRoot('assets', 'x.js'))).toBe(true);
    expect(isInside(ROOT, `${ROOT}-other${nodePath.sep}x.js`)).toBe(false);
    expect(isInside(ROOT, nodePath.dirname(ROOT))).toBe(false);
    expect(isInside(ROOT, nodePath.resolve('/etc/passwd'))).toBe(false);
    expect(isInside('C:\\web', 'D:\\web\\x', nodePath.win32)).toBe(false);
  });
});

describe('mimeTypeFor', () => {
  it('should serve WebAssembly as application/wasm, which compileStreaming requires', () => {
    expect(mimeTypeFor('/x/duckdb-eh.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/x/DUCKDB.WASM')).toBe('application/wasm');
  });

  it('should give the web build its usual types and bytes for anything unknown', () => {
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('assets/index.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('assets/index.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('icon.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('data.parquet')).toBe('application/vnd.apache.parquet');
    expect(mimeTypeFor('LICENSE')).toBe('application/octet-stream');
    expect(mimeTypeFor('archive.unknown')).toBe('application/octet-stream');
  });

  it('should send the CSP and nosniff with every file', () => {
    const headers = responseHeaders('/x/index.html');
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('content security policy', () => {
  it('should allow WebAssembly but no other code evaluation', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
  });

  it('should allow module workers from the app itself only, not from blob: or data: URLs', () => {
    const directive = (name: string) => CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('worker-src')).toBe("worker-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('blob:');
  });

  it('should be the same in renderer/index.html as in the app:// responses', async () => {
    const html = await readFile(nodePath.join(REPO, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });
});
