/** The checks of subscribe's own fields, made before anything is sent to Okta. */
import { isLoopbackHost } from '../connection/api-address.js';
import type { HostOptions } from '../runtime/execute.js';
import { invalid } from './catalog.js';

const DEFAULT_HOOK_NAME = 'okta-actions';
const MAX_URL_LENGTH = 1024;

/** The receiver URL: HTTPS, as Okta requires; plain http only on loopback when the host allows loopback. */
export function checkEndpoint(raw: unknown, options: HostOptions | undefined): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH)
    throw invalid('url', `must be the receiver's URL, 1 to ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', 'is not a URL; give the full address, like https://hooks.example.com/okta');
  }
  if (url.username || url.password) throw invalid('url', 'must not carry a user name or password');
  const loopback = isLoopbackHost(url.hostname.toLowerCase());
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && loopback && options?.allowLoopback === true) return url.href;
  throw invalid(
    'url',
    'must use https: Okta delivers event hooks only to HTTPS endpoints (plain http is allowed only on loopback, for a local sandbox, with allowLoopback)',
  );
}

/** A secret the host stored: long enough to resist guessing, and safe in an HTTP header. */
export function checkSecret(secret: unknown): void {
  if (
    typeof secret !== 'string' ||
    secret.length < 16 ||
    secret.length > 1024 ||
    !/^[\x21-\x7e]+$/.test(secret)
  )
    throw invalid('secret', 'must be 16 to 1024 printable characters without spaces');
}

/** The hook's name: given, else the connection's Event Hook Name, else the default. */
export function hookNameOf(request: { connection: unknown; name?: unknown }): string {
  const fromConnection = (request.connection as { eventHookName?: unknown } | null)?.eventHookName;
  const name = request.name ?? fromConnection ?? DEFAULT_HOOK_NAME;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
    throw invalid(
      request.name !== undefined ? 'name' : 'connection.eventHookName',
      'must be 1 to 255 characters',
    );
  return name.trim();
}
