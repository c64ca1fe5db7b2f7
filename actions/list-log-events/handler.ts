import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

const HOUR_MS = 3_600_000;
const RETENTION_MS = 90 * 24 * HOUR_MS;
// Okta's documented limits of `q`.
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // A cursor carries the first run's whole query, its window included.
  const window = input.cursor ? undefined : input.follow ? followFrom(input) : timeWindow(input);
  const page = await okta.paginate<Output['events'][number]>({
    path: '/api/v1/logs',
    query: {
      ...window,
      filter: eventFilter(input),
      q: keywords(input.keywords),
      sortOrder: input.sortOrder ?? 'ASCENDING',
    },
    ...listWindow(input),
    // Okta: a query without `until` is a polling query; it never ends, and its `since` is the time events
    // were stored rather than published (listLogEvents in Okta's API description).
    isPolling: (query) => !new URL(query, 'http://placeholder').searchParams.has('until'),
  });
  return {
    events: page.items,
    count: page.items.length,
    nextCursor: page.nextCursor,
    since: window?.since ?? null,
    until: window?.until ?? null,
  };
});

/**
 * Following the log: a polling query, with no `until` and oldest first, as Okta recommends for reading on
 * without gaps (a window by published time misses events Okta stores late).
 */
function followFrom(input: Input): { since: string; until?: undefined } {
  if (input.until) throw invalidInput('until', 'cannot be combined with follow: a followed log has no end');
  if (input.sortOrder === 'DESCENDING')
    throw invalidInput('sortOrder', 'must be oldest first (ASCENDING) to follow the log');
  const since = input.since ? new Date(input.since) : new Date(Date.now() - HOUR_MS);
  if (since.getTime() < Date.now() - RETENTION_MS)
    throw invalidInput(
      'since',
      `(${since.toISOString()}) is more than 90 days ago; Okta keeps events for 90 days`,
    );
  return { since: since.toISOString() };
}

/**
 * `until` is always sent: without it Okta treats the query as a poll, whose answers always carry a next
 * link, so following the pages would never end.
 */
function timeWindow(input: Input): { since: string; until: string } {
  const until = input.until ? new Date(input.until) : new Date();
  const since = input.since ? new Date(input.since) : new Date(until.getTime() - HOUR_MS);
  if (since.getTime() >= until.getTime())
    throw invalidInput('since', `(${since.toISOString()}) must be before until (${until.toISOString()})`);
  return { since: since.toISOString(), until: until.toISOString() };
}

function eventFilter(input: Input): string | undefined {
  const byType = input.eventType ? `eventType eq ${quoteLiteral(input.eventType)}` : undefined;
  if (byType && input.filter) return `(${byType}) and (${input.filter})`;
  return byType ?? input.filter;
}

function keywords(text: string | undefined): string | undefined {
  const words = (text ?? '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  if (words.length > MAX_KEYWORDS)
    throw invalidInput('keywords', `has ${words.length} words; Okta takes at most ${MAX_KEYWORDS}`);
  const long = words.find((word) => word.length > MAX_KEYWORD_LENGTH);
  if (long)
    throw invalidInput(
      'keywords',
      `has a word longer than ${MAX_KEYWORD_LENGTH} characters ("${long.slice(0, 20)}...")`,
    );
  return words.join(' ');
}
