import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

const HOUR_MS = 3_600_000;
// Okta's documented limits of `q`.
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // A cursor carries the first run's whole query, its window included.
  const window = input.cursor ? undefined : timeWindow(input);
  const page = await okta.paginate<Output['events'][number]>({
    path: '/api/v1/logs',
    query: {
      ...window,
      filter: eventFilter(input),
      q: keywords(input.keywords),
      sortOrder: input.sortOrder ?? 'ASCENDING',
    },
    ...listWindow(input),
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
