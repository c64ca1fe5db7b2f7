/**
 * A job that meets Okta's rate limit waits it out without using an attempt (moved back to delayed until
 * the envelope's retryAfterMs), and a job cancelled through BullMQ (worker.cancelJob) aborts its run,
 * requests in flight included, and is not retried. Real Redis, real worker, the sandbox's rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActionJobError } from '../../src/workers/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { finished, jobBench } from '../helpers/workers.js';

// A compressed minute (1 s), so a spent budget comes back within the test.
const ctx = useSandbox({ rateLimit: { perMinute: 600, timeScale: 60 } });
const connection = () => ({ type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: ctx.sandbox.token });
// No waiting inside a run: a spent budget is RATE_LIMITED at once, for the queue to wait out.
const HOST = { allowLoopback: true, maxWaitMs: 0 };
const read = (user: string) => ({ action: 'get-user', connectionRef: 'org', input: { user } });

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

describe("Okta's rate limit", () => {
  it('moves the job back until retryAfterMs, without using an attempt (a job of one attempt completes)', async () => {
    ctx.sandbox.rateLimits.setLimit('getUser', 1);
    const bench = await jobBench(redis.url, {
      resolveConnection: connection,
      hostOptions: HOST,
      concurrency: 1,
    });
    try {
      const first = await bench.queue.add('a', read('jane.doe@example.com'), { attempts: 1 });
      const second = await bench.queue.add('b', read('jane.doe@example.com'), { attempts: 1 });
      const [one, two] = [await finished(bench.queue, first.id), await finished(bench.queue, second.id)];
      expect([one.state, two.state]).toEqual(['completed', 'completed']);
      // Started twice (once rate-limited), one attempt made: the wait did not count as a failure.
      expect([two.attemptsStarted, two.attemptsMade, two.returnvalue.meta.attempt]).toEqual([2, 1, 1]);
      expect(two.finishedOn! - two.processedOn!).toBeLessThan(1_000);
      // The governor knew the budget was spent: the second job sent nothing until the reset, so no 429.
      expect(ctx.sandbox.served.filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await bench.close();
    }
  });

  it('beyond maxRateLimitDelays it uses attempts, retried after retryAfterMs; the last envelope says so', async () => {
    ctx.sandbox.rateLimits.setLimit('getUser', 1);
    const bench = await jobBench(redis.url, {
      resolveConnection: connection,
      hostOptions: HOST,
      concurrency: 1,
      maxRateLimitDelays: 0,
    });
    try {
      await finished(bench.queue, (await bench.queue.add('a', read('jane.doe@example.com'))).id);
      const once = await bench.queue.add('b', read('jane.doe@example.com'), { attempts: 1 });
      const twice = await bench.queue.add('c', read('jane.doe@example.com'), {
        attempts: 2,
        backoff: { type: 'okta-actions', delay: 10 },
      });
      const failed = await finished(bench.queue, once.id);
      expect([failed.state, failed.attemptsMade]).toEqual(['failed', 1]);
      expect(readActionJobError(failed)).toMatchObject({
        code: 'RATE_LIMITED',
        retryable: true,
        retryAfterMs: expect.any(Number),
      });
      const retried = await finished(bench.queue, twice.id);
      expect([retried.state, retried.returnvalue.meta.attempt]).toEqual(['completed', 2]);
      // Retried after the envelope's retryAfterMs (the budget's reset), not after the 10 ms backoff delay.
      const retryAfterMs = readActionJobError(retried)!.retryAfterMs!;
      expect(retried.finishedOn! - retried.timestamp).toBeGreaterThanOrEqual(retryAfterMs);
    } finally {
      await bench.close();
    }
  });
});

describe('cancelling a job', () => {
  it('aborts its run, the request in flight included, and fails it as CANCELLED without a retry', async () => {
    const hang = ctx.sandbox.faults.add({ operationId: 'getUser', fault: { kind: 'hang', ms: 30_000 } });
    const bench = await jobBench(redis.url, { resolveConnection: connection, hostOptions: HOST });
    try {
      const active = new Promise<string>((resolve) => bench.worker.on('active', (job) => resolve(job.id!)));
      const job = await bench.queue.add('a', read('jane.doe@example.com'), { attempts: 3 });
      const id = await active;
      // Until the request is with Okta (the sandbox holds it), then cancel through BullMQ.
      while (hang.fired === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const cancelledAt = Date.now();
      expect(bench.worker.cancelJob(id, 'the flow was stopped')).toBe(true);
      const done = await finished(bench.queue, job.id);
      expect([done.state, done.attemptsMade]).toEqual(['failed', 1]);
      expect(readActionJobError(done)).toMatchObject({ code: 'CANCELLED', retryable: false });
      expect(done.finishedOn! - cancelledAt).toBeLessThan(2_000);
    } finally {
      await bench.close();
    }
  });
});
