/**
 * Turns what people paste into an "API address" field into the org's base URL, or says why it cannot.
 *
 * Accepted: `acme.okta.com`, `https://acme.okta.com/`, `https://acme.okta.com/app/UserHome`, the admin
 * console host `acme-admin.okta.com`, upper case. Refused: empty, not a host name, credentials or a query
 * in the URL, plain http, IP addresses and loopback names, and any host outside Okta's own domains unless
 * the connection says it is the org's custom URL domain (`customDomain`). Loopback (`127.0.0.1`,
 * `localhost`, `[::1]`) over http or https is allowed only when the host opts in (`allowLoopback`), for
 * local sandboxes: a connection's author must never be able to point the plugin at the host's own
 * internal services. Where a name resolves is checked again at connect time (address-guard.ts).
 */

/** Okta-operated parent domains; only on these is `<org>-admin` the admin console of `<org>`. */
export const OKTA_DOMAINS = [
  'okta.com',
  'oktapreview.com',
  'okta-emea.com',
  'okta-gov.com',
  'okta.mil',
] as const;

export interface AddressOptions {
  /** The host allows loopback addresses (a local sandbox). */
  allowLoopback?: boolean;
  /** The connection is to the org's custom URL domain (login.acme.com), so any public host name is fine. */
  customDomain?: boolean;
}

export type AddressResult =
  | { ok: true; orgUrl: string; host: string; loopback: boolean }
  | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function normalizeApiAddress(raw: unknown, options: AddressOptions = {}): AddressResult {
  const parsed = parseAddress(raw);
  if (!('url' in parsed)) return parsed;
  const { url } = parsed;
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host)) return loopbackAddress(url, host, options);
  const refusal = httpsRefusal(url, host) ?? hostRefusal(host, options);
  if (refusal) return { ok: false, reason: refusal };
  return {
    ok: true,
    orgUrl: `https://${withoutAdminSuffix(host)}`,
    host: withoutAdminSuffix(host),
    loopback: false,
  };
}

const FAILED = (reason: string) => ({ ok: false as const, reason });

/** What people paste, read as a URL (https:// when no scheme is given), or why it cannot be one. */
function parseAddress(raw: unknown): { url: URL } | { ok: false; reason: string } {
  if (typeof raw !== 'string') return FAILED('must be text, like acme.okta.com');
  const text = raw.trim();
  if (text === '') return FAILED('is empty: enter your Okta org address, like acme.okta.com');
  if (/\s/.test(text)) return FAILED('contains spaces: enter only the address, like acme.okta.com');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return FAILED('is not a web address: enter your Okta org address, like acme.okta.com');
  }
  if (url.username || url.password)
    return FAILED('must not contain a user name or password: enter only the address, like acme.okta.com');
  if (url.search)
    return FAILED('must not contain a query (?...): enter only the address, like acme.okta.com');
  return { url };
}

/** A local address (a sandbox): only when the host allows it, over http or https. */
function loopbackAddress(url: URL, host: string, options: AddressOptions): AddressResult {
  if (!options.allowLoopback)
    return FAILED(
      'points at this machine (loopback); only an Okta org address is allowed, like acme.okta.com',
    );
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return FAILED(`uses ${url.protocol.slice(0, -1)}; only http or https work for a local address`);
  return { ok: true, orgUrl: `${url.protocol}//${url.host.toLowerCase()}`, host, loopback: true };
}

/** An org is reached over https on the standard port, by host name: why this URL is not, if it is not. */
function httpsRefusal(url: URL, host: string): string | undefined {
  if (url.protocol === 'http:')
    return 'uses http://; Okta orgs are reached over https://, like https://acme.okta.com';
  if (url.protocol !== 'https:')
    return `uses ${url.protocol.slice(0, -1)}; enter an https address, like https://acme.okta.com`;
  if (host.startsWith('[') || IPV4.test(host))
    return 'is an IP address; enter the org host name, like acme.okta.com';
  if (url.port) return `must not name a port (:${url.port}); Okta orgs use the standard https port`;
  return undefined;
}

/** A host name on an Okta domain, or on any domain for a custom URL domain: why this one is not. */
function hostRefusal(host: string, options: AddressOptions): string | undefined {
  const labels = host.split('.');
  if (
    labels.length < 2 ||
    !labels.every((label) => DNS_LABEL.test(label)) ||
    !/^[a-z][a-z0-9-]*$/.test(labels.at(-1)!)
  ) {
    // The value is not repeated: people paste the wrong thing here, sometimes the token itself.
    return 'is not a host name; enter your Okta org address, like acme.okta.com';
  }
  if (!options.customDomain && !OKTA_DOMAINS.some((domain) => host.endsWith(`.${domain}`)))
    return `is not on an Okta domain (${OKTA_DOMAINS.join(', ')}); if it is your org's custom URL domain, set customDomain to true in the connection`;
  return undefined;
}

/** `acme-admin.okta.com` is the admin console of `acme.okta.com`; the API lives on the org host. */
function withoutAdminSuffix(host: string): string {
  const [first, ...rest] = host.split('.');
  const parent = rest.join('.');
  if (first?.endsWith('-admin') && first.length > '-admin'.length && isOktaDomain(parent)) {
    return `${first.slice(0, -'-admin'.length)}.${parent}`;
  }
  return host;
}

function isOktaDomain(domain: string): boolean {
  return OKTA_DOMAINS.some((okta) => domain === okta);
}
