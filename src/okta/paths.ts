/** Builds Okta API paths with every parameter URL-encoded (a login like a/b@x must not change the path). */
export type QueryValue = string | number | boolean | undefined | null;
export type QueryParams = Record<string, QueryValue>;

export function oktaPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new Error(`oktaPath: no value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=x` for the defined values, or '' when there are none. */
export function queryString(query: QueryParams = {}): string {
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
