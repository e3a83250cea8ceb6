import { describe, expect, it } from 'vitest';
import { createExternalLinkOpener, openExternalPolicy } from '../../electron/externalLinks.ts';

/* Checklist 15: shell.openExternal never sees untrusted content unchecked. */

describe('openExternalPolicy', () => {
  it('lets an https link to an allowlisted site, or a subdomain of one, through', () => {
    expect(openExternalPolicy('https://github.com/quanta/quanta#readme')).toEqual({
      open: true,
      url: 'https://github.com/quanta/quanta#readme',
      host: 'github.com',
    });
    expect(openExternalPolicy('https://docs.github.com/x')).toMatchObject({ open: true, host: 'docs.github.com' });
    expect(openExternalPolicy('https://DuckDB.org/docs')).toMatchObject({ open: true, url: 'https://duckdb.org/docs' });
  });

  it.each([
    ['a file URL', 'file:///etc/passwd', 'only https'],
    ['a Windows share', 'file://attacker/share/run.exe', 'only https'],
    ['an SMB link', 'smb://attacker/share', 'only https'],
    ['plain http', 'http://github.com/', 'only https'],
    ['javascript', 'javascript:alert(1)', 'only https'],
    ['a custom scheme that starts a program', 'vscode://file/etc/passwd', 'only https'],
    ['credentials', 'https://me:secret@github.com/', 'user name or password'],
    ['a port', 'https://github.com:8443/', 'port 8443'],
    ['a host that only starts like an allowed one', 'https://github.com.evil.example/', 'is not one of the sites'],
    ['a host that only ends like an allowed one', 'https://evilgithub.com/', 'is not one of the sites'],
    ['a look-alike host in another script', 'https://gіthub.com/', 'xn--'],
    ['a loopback service', 'https://127.0.0.1/', 'is not one of the sites'],
    ['not a URL', 'github.com', 'not a valid web address'],
    ['an address too long to show', `https://github.com/${'a'.repeat(3000)}`, 'longer than'],
  ])('refuses %s', (_name, url, reason) => {
    const decision = openExternalPolicy(url);
    expect(decision.open).toBe(false);
    if (!decision.open) expect(decision.reason).toContain(reason);
  });
});

describe('createExternalLinkOpener', () => {
  function ports(answer: boolean) {
    const seen: string[] = [];
    return {
      seen,
      ports: {
        confirm: async (url: string, host: string) => {
          seen.push(`confirm ${host} ${url}`);
          return answer;
        },
        refused: async (url: string, reason: string) => void seen.push(`refused ${url}: ${reason}`),
        open: async (url: string) => void seen.push(`open ${url}`),
      },
    };
  }

  it('opens an allowed link only after the person confirmed the exact address', async () => {
    const yes = ports(true);
    expect(await createExternalLinkOpener(yes.ports)('https://duckdb.org/docs')).toBe('opened');
    expect(yes.seen).toEqual(['confirm duckdb.org https://duckdb.org/docs', 'open https://duckdb.org/docs']);
    const no = ports(false);
    expect(await createExternalLinkOpener(no.ports)('https://duckdb.org/docs')).toBe('declined');
    expect(no.seen).toEqual(['confirm duckdb.org https://duckdb.org/docs']);
  });

  it('never asks about, nor opens, a refused link, and says why', async () => {
    const yes = ports(true);
    expect(await createExternalLinkOpener(yes.ports)('file:///C:/Windows/System32/calc.exe')).toBe('refused');
    expect(yes.seen).toEqual(['refused file:///C:/Windows/System32/calc.exe: only https links open in the browser, not file:']);
  });

  it('asks one question at a time: a page opening links in a loop gets no pile of dialogs', async () => {
    let release: (value: boolean) => void = () => {};
    const opened: string[] = [];
    const open = createExternalLinkOpener({
      confirm: () => new Promise<boolean>((resolve) => (release = resolve)),
      refused: async () => {},
      open: async (url) => void opened.push(url),
    });
    const first = open('https://github.com/a');
    expect(await open('https://github.com/b')).toBe('busy');
    release(true);
    expect(await first).toBe('opened');
    expect(opened).toEqual(['https://github.com/a']);
  });
});
