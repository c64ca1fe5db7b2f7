/** Builds Okta API paths with every parameter URL-encoded (a login like a/b@x must not change the path). */
import { ActionError } from '../errors/action-error.js';
export type QueryValue = string | number | boolean | undefined | null;
export type QueryParams = Record<string, QueryValue>;

export function oktaPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new Error(`oktaPath: no value for {${name}} in ${template}`);
    // encodeURIComponent leaves dots alone, and "." or ".." as a segment would make it another path.
    if (value === '.' || value === '..')
      throw new ActionError(
        'INVALID_INPUT',
        `"${value}" is not a valid value for {${name}}: it would change the request's path. Nothing was sent to Okta.`,
      );
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=x` for the defined values, or '' when there are none. */
export function queryString(query: QueryParams = {}): string {
  // Most requests have none: no URLSearchParams built for them (one per request, on a warm call's path).
  if (!Object.values(query).some((value) => value !== undefined && value !== null)) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Okta's search and filter expressions take string literals in double quotes. Input spliced into an
 * expression is always quoted this way, so it cannot end the literal and change the expression.
 */
export function quoteLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
