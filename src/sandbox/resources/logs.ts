/**
 * GET /api/v1/logs: the System Log, filtered by a filter expression or keywords. Okta's API description
 * (listLogEvents) knows two kinds of query:
 *
 * - bounded, with `until`: the events whose `published` time lies between `since` (default seven days
 *   before `until`) and `until`, ordered by `published`; the pages end.
 * - polling, without `until`: the events Okta persisted since `since`, in the order it persisted them; the
 *   answer always carries a next link, even on an empty page, so a poller follows it forever. An event
 *   published late (persisted after events published later) is still found by following the links,
 *   where a poller that bounds windows by `published` would miss it.
 *
 * A newest-first query without `until` is served as a bounded one ending now: a stream that never ends has
 * no newest end to start from (inference, src/sandbox/NOTES.md).
 */
import { validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, encodeCursor, pageLimit, pageOf, readCursor, requestedPageNumber } from '../paging.js';
import { ok, type RouteContext, type RouteHandler } from '../route.js';
import type { LogEventJson } from '../system-log.js';

const RULES: ExpressionRules = {
  name: 'filter',
  operators: new Set<Operator>(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']),
  caseInsensitive: false,
};
const PAGE = { defaultLimit: 100, maxLimit: 1000 };
const WEEK_MS = 7 * 24 * 3600 * 1000;

const listLogEvents: RouteHandler = (context) => {
  const { query } = context;
  const descending = query.get('sortOrder') === 'DESCENDING';
  const until = parseTime(query.get('until'), 'until');
  const since = parseTime(query.get('since'), 'since');
  const matches = eventMatcher(query);
  if (until === undefined && !descending) return pollingPage(context, since ?? Date.now() - WEEK_MS, matches);
  return boundedPage(context, since, until ?? Date.now(), matches, descending);
};

/** Whether an event passes the query's filter expression and keywords. */
function eventMatcher(query: URLSearchParams): (event: LogEventJson) => boolean {
  const filter = query.get('filter');
  const expression = filter !== null ? parseExpression(filter, RULES) : undefined;
  const keywords = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return (event) => {
    if (expression && !evaluate(expression, event, false)) return false;
    if (keywords.length === 0) return true;
    const text = JSON.stringify(event).toLowerCase();
    return keywords.every((k) => text.includes(k));
  };
}

/** A bounded query: by `published`, in either order; the pages end. */
function boundedPage(
  context: RouteContext,
  since: number | undefined,
  until: number,
  matches: (event: LogEventJson) => boolean,
  descending: boolean,
) {
  const { org } = context;
  const from = since ?? until - WEEK_MS;
  // Events of one millisecond keep the order they were persisted in; the log holds events in that order,
  // which is not quite `published` order (an event persisted late).
  const keyOf = (event: LogEventJson) => [event.published, org.log.persistenceOf(event)?.seq ?? -1];
  const sorted = org.log.events
    .filter((event) => {
      const at = Date.parse(event.published);
      return at >= from && at <= until && matches(event);
    })
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (descending ? -1 : 1));
  const page = pageOf({ baseUrl: org.baseUrl, url: context.url }, sorted, keyOf, PAGE, descending);
  return ok(page.items, page.headers);
}

/**
 * A polling query: the matching events persisted at or after `since` and after the cursor's position, in
 * persistence order. The next link's cursor is the persistence position of the last event returned; on an
 * empty page it is the position the request resumed from, so nothing persisted later is skipped.
 */
function pollingPage(context: RouteContext, since: number, matches: (event: LogEventJson) => boolean) {
  const { org, url } = context;
  const limit = pageLimit(url, PAGE);
  const after = pollingPosition(org, url.searchParams.get('after'));
  const events = org.log.events;
  const items: LogEventJson[] = [];
  let position = after;
  for (let i = firstPersistedAfter(org, after); i < events.length && items.length < limit; i++) {
    const event = events[i]!;
    const persisted = org.log.persistenceOf(event)!;
    if (persisted.at < since || !matches(event)) continue;
    items.push(event);
    position = persisted.seq;
  }
  const self = new URL(url.pathname + url.search, org.baseUrl);
  const next = new URL(self.href);
  if (position >= 0) {
    next.searchParams.set('after', encodeCursor({ k: [position], p: requestedPageNumber(url) }));
  }
  return ok(items, { link: `<${self.href}>; rel="self", <${next.href}>; rel="next"` });
}

/**
 * The persistence position a polling cursor resumes after (-1: from the start). A cursor of the sandbox's
 * own holds it; any other is read as Okta's own cursors read, the id of the last event returned, and one
 * naming no event the log holds starts from the beginning of the query (delivering twice rather than
 * never: inference).
 */
function pollingPosition(org: SandboxOrg, after: string | null): number {
  if (after === null) return -1;
  const key = readCursor(after).k;
  if (key.length === 1 && typeof key[0] === 'number') return key[0];
  const named = org.log.events.find((event) => event.uuid === key.at(-1));
  return named ? (org.log.persistenceOf(named)?.seq ?? -1) : -1;
}

/** The index of the first event persisted after position `seq` (the log is in persistence order). */
function firstPersistedAfter(org: SandboxOrg, seq: number): number {
  const events = org.log.events;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (org.log.persistenceOf(events[mid]!)!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

function parseTime(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationFailed(name, [`${name}: must be an ISO 8601 date and time`]);
  return time;
}

export const logRoutes: Record<string, RouteHandler> = { listLogEvents };
