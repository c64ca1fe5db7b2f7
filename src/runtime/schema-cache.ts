/**
 * Profile schemas read from orgs by inputSchema(), kept a short while: a form asks again as a person types
 * (an app id, then the next field), and an admin's change in the Profile Editor shows within a minute.
 *
 * Keyed by the connection's fingerprint (a keyed hash of its type, address and credentials, as the client
 * cache is: src/connection/connection.ts) and the schema's path, so one connection never sees what another
 * read, even of the same org: what an org answers may depend on who asks (an admin role's reach, a token's
 * scopes). Only answers that succeeded are kept, and never the secrets. Bounded; the oldest goes first.
 */
import type { OktaAttribute } from './org-fields.js';

/** How long a read schema is used before it is read again. */
export const SCHEMA_LIFETIME_MS = 60_000;
/** Schemas kept at once, across connections (a host may serve many tenants). */
const MAX_SCHEMAS = 256;

interface Entry {
  expires: number;
  attributes: Readonly<Record<string, OktaAttribute>>;
}

const entries = new Map<string, Entry>();

const keyOf = (fingerprint: string, path: string) => `${fingerprint} ${path}`;

/** The custom attributes read for this connection and schema less than SCHEMA_LIFETIME_MS ago. */
export function cachedAttributes(
  fingerprint: string,
  path: string,
): Readonly<Record<string, OktaAttribute>> | undefined {
  const key = keyOf(fingerprint, path);
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.expires <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry.attributes;
}

export function cacheAttributes(
  fingerprint: string,
  path: string,
  attributes: Readonly<Record<string, OktaAttribute>>,
): void {
  const key = keyOf(fingerprint, path);
  entries.delete(key);
  entries.set(key, {
    expires: Date.now() + SCHEMA_LIFETIME_MS,
    attributes: Object.freeze({ ...attributes }),
  });
  while (entries.size > MAX_SCHEMAS) entries.delete(entries.keys().next().value as string);
}

/** Schemas kept now (for tests). */
export function cachedSchemaCount(): number {
  return entries.size;
}
