/**
 * The last line of defence for secrets: before an error or a test-connection result leaves the plugin,
 * every string in it is scrubbed of the connection's secrets. Messages are built not to contain them in
 * the first place; this catches what a future message or an upstream text might let through.
 */
const REDACTED = '[redacted]';

export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const needles = secrets.filter((secret) => secret.length >= 4);
  if (needles.length === 0) return value;
  return scrub(value, needles) as T;
}

function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, secrets)]));
  }
  return value;
}
