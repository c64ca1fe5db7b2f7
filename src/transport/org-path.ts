/**
 * Paths a caller may send to the connection's org (call-okta-api): only Okta's API families, only on the
 * org, and only as written. Anything that could reach another host or climb out of the API (an absolute
 * URL, `//`, backslashes, `.` or `..` segments, encoded slashes or dots, control characters) is refused,
 * so the connection's token can never be aimed somewhere else.
 */
import { invalidInput } from '../errors/action-error.js';

const ALLOWED_PREFIXES = ['/api/v1/', '/oauth2/'];

export interface OrgPath {
  /** The path, exactly as given (percent-encoding kept). */
  pathname: string;
  /** The query written in the path, without the "?". */
  query: URLSearchParams;
}

export function checkOrgPath(raw: string, field = 'path'): OrgPath {
  const refuse = (why: string) => invalidInput(field, why);
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
    throw refuse('must be a path on your org (like /api/v1/users/me), not a full address');
  }
  if (!ALLOWED_PREFIXES.some((prefix) => raw.startsWith(prefix))) {
    throw refuse(`must start with ${ALLOWED_PREFIXES.join(' or ')}, like /api/v1/users/me`);
  }
  const hasControlCharacter = [...raw].some(
    (char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f,
  );
  if (/[\\\s#]/.test(raw) || hasControlCharacter) {
    throw refuse('must not contain spaces, backslashes, # or control characters');
  }
  const [pathname = '', search = ''] = raw.split(/\?(.*)/s, 2);
  if (/%(2f|5c|2e|00)/i.test(pathname)) throw refuse('must not contain encoded slashes, backslashes or dots');
  const segments = pathname.split('/').slice(1);
  if (
    segments.some(
      (segment, i) => segment === '.' || segment === '..' || (segment === '' && i < segments.length - 1),
    )
  ) {
    throw refuse('must not contain empty, "." or ".." segments');
  }
  // The URL parser must leave the path as written: if it normalizes anything, something was hidden in it.
  const parsed = new URL(pathname, 'https://org.invalid');
  if (parsed.origin !== 'https://org.invalid' || parsed.pathname !== pathname) {
    throw refuse('is not a plain path on your org');
  }
  return { pathname, query: new URLSearchParams(search) };
}
