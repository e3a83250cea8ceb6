/**
 * Checklist 15, `shell.openExternal` with untrusted content: a mesh from a stranger is shown
 * in the window, so any link in it is untrusted. A link leaves the app only when it is https,
 * names a host on the allowlist, carries no credentials and no unusual port, and the person
 * confirmed it in a dialog that shows the exact address. **No `electron` import.**
 */

/** Hosts (and their subdomains) a link may open in the browser: where Quanta's own help points. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'duckdb.org'];

export type ExternalLinkDecision =
  { readonly open: true; readonly url: string; readonly host: string } | { readonly open: false; readonly reason: string };

const MAX_URL_LENGTH = 2048;

export function openExternalPolicy(url: string, allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS): ExternalLinkDecision {
  if (url.length > MAX_URL_LENGTH) return { open: false, reason: `the address is longer than ${MAX_URL_LENGTH} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { open: false, reason: 'it is not a valid web address' };
  }
  // file:, smb:, javascript:, custom app schemes… can start programs; only https may leave.
  if (parsed.protocol !== 'https:') return { open: false, reason: `only https links open in the browser, not ${parsed.protocol}` };
  if (parsed.username !== '' || parsed.password !== '') return { open: false, reason: 'the address carries a user name or password' };
  if (parsed.port !== '') return { open: false, reason: `the address names port ${parsed.port}` };
  // The URL parser lower-cases the host and turns non-ASCII into punycode (xn--), so a
  // look-alike host cannot match an allowed one.
  const host = parsed.hostname;
  const allowed = allowedHosts.some((h) => host === h || host.endsWith(`.${h}`));
  if (!allowed) return { open: false, reason: `${host} is not one of the sites Quanta opens (${allowedHosts.join(', ')})` };
  return { open: true, url: parsed.href, host };
}

export interface ExternalLinkPorts {
  /** Asks the person, showing the exact address; resolves true only on an explicit "Open". */
  readonly confirm: (url: string, host: string) => Promise<boolean>;
  /** Tells the person a link was not opened and why (they may copy it into a browser themselves). */
  readonly refused: (url: string, reason: string) => Promise<void>;
  /** shell.openExternal. */
  readonly open: (url: string) => Promise<void>;
}

/**
 * The whole flow for one link. At most one dialog at a time: a hostile page calling
 * window.open in a loop gets one question, the rest are dropped.
 */
export function createExternalLinkOpener(ports: ExternalLinkPorts, allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS) {
  let asking = false;
  return async (url: string): Promise<'opened' | 'declined' | 'refused' | 'busy'> => {
    if (asking) return 'busy';
    asking = true;
    try {
      const decision = openExternalPolicy(url, allowedHosts);
      if (!decision.open) {
        await ports.refused(url.slice(0, MAX_URL_LENGTH), decision.reason);
        return 'refused';
      }
      if (!(await ports.confirm(decision.url, decision.host))) return 'declined';
      await ports.open(decision.url);
      return 'opened';
    } finally {
      asking = false;
    }
  };
}
