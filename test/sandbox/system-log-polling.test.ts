/**
 * Polling the System Log as Okta's API description (listLogEvents) describes it: a query without `until`
 * never ends, always carries a next link, bounds `since` by the time Okta persisted an event and returns
 * events in that order, so an event persisted late is found by following the links, where a poller that
 * bounds windows by `published` misses it. Bounded queries (with `until`) keep to `published`.
 */
import { describe, expect, it } from 'vitest';
import type { LogEventJson } from '../../src/sandbox/system-log.js';
import { type RawAnswer, useSandbox } from '../helpers/sandbox.js';

const context = useSandbox();

/** The path and query of a Link header's rel="next" URL, or undefined when there is none. */
function nextOf(answer: RawAnswer): string | undefined {
  const link = answer.headers.get('link') ?? '';
  const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  if (!next) return undefined;
  const url = new URL(next);
  expect(url.origin).toBe(context.sandbox.url);
  return url.pathname + url.search;
}

async function get(path: string): Promise<RawAnswer> {
  const answer = await context.api.get(path);
  expect(answer.status).toBe(200);
  return answer;
}

/** Records an event through the org's log, published `agoMs` before now but persisted now. */
function record(displayMessage: string, agoMs = 0): LogEventJson {
  return context.sandbox.org.log.recordEvent({
    eventType: 'user.account.update_profile',
    displayMessage,
    ...(agoMs > 0 ? { publishedAt: Date.now() - agoMs } : {}),
  });
}

const messages = (answer: RawAnswer) => answer.body.map((event: LogEventJson) => event.displayMessage);
const sinceNow = () => `/api/v1/logs?since=${encodeURIComponent(new Date(Date.now() - 1).toISOString())}`;

describe('polling queries (no until)', () => {
  it('always answer a next link, even on an empty page, and resume where they stopped', async () => {
    const first = await get(sinceNow());
    expect(first.body).toEqual([]);
    const emptyNext = nextOf(first);
    expect(emptyNext).toBeDefined();
    // Nothing new: empty again, and the link resumes at the same position.
    const second = await get(emptyNext!);
    expect(second.body).toEqual([]);
    expect(new URL(nextOf(second)!, context.sandbox.url).searchParams.get('after')).toBe(
      new URL(emptyNext!, context.sandbox.url).searchParams.get('after'),
    );

    const created = await context.api.post('/api/v1/users?activate=false', {
      profile: {
        login: 'clara.oswald@example.com',
        email: 'clara.oswald@example.com',
        firstName: 'Clara',
        lastName: 'Oswald',
      },
    });
    expect(created.status).toBe(200);
    const third = await get(nextOf(second)!);
    expect(third.body.map((event: LogEventJson) => event.eventType)).toEqual(['user.lifecycle.create']);
    expect(third.body[0].target[0].id).toBe(created.body.id);
    const fourth = await get(nextOf(third)!);
    expect(fourth.body).toEqual([]);
    expect(nextOf(fourth)).toBeDefined();
  });

  it('return events in the order they were persisted, not by published time', async () => {
    const start = sinceNow();
    record('first');
    record('persisted late', 60_000);
    record('last');
    expect(messages(await get(start))).toEqual(['first', 'persisted late', 'last']);
    // A bounded query orders by published time: the late event is the oldest.
    const until = encodeURIComponent(new Date(Date.now() + 1_000).toISOString());
    const since = encodeURIComponent(new Date(Date.now() - 120_000).toISOString());
    const bounded = await get(`/api/v1/logs?since=${since}&until=${until}`);
    expect(messages(bounded).filter((m: string) => ['first', 'persisted late', 'last'].includes(m))).toEqual([
      'persisted late',
      'first',
      'last',
    ]);
    expect(nextOf(bounded)).toBeUndefined();
  });

  it('find an event persisted late by following next links, which a window over published misses', async () => {
    const poll = await get(sinceNow());
    record('seen');
    const seen = await get(nextOf(poll)!);
    expect(messages(seen)).toEqual(['seen']);
    const lastPublished = seen.body[0].published;

    // Published before the event already seen, persisted after it.
    const late = record('persisted late', 30_000);
    expect(late.published < lastPublished).toBe(true);

    const followed = await get(nextOf(seen)!);
    expect(messages(followed)).toEqual(['persisted late']);

    // A poller that asks for the window after the newest published time it saw never gets it.
    const until = encodeURIComponent(new Date(Date.now() + 1_000).toISOString());
    const window = await get(`/api/v1/logs?since=${encodeURIComponent(lastPublished)}&until=${until}`);
    expect(messages(window)).not.toContain('persisted late');
  });

  it('bound since by persistence time', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    record('published an hour ago, persisted now', 3_600_000);
    const polled = await get(`/api/v1/logs?since=${encodeURIComponent(since)}`);
    expect(messages(polled)).toEqual(['published an hour ago, persisted now']);
    const until = encodeURIComponent(new Date(Date.now() + 1_000).toISOString());
    const bounded = await get(`/api/v1/logs?since=${encodeURIComponent(since)}&until=${until}`);
    expect(messages(bounded)).toEqual([]);
  });

  it('page by limit in persistence order, each event once, keeping the filter', async () => {
    const start = sinceNow();
    for (let i = 1; i <= 5; i++) {
      record(`event ${i}`, i === 3 ? 10_000 : 0);
      context.sandbox.org.log.recordEvent({ eventType: 'user.session.clear', displayMessage: `other ${i}` });
    }
    const filter = encodeURIComponent('eventType eq "user.account.update_profile"');
    let page = await get(`${start}&filter=${filter}&limit=2`);
    const pages: string[][] = [];
    while (page.body.length > 0) {
      pages.push(messages(page));
      const next = nextOf(page)!;
      expect(new URL(next, context.sandbox.url).searchParams.get('filter')).toBe(
        'eventType eq "user.account.update_profile"',
      );
      page = await get(next);
    }
    expect(pages).toEqual([['event 1', 'event 2'], ['event 3', 'event 4'], ['event 5']]);
  });

  it('start a cursor the sandbox did not issue from the beginning of the query', async () => {
    const start = sinceNow();
    record('one');
    const answer = await get(`${start}&after=00u118oQYT4TBGuay0g4`);
    expect(messages(answer)).toEqual(['one']);
  });
});

describe('bounded and newest-first queries', () => {
  it('end: no next link once every event is listed', async () => {
    record('bounded');
    const until = encodeURIComponent(new Date(Date.now() + 1_000).toISOString());
    const answer = await get(
      `/api/v1/logs?until=${until}&filter=${encodeURIComponent('displayMessage eq "bounded"')}`,
    );
    expect(messages(answer)).toEqual(['bounded']);
    expect(nextOf(answer)).toBeUndefined();
  });

  it('a newest-first query without until is bounded by now', async () => {
    record('older');
    record('newer');
    const answer = await get(
      `${'/api/v1/logs?sortOrder=DESCENDING&filter='}${encodeURIComponent('displayMessage sw "ne" or displayMessage eq "older"')}`,
    );
    expect(messages(answer)).toEqual(['newer', 'older']);
    expect(nextOf(answer)).toBeUndefined();
  });
});
