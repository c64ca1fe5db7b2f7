/**
 * The per-org rate-limit governor: concurrency, pacing as the budget runs low, the share left to other
 * integrations (maxApiCapacity), the reset read against Okta's clock, and bounded, cancellable waits.
 * Unit tests of the governor itself, then through execute() with nock.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../src/errors/action-error.js';
import { execute } from '../src/index.js';
import { newCallScope } from '../src/transport/call-scope.js';
import { endpointFamily, governorCount, governorFor, OrgGovernor } from '../src/transport/governor.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, oktaError, oktaMock, rateLimitHeaders, TOKEN } from './helpers/okta-mock.js';

const FAMILY = 'GET /api/v1/users/{}';

/** Okta's headers: `remaining` of `limit`, resetting `resetInMs` from now on a clock `skewMs` off ours. */
function reading(remaining: number, resetInMs: number, { limit = 600, skewMs = 0 } = {}) {
  const serverNow = Date.now() + skewMs;
  return new Headers({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.ceil((serverNow + resetInMs) / 1000)),
    date: new Date(serverNow).toUTCString(),
  });
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe('the governors of many orgs', () => {
  it('forgets idle orgs past a few hundred, never one with a request in flight or a window still open', async () => {
    const busy = governorFor('https://busy-org.okta.com');
    const release = await busy.acquire(FAMILY, newCallScope(undefined));
    const limited = governorFor('https://limited-org.okta.com');
    limited.observe(FAMILY, reading(0, 30_000));
    for (let i = 0; i < 600; i++) governorFor(`https://org-${i}.okta.com`);
    expect(governorCount()).toBeLessThanOrEqual(300);
    expect(governorFor('https://busy-org.okta.com')).toBe(busy);
    expect(governorFor('https://limited-org.okta.com')).toBe(limited);
    release.failed();
  });
});

describe('the governor', () => {
  it('holds requests in flight to the concurrency limit and lets the next one go on release', async () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    const scope = newCallScope(undefined, { maxConcurrency: 2 });
    const first = await governor.acquire(FAMILY, scope);
    await governor.acquire(FAMILY, scope);
    const third = governor.acquire(FAMILY, scope);
    expect(await settledWithin(third, 50)).toBe(false);
    first.failed();
    expect(await settledWithin(third, 50)).toBe(true);
  });

  it('paces: with the budget left, no wait; once requests on their way would spend it, wait for the reset', async () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    const scope = newCallScope(undefined);
    governor.observe(FAMILY, reading(2, 10_000));
    expect(governor.waitFor(FAMILY, scope)).toBe(0);
    await governor.acquire(FAMILY, scope);
    await governor.acquire(FAMILY, scope);
    // Two requests on their way will spend the two left: the next waits for the reset (+1 s margin).
    const wait = governor.waitFor(FAMILY, scope);
    expect(wait).toBeGreaterThan(9_000);
    expect(wait).toBeLessThanOrEqual(12_000);
    // Another endpoint family has its own budget.
    expect(governor.waitFor('GET /api/v1/groups', scope)).toBe(0);
  });

  it("maxApiCapacity leaves the rest of each budget to the org's other integrations", () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    governor.observe(FAMILY, reading(350, 30_000));
    // 350 of 600 left: within a 50% share (300 reserved), but not within a 40% share (360 reserved).
    expect(governor.waitFor(FAMILY, newCallScope(undefined, { maxApiCapacity: 50 }))).toBe(0);
    expect(governor.waitFor(FAMILY, newCallScope(undefined, { maxApiCapacity: 40 }))).toBeGreaterThan(29_000);
  });

  it('with a local share (a fleet whose store is out of reach), stops at its share of the window', async () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    const scope = newCallScope(undefined);
    governor.observe(FAMILY, reading(100, 10_000, { limit: 100 }));
    for (let i = 0; i < 25; i++)
      (await governor.acquire(FAMILY, scope)).answered(reading(99 - i, 10_000, { limit: 100 }), 200);
    // 25 of 100 sent by this process: its quarter is spent, though Okta still has 75 left.
    expect(governor.waitFor(FAMILY, scope, 0.25)).toBeGreaterThan(9_000);
    expect(governor.waitFor(FAMILY, scope, 1)).toBe(0);
    // A new window starts a new count.
    governor.observe(FAMILY, reading(100, 70_000, { limit: 100 }));
    expect(governor.waitFor(FAMILY, scope, 0.25)).toBe(0);
  });

  it("reads the reset on Okta's clock: a server an hour ahead does not make it wait an hour", () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    governor.exhausted(FAMILY, reading(0, 5_000, { skewMs: 3_600_000 }));
    const wait = governor.waitFor(FAMILY, newCallScope(undefined));
    expect(wait).toBeGreaterThan(4_000);
    expect(wait).toBeLessThanOrEqual(7_000);
  });

  it('a wait longer than maxWaitMs is RATE_LIMITED with retryAfterMs, at once', async () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    governor.exhausted(FAMILY, reading(0, 20_000));
    const started = Date.now();
    const refused = await governor
      .acquire(FAMILY, newCallScope(undefined, { maxWaitMs: 1_000 }))
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(refused).toBeInstanceOf(ActionError);
    expect((refused as ActionError).envelope).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect((refused as ActionError).envelope.retryAfterMs).toBeGreaterThan(19_000);
  });

  it('a wait is cut short by the cancel signal: CANCELLED', async () => {
    const governor = new OrgGovernor('https://acme.okta.com');
    governor.exhausted(FAMILY, reading(0, 20_000));
    const controller = new AbortController();
    const waiting = governor.acquire(FAMILY, newCallScope(controller.signal)).catch((e) => e);
    setTimeout(() => controller.abort(), 30);
    expect(((await waiting) as ActionError).envelope.code).toBe('CANCELLED');
  });

  it('counts ids and logins as one endpoint, as Okta budgets them', () => {
    const family = (path: string) => endpointFamily('GET', `https://acme.okta.com${path}`);
    expect(family('/api/v1/users/00ub0oNGTSWTBKOLGLNR')).toBe(family('/api/v1/users/jane.doe%40example.com'));
    expect(family('/api/v1/users/00ub0oNGTSWTBKOLGLNR/groups')).not.toBe(
      family('/api/v1/users/00ub0oNGTSWTBKOLGLNR'),
    );
    expect(family('/api/v1/groups')).not.toBe(family('/api/v1/users'));
  });
});

describe('the governor through execute()', () => {
  const path = '/api/v1/users/jane.doe%40example.com';
  const getJane = (options = {}, onConnection: object = connection) =>
    execute('get-user', { connection: onConnection, input: { user: 'jane.doe@example.com' } }, options);

  it('is shared by every connection to the org: a budget one spent holds back another, nothing sent', async () => {
    oktaMock()
      .get(path)
      .reply(
        429,
        oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
        rateLimitHeaders(0, 30),
      );
    expect(await getJane({ maxWaitMs: 1_000 })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const otherToken = { ...connection, apiToken: `${TOKEN}Other` };
    const second = await getJane({ maxWaitMs: 1_000 }, otherToken);
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryable: true },
      meta: { requests: 0 },
    });
  });

  it('with maxApiCapacity, stops short of spending the share left to other integrations', async () => {
    oktaMock().get(path).reply(200, fakeUser(), rateLimitHeaders(250, 30));
    const options = { maxApiCapacity: 50, maxWaitMs: 1_000 };
    expect(await getJane(options)).toMatchObject({ ok: true, meta: { rateLimit: { remaining: 250 } } });
    // 250 of 600 left is below the 300 reserved for the others: the next read waits for the reset.
    expect(await getJane(options)).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
      meta: { requests: 0 },
    });
  });

  it('every result carries the last reading in meta.rateLimit', async () => {
    oktaMock().get(path).reply(200, fakeUser(), rateLimitHeaders(433, 42));
    const result = await getJane();
    expect(result.meta.rateLimit).toEqual({
      limit: 600,
      remaining: 433,
      resetAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const resetIn = Date.parse(result.meta.rateLimit!.resetAt) - Date.now();
    expect(resetIn).toBeGreaterThan(35_000);
    expect(resetIn).toBeLessThanOrEqual(43_000);
  });
});
