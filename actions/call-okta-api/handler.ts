import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { checkOrgPath } from '../../src/transport/org-path.js';
import { cursorForPage, nextPageOf } from '../../src/transport/paginate.js';
import { type QueryParams, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

/** Items a GET of a list returns when neither maxItems nor a limit says otherwise, as for every list action. */
const DEFAULT_MAX_ITEMS = 200;

/** The page size a query sets (`limit`), when it is a whole number of at least 1. */
function pageSizeOf(query: QueryParams): number | undefined {
  const { limit } = query;
  const size = typeof limit === 'string' || typeof limit === 'number' ? Number(limit) : Number.NaN;
  return Number.isInteger(size) && size >= 1 ? size : undefined;
}

/**
 * The body to send: an object or list as given, or one written as JSON text, which is what a form's text
 * box gives (the input schema allows both). Text that is not a JSON object or list is refused; the message
 * never quotes it, since a body may hold a password.
 */
function jsonBody(body: Input['body']): object | undefined {
  if (typeof body !== 'string') return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw invalidInput('body', `is not JSON text${at ? ` (a mistake at character ${at})` : ''}`);
  }
  if (parsed === null || typeof parsed !== 'object')
    throw invalidInput('body', 'must be a JSON object or list, like {"profile": {"name": "Audit"}}');
  return parsed;
}

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const method = input.method ?? 'GET';
  const { pathname, query: written } = checkOrgPath(input.path);
  const query: QueryParams = { ...Object.fromEntries(written), ...input.query };
  if (method === 'GET') {
    if (input.body !== undefined)
      throw invalidInput('body', 'cannot be sent with GET; choose POST, PUT or PATCH');
    return read(pathname, query);
  }
  if (input.cursor)
    throw invalidInput('cursor', `continues a list read with GET; it has no meaning for ${method}`);
  const body = jsonBody(input.body);
  const answer = await change(
    `${method} ${pathname}`,
    { method, path: `${pathname}${queryString(query)}` },
    () => okta.request(method, pathname, { query, ...(body !== undefined ? { body } : {}) }),
  );
  if (!answer) return PLANNED;
  return { status: answer.status, body: answer.body ?? null, count: null, nextCursor: null, changed: true };

  /** A GET: a single object as it is; a list through Okta's pages, up to maxItems, like every list action. */
  async function read(path: string, params: QueryParams): Promise<Output> {
    // A limit the caller wrote is the page size they chose; without a maxItems of their own it means one
    // page, not 200 items in pages of that size (limit=2 would send 100 requests).
    const maxItems = input.maxItems ?? pageSizeOf(params) ?? DEFAULT_MAX_ITEMS;
    if (input.cursor) {
      const page = await okta.paginate<unknown>({ path, maxItems, cursor: input.cursor });
      return {
        status: 200,
        body: page.items,
        count: page.items.length,
        nextCursor: page.nextCursor,
        changed: false,
      };
    }
    const first = await okta.request<unknown>('GET', path, { query: params });
    if (!Array.isArray(first.body)) {
      return {
        status: first.status,
        body: first.body ?? null,
        count: null,
        nextCursor: null,
        changed: false,
      };
    }
    const items = first.body.slice(0, maxItems);
    const firstPage = `${path}${queryString(params)}`;
    const next = await nextPageOf(first.headers.get('link'), okta.orgUrl, path);
    let nextCursor: string | null = null;
    if (items.length < first.body.length) nextCursor = cursorForPage(firstPage, items.length);
    else if (next && items.length >= maxItems) nextCursor = cursorForPage(next);
    else if (next) {
      const rest = await okta.paginate<unknown>({
        path,
        maxItems: maxItems - items.length,
        cursor: cursorForPage(next),
      });
      items.push(...rest.items);
      nextCursor = rest.nextCursor;
    }
    return { status: first.status, body: items, count: items.length, nextCursor, changed: false };
  }
});
