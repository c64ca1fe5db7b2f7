/**
 * Okta's cursor pagination: a page of at most `limit` items (each endpoint has its own default and cap),
 * a `Link` header with `rel="self"` and, when more items follow, `rel="next"` whose opaque `after` cursor
 * continues after the last item returned. The cursor holds that item's sort key, so pages stay correct
 * when items are added or removed between requests; it also counts pages, for "fail on page N" faults.
 */
import { validationFailed } from './errors.js';

export type SortKey = Array<string | number | boolean | null>;

export interface PageRules {
  defaultLimit: number;
  maxLimit: number;
}

export interface PageRequest {
  baseUrl: string;
  url: URL;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
  /** 1 for the first page, 2 for the page after it, ... */
  pageNumber: number;
}

export interface Cursor {
  k: SortKey;
  p: number;
}

/** The page number a request asks for (1 without a cursor), for faults that strike on page N. */
export function requestedPageNumber(url: URL): number {
  const after = url.searchParams.get('after');
  return after ? readCursor(after).p + 1 : 1;
}

/**
 * One page of `sorted` (ordered by `keyOf`, ascending unless `descending`), with Okta's Link header.
 */
export function pageOf<T>(
  request: PageRequest,
  sorted: readonly T[],
  keyOf: (item: T) => SortKey,
  rules: PageRules,
  descending = false,
): Page<T> {
  const limit = pageLimit(request.url, rules);
  const after = request.url.searchParams.get('after');
  let start = 0;
  let pageNumber = 1;
  if (after) {
    const cursor = readCursor(after);
    pageNumber = cursor.p + 1;
    start = firstAfter(sorted, keyOf, cursor.k, descending);
  }
  const items = sorted.slice(start, start + limit);
  const selfUrl = new URL(request.url.pathname + request.url.search, request.baseUrl);
  const links = [`<${selfUrl.href}>; rel="self"`];
  if (start + limit < sorted.length && items.length > 0) {
    const next = new URL(selfUrl.href);
    next.searchParams.set('after', encodeCursor({ k: keyOf(items[items.length - 1]!), p: pageNumber }));
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.href}>; rel="next"`);
  }
  return { items, headers: { link: links.join(', ') }, pageNumber };
}

export function pageLimit(url: URL, rules: PageRules): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return rules.defaultLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1)
    throw validationFailed('limit', [`limit: must be a positive whole number`]);
  // Okta answers a limit above the endpoint's cap with the cap.
  return Math.min(limit, rules.maxLimit);
}

/** Compares sort keys element by element; null sorts first. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function firstAfter<T>(
  sorted: readonly T[],
  keyOf: (item: T) => SortKey,
  key: SortKey,
  descending: boolean,
): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compareKeys(keyOf(sorted[mid]!), key) * (descending ? -1 : 1);
    if (order <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The `after` cursor that continues after the item with sort key `k`, on page `p + 1`. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * A request's cursor. The sandbox's own cursors hold a sort key and a page count. One it did not issue is
 * read the way Okta reads its own, which are the id of the last item returned (`after=00u118oQYT4TBGuay0g4`
 * in Okta's examples): as the position the page starts after. So an unknown cursor gets a page, perhaps an
 * empty one, and never an error; that Okta answers so is an inference (src/sandbox/NOTES.md).
 */
export function readCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (Array.isArray(cursor.k) && typeof cursor.p === 'number') return cursor;
  } catch {
    // Not one of the sandbox's cursors.
  }
  return { k: [text], p: 1 };
}
