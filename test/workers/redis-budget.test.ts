/**
 * The shared rate budget on a real Redis server (no mock): the store's scripts on their own (atomic
 * reservations from many clients, a 429 blocking everyone, leases that expire, out-of-order readings,
 * maxApiCapacity for the fleet), then through execute() against the sandbox: paced without a 429, and
 * carrying on with a local share, without hanging, while Redis is down, shared again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import type { ReserveRequest } from '../../src/transport/rate-limit-store.js';
import { type RedisRateLimitStore, redisRateLimitStore } from '../../src/workers/redis.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { sandboxConnection } from '../helpers/sandbox-actions.js';

let redis: RedisServer;
const stores: RedisRateLimitStore[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis.close();
});

let orgs = 0;
/** A store on its own client, as each worker process has; every test uses an org of its own. */
async function newStore(options: { timeoutMs?: number; localShare?: number } = {}) {
  const store = await redisRateLimitStore({ url: redis.url, timeoutMs: 1000, ...options });
  stores.push(store);
  return store;
}

function request(org: string, lease: string, overrides: Partial<ReserveRequest> = {}): ReserveRequest {
  return {
    org,
    family: 'POST /api/v1/users',
    lease,
    maxConcurrency: 1000,
    maxApiCapacity: 100,
    leaseMs: 30_000,
    ...overrides,
  };
}

const reading = (remaining: number, resetInMs = 30_000, limit = 600) => ({ limit, remaining, resetInMs });

describe('the Redis store', () => {
  it('reserves atomically: 40 requests from 8 clients, 10 left in the budget, 10 granted', async () => {
    const org = `https://org-${++orgs}.okta.com`;
    const clients = await Promise.all(Array.from({ length: 8 }, () => newStore()));
    await clients[0]!.settle({
      org,
      family: 'POST /api/v1/users',
      lease: 'x',
      reading: reading(10),
      exhausted: false,
    });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => clients[i % 8]!.reserve(request(org, `lease-${i}`))),
    );
    expect(answers.filter((a) => a.granted)).toHaveLength(10);
    const refused = answers.filter((a) => !a.granted) as { waitMs: number; reason: string }[];
    expect(refused.every((a) => a.reason === 'budget' && a.waitMs > 29_000 && a.waitMs <= 31_000)).toBe(true);
  });

  it('keeps maxApiCapacity for the fleet: 60 of 100 left and a 50% share lets 10 go', async () => {
    const org = `https://org-${++orgs}.okta.com`;
    const [a, b] = [await newStore(), await newStore()];
    await a.settle({
      org,
      family: 'POST /api/v1/users',
      lease: 'x',
      reading: reading(60, 30_000, 100),
      exhausted: false,
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).reserve(request(org, `l${i}`, { maxApiCapacity: 50 })),
      ),
    );
    expect(answers.filter((r) => r.granted)).toHaveLength(10);
  });

  it('a 429 seen by one worker blocks the family for every worker until the reset', async () => {
    const org = `https://org-${++orgs}.okta.com`;
    const [a, b] = [await newStore(), await newStore()];
    expect(await b.reserve(request(org, 'before'))).toEqual({ granted: true });
    await a.settle({
      org,
      family: 'POST /api/v1/users',
      lease: 'l',
      reading: reading(5, 4_000),
      exhausted: true,
    });
    const after = await b.reserve(request(org, 'after'));
    expect(after).toMatchObject({ granted: false, reason: 'blocked' });
    // The reset (4 s) and the margin Okta's whole-second resets call for (1 s).
    expect((after as { waitMs: number }).waitMs).toBeGreaterThan(4_500);
    expect((after as { waitMs: number }).waitMs).toBeLessThanOrEqual(5_000);
    // Another family keeps its own budget.
    expect(await b.reserve(request(org, 'other', { family: 'GET /api/v1/users' }))).toEqual({
      granted: true,
    });
  });

  it("shares the concurrency cap with leases that expire: a dead worker's slots come back", async () => {
    const org = `https://org-${++orgs}.okta.com`;
    const [dead, alive] = [await newStore(), await newStore()];
    const slot = { maxConcurrency: 2, leaseMs: 300 };
    // The dead worker takes both slots and never settles.
    expect(await dead.reserve(request(org, 'd1', slot))).toEqual({ granted: true });
    expect(await dead.reserve(request(org, 'd2', slot))).toEqual({ granted: true });
    expect(await alive.reserve(request(org, 'a1', slot))).toMatchObject({
      granted: false,
      reason: 'concurrency',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await alive.reserve(request(org, 'a1', slot))).toEqual({ granted: true });
    // A settled lease frees its slot at once.
    await alive.settle({
      org,
      family: 'POST /api/v1/users',
      lease: 'a1',
      reading: undefined,
      exhausted: false,
    });
    expect(await alive.reserve(request(org, 'a2', slot))).toEqual({ granted: true });
  });

  it('takes readings in any order: the lowest remaining of a window, and a late answer of an old window is ignored', async () => {
    const org = `https://org-${++orgs}.okta.com`;
    const store = await newStore();
    const settle = (remaining: number, resetInMs: number) =>
      store.settle({
        org,
        family: 'POST /api/v1/users',
        lease: 'x',
        reading: reading(remaining, resetInMs, 10),
        exhausted: false,
      });
    await settle(3, 20_000);
    await settle(7, 20_000); // answered later, sent earlier: 3 stays
    expect(await store.reserve(request(org, 'r1'))).toEqual({ granted: true });
    expect(await store.reserve(request(org, 'r2'))).toEqual({ granted: true });
    expect(await store.reserve(request(org, 'r3'))).toEqual({ granted: true });
    expect(await store.reserve(request(org, 'r4'))).toMatchObject({ granted: false, reason: 'budget' });
    // A new window (reset 60 s later) replaces it; then a straggler of the old window changes nothing.
    await settle(9, 80_000);
    await settle(0, 20_000);
    const next = await store.reserve(request(org, 'r5'));
    expect(next).toEqual({ granted: true });
  });
});

describe('through execute(), against the sandbox', () => {
  const env = useSandbox({ rateLimit: { perMinute: 10, timeScale: 30 } });
  const JANE = 'jane.doe@example.com';

  it('paces a burst through the store: every run done, none answered 429, each meta saying shared', async () => {
    const rateLimitStore = await newStore();
    const host = { allowLoopback: true, rateLimitStore, maxConcurrency: 2 };
    const connection = sandboxConnection(env.sandbox);
    const results = await Promise.all(
      Array.from({ length: 15 }, () => execute('get-user', { connection, input: { user: JANE } }, host)),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.every((r) => r.meta.rateLimitBudget?.mode === 'shared')).toBe(true);
    const served = env.sandbox.served.filter((r) => r.operationId === 'getUser');
    expect(served).toHaveLength(15);
    expect(served.filter((r) => r.status === 429)).toEqual([]);
  }, 20_000);

  it('Redis down: runs go on with a local share, at once, and say so; shared again once it is back', async () => {
    const rateLimitStore = await newStore({ timeoutMs: 200 });
    const host = { allowLoopback: true, rateLimitStore };
    const connection = sandboxConnection(env.sandbox);
    const run = () => execute('get-user', { connection, input: { user: JANE } }, host);
    expect((await run()).meta.rateLimitBudget).toEqual({ mode: 'shared' });
    await redis.stop();
    try {
      const started = Date.now();
      const during = await run();
      expect(during.ok).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(during.meta.rateLimitBudget).toMatchObject({ mode: 'local-share' });
      expect(during.meta.rateLimitBudget?.reason).toMatch(/shared rate-limit store/);
      expect(JSON.stringify(during.meta)).not.toContain(redis.url);
    } finally {
      await redis.start();
    }
    let mode: string | undefined;
    for (const until = Date.now() + 10_000; Date.now() < until && mode !== 'shared'; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      mode = (await run()).meta.rateLimitBudget?.mode;
    }
    expect(mode).toBe('shared');
  }, 20_000);

  it("does not take a healthy Redis for a slow one while this process's own event loop is busy", async () => {
    const store = await newStore({ timeoutMs: 100 });
    // One round trip per call from here (the store loads its scripts when it connects).
    const busyFor = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {} // as a synchronous module load does (the SDK's takes about a second)
    };
    // The request goes out, then the process is busy past the timeout while Redis's answer arrives.
    const busy = {
      localShare: store.localShare,
      timeoutMs: store.timeoutMs,
      settle: store.settle,
      reserve: (request: ReserveRequest) =>
        new Promise<Awaited<ReturnType<typeof store.reserve>>>((resolve, reject) => {
          setTimeout(() => {
            store.reserve(request).then(resolve, reject);
            // After the command is written, before its answer is read.
            setImmediate(() => busyFor(300));
          }, 10);
        }),
    };
    const result = await execute(
      'get-user',
      { connection: sandboxConnection(env.sandbox), input: { user: JANE } },
      { allowLoopback: true, rateLimitStore: busy },
    );
    expect(result.meta.rateLimitBudget).toEqual({ mode: 'shared' });
  });

  it('refuses a rateLimitStore that is not one, before anything is sent', async () => {
    const result = await execute(
      'get-user',
      { connection: sandboxConnection(env.sandbox), input: { user: JANE } },
      { allowLoopback: true, rateLimitStore: { reserve: 'no' } as never },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(!result.ok && result.error.message).toContain('rateLimitStore');
    expect(env.sandbox.served).toEqual([]);
  });
});
