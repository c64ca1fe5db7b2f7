/**
 * GET /api/v1/logs: the System Log, between `since` (default seven days before `until`) and `until`
 * (default now), filtered by a filter expression or keywords. Like Okta, a query without `until` is a
 * polling query: its answer always carries a next link, even when no event is left.
 */
import { validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { encodeCursor, pageOf } from '../paging.js';
import { ok, type RouteHandler } from '../route.js';
import type { LogEventJson } from '../system-log.js';

const RULES: ExpressionRules = {
  name: 'filter',
  operators: new Set<Operator>(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']),
  caseInsensitive: false,
};
const PAGE = { defaultLimit: 100, maxLimit: 1000 };
const WEEK_MS = 7 * 24 * 3600 * 1000;

const listLogEvents: RouteHandler = (context) => {
  const { org, query } = context;
  const polling = query.get('until') === null;
  const until = parseTime(query.get('until'), 'until') ?? Date.now();
  const since = parseTime(query.get('since'), 'since') ?? until - WEEK_MS;
  const filter = query.get('filter');
  const expression = filter !== null ? parseExpression(filter, RULES) : undefined;
  const keywords = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const descending = query.get('sortOrder') === 'DESCENDING';
  const matching = org.log.events.filter((event) => {
    const at = Date.parse(event.published);
    if (at < since || at > until) return false;
    if (expression && !evaluate(expression, event, false)) return false;
    const text = JSON.stringify(event).toLowerCase();
    return keywords.every((k) => text.includes(k));
  });
  const sorted = descending ? [...matching].reverse() : matching;
  const keyOf = (event: LogEventJson) => [event.published, event.uuid];
  const page = pageOf({ baseUrl: org.baseUrl, url: context.url }, sorted, keyOf, PAGE, descending);
  let headers = page.headers;
  if (polling && !headers.link?.includes('rel="next"')) {
    headers = { link: `${headers.link}, <${pollingLink(org, context.url, sorted, page.items)}>; rel="next"` };
  }
  return ok(page.items, headers);
};

/** The next link of a polling query: it resumes after the newest event seen (or where the query began). */
function pollingLink(org: SandboxOrg, url: URL, sorted: LogEventJson[], items: LogEventJson[]): string {
  const last = items.at(-1) ?? sorted.at(-1);
  const next = new URL(url.pathname + url.search, org.baseUrl);
  if (last) {
    next.searchParams.set('after', encodeCursor({ k: [last.published, last.uuid], p: 1 }));
  }
  return next.href;
}

function parseTime(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationFailed(name, [`${name}: must be an ISO 8601 date and time`]);
  return time;
}

export const logRoutes: Record<string, RouteHandler> = { listLogEvents };
