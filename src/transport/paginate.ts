/**
 * The one pagination helper every list action uses.
 *
 * Okta pages by an opaque cursor carried in the `Link: <...>; rel="next"` header; we follow that link as
 * given (only its `limit` is adjusted) and never build an `after` value ourselves. A run returns at most
 * `maxItems` items, and whenever it stops before the end it returns a `nextCursor` from which the next
 * run continues exactly where this one stopped, so a list is never cut short silently. Any failure on a
 * later page fails the whole run: a partial list is never returned as if it were complete.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { ActionError, invalidInput } from '../errors/action-error.js';
import { type QueryParams, queryString } from './paths.js';
import { requestJson } from './raw-json.js';

export interface PageRequest {
  /** The list endpoint, e.g. `/api/v1/users`. A cursor is only accepted for this same path. */
  path: string;
  /** Filters of the first page; later pages take theirs from Okta's next link. */
  query?: QueryParams;
  /** Parameters Okta's next link may leave out (like `expand`), set on every page. */
  everyPage?: QueryParams | undefined;
  /** Items per page (`limit`), or undefined for endpoints that take no `limit`. */
  pageSize?: number;
  /** The most items this run returns. */
  maxItems: number;
  /** `nextCursor` of a previous run, to continue from there. */
  cursor?: string;
  /** Applied to every item as its page arrives (e.g. to drop a secret Okta includes). */
  mapItem?: (item: unknown) => unknown;
  /**
   * Whether a page (path and query) is a polling query, a list that never ends (the System Log without
   * `until`): its answers always carry a next link, so the run stops at the first page shorter than it
   * asked for (it has caught up) and always returns a cursor to read on from.
   */
  isPolling?: (page: string) => boolean;
}

export interface PageResult<T> {
  items: T[];
  /** Where the next run continues, or null when the list is complete. */
  nextCursor: string | null;
}

/** How far the lists of a run got (pages and items read), for a message if one fails part-way. */
export interface ListProgress {
  pages: number;
  items: number;
}

/** Where a streamed list's pages go; `take` settles when the consumer is ready for another page. */
export interface PageSink {
  take(items: unknown[]): Promise<void>;
  /** The most items to stream; undefined: the whole list. */
  maxItems: number | undefined;
}

/**
 * What a run's list reads share, handed in by the runtime through the Okta context: the run's progress,
 * and for stream() the sink that takes each page as it arrives instead of the list's items.
 */
export interface ListReading {
  progress: ListProgress;
  sink?: PageSink | undefined;
}

/** "3 pages (600 items)": how far a list got, for messages; '' when no list was read. */
export function describeProgress({ pages, items }: ListProgress): string {
  if (pages === 0) return '';
  return `${pages} page${pages === 1 ? '' : 's'} (${items} item${items === 1 ? '' : 's'})`;
}

/** The paging fields every list action's input has; the schema's defaults have been applied. */
export interface ListInput {
  limit?: number;
  maxItems?: number;
  cursor?: string;
}

/** Fallback for direct calls only: the runtime always fills in the input schema's default (200). */
const DEFAULT_MAX_ITEMS = 200;

/** The page size, run size and starting point of a list action's run, from its input. */
export function listWindow(input: ListInput): Pick<PageRequest, 'pageSize' | 'maxItems' | 'cursor'> {
  return { pageSize: input.limit, maxItems: input.maxItems ?? DEFAULT_MAX_ITEMS, cursor: input.cursor };
}

/** What a cursor holds: the page to fetch (path and query, as Okta's link gave it) and items to skip on it. */
interface CursorState {
  page: string;
  skip: number;
}

export async function paginate<T>(
  client: Client,
  orgUrl: string,
  request: PageRequest,
  reading: ListReading,
): Promise<PageResult<T>> {
  // The run's progress counts this list's pages while it is read; once the list is complete it no longer
  // matters (a later failure of the action is not a failure of this list).
  const before = { ...reading.progress };
  const result = await readPages<T>(client, orgUrl, request, reading);
  Object.assign(reading.progress, before);
  return result;
}

async function readPages<T>(
  client: Client,
  orgUrl: string,
  request: PageRequest,
  { progress, sink }: ListReading,
): Promise<PageResult<T>> {
  const start: CursorState = request.cursor
    ? decodeCursor(request.cursor, request.path)
    : { page: `${request.path}${queryString(request.query)}`, skip: 0 };
  // Streamed (stream()): each page goes to the sink as it arrives and nothing is kept; the stream's own
  // limit replaces the input's maxItems, whose default would otherwise cut the list at 200.
  const maxItems = sink ? (sink.maxItems ?? Number.POSITIVE_INFINITY) : request.maxItems;
  const items: T[] = [];
  let count = 0;
  const keep = async (pageItems: unknown[]) => {
    const mapped = (request.mapItem ? pageItems.map(request.mapItem) : pageItems) as T[];
    count += mapped.length;
    if (sink) await sink.take(mapped);
    else for (const item of mapped) items.push(item);
  };
  let { page, skip } = start;
  const { default: LinkHeader } = await import('http-link-header');

  for (;;) {
    const remaining = maxItems - count;
    // Ask for no more than we can return (plus what we skip), so a page rarely has to be cut.
    const pageUrl = withQuery(page, {
      ...request.everyPage,
      ...(request.pageSize ? { limit: Math.min(request.pageSize, remaining + skip) } : {}),
    });
    const response = await requestJson<unknown>(client, orgUrl, 'GET', pageUrl);
    if (!Array.isArray(response.body)) {
      throw new ActionError('UPSTREAM', `Okta answered ${request.path} with something other than a list.`, {
        retryable: false,
      });
    }
    const answered = (response.body as unknown[]).length;
    const pageItems = (response.body as unknown[]).slice(skip);
    const taken = Math.min(pageItems.length, remaining);
    // How far the list got, for a message if a later page fails or the run is cancelled.
    progress.pages += 1;
    progress.items += taken;
    await keep(taken < pageItems.length ? pageItems.slice(0, taken) : pageItems);
    if (taken < pageItems.length) {
      // The page had more than fits: the next run starts on this same page, after what we returned.
      return { items, nextCursor: encodeCursor({ page, skip: skip + taken }) };
    }

    const next = nextPage(LinkHeader, response.headers.get('link'), orgUrl, request.path);
    if (request.isPolling?.(page)) {
      const asked = new URL(pageUrl, 'http://placeholder').searchParams.get('limit');
      const caughtUp = asked === null ? answered === 0 : answered < Number(asked);
      // A poll never ends: when caught up (or without a next link) it resumes here, after what it took.
      if (!next) return { items, nextCursor: encodeCursor({ page, skip: skip + taken }) };
      if (caughtUp || count >= maxItems) return { items, nextCursor: encodeCursor({ page: next, skip: 0 }) };
      page = next;
      skip = 0;
      continue;
    }
    if (!next) return { items, nextCursor: null };
    if (count >= maxItems) return { items, nextCursor: encodeCursor({ page: next, skip: 0 }) };
    if (next === page) {
      throw new ActionError(
        'UPSTREAM',
        `Okta's next-page link for ${request.path} points at the same page; stopped.`,
        {
          retryable: false,
        },
      );
    }
    page = next;
    skip = 0;
  }
}

type LinkHeaderModule = typeof import('http-link-header');

/** The next page as a path and query on the org, or undefined at the end of the list. */
function nextPage(
  LinkHeader: LinkHeaderModule,
  header: string | null,
  orgUrl: string,
  path: string,
): string | undefined {
  if (!header) return undefined;
  let links: ReturnType<LinkHeaderModule['parse']>;
  try {
    links = LinkHeader.parse(header);
  } catch {
    throw new ActionError(
      'UPSTREAM',
      `Okta's Link header for ${path} could not be read; the list is incomplete.`,
      {
        retryable: true,
      },
    );
  }
  const link = links.rel('next')[0];
  if (!link) return undefined;
  const url = new URL(link.uri, orgUrl);
  // The token must never follow a link to another host, and a list must not wander to another endpoint.
  if (url.origin !== new URL(orgUrl).origin || url.pathname !== path) {
    throw new ActionError(
      'UPSTREAM',
      `Okta's next-page link for ${path} leads elsewhere; refused to follow it.`,
      {
        retryable: false,
      },
    );
  }
  return `${url.pathname}${url.search}`;
}

function withQuery(page: string, params: QueryParams): string {
  const url = new URL(page, 'http://placeholder');
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  return `${url.pathname}${url.search}`;
}

/**
 * The next page Okta's Link header names (path and query on the org), or undefined at the end, for a
 * caller that read a page itself. The same checks as the pagination loop: same origin, same list.
 */
export async function nextPageOf(
  linkHeader: string | null,
  orgUrl: string,
  path: string,
): Promise<string | undefined> {
  const { default: LinkHeader } = await import('http-link-header');
  return nextPage(LinkHeader, linkHeader, orgUrl, path);
}

/**
 * A cursor that continues a list at the given page (path and query, as Okta's next link gave it), for a
 * caller that read the first page itself (call-okta-api only learns a GET is a list from its answer).
 */
export function cursorForPage(page: string, skip = 0): string {
  return encodeCursor({ page, skip });
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify({ v: 1, p: state.page, s: state.skip })).toString('base64url');
}

function decodeCursor(cursor: string, path: string): CursorState {
  let state: { v?: unknown; p?: unknown; s?: unknown };
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput(
      'cursor',
      'is not a cursor from a previous run of this action; copy its nextCursor exactly',
    );
  }
  const page = typeof state.p === 'string' ? state.p : '';
  const skip = typeof state.s === 'number' && Number.isInteger(state.s) && state.s >= 0 ? state.s : -1;
  if (state.v !== 1 || skip < 0 || !page.startsWith('/')) {
    throw invalidInput(
      'cursor',
      'is not a cursor from a previous run of this action; copy its nextCursor exactly',
    );
  }
  const url = new URL(page, 'http://placeholder');
  if (url.origin !== 'http://placeholder' || url.pathname !== path) {
    throw invalidInput(
      'cursor',
      'belongs to a different list; use the nextCursor of a run of this same action',
    );
  }
  return { page: `${url.pathname}${url.search}`, skip };
}
