/**
 * okta-actions/bullmq's processor on a real Redis and a real BullMQ worker, against the sandbox: what a
 * completed job returns, how a failed one reads, which failures BullMQ retries, job data refused before
 * anything is sent, the connection looked up by reference, and refreshed tokens handed to the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionJobData, ActionProcessorOptions } from '../../src/workers/index.js';
import { actionJobOptions, readActionJobError } from '../../src/workers/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { type FinishedJob, finished, jobBench } from '../helpers/workers.js';

const TOKEN = '00WorkerProcessorTokenNeverInRedis00001';
const ctx = useSandbox({ token: TOKEN });
const HOST = { allowLoopback: true };
const connectionOf = () => ({ type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: TOKEN });
const QUICK_RETRIES = actionJobOptions({ attempts: 2, backoff: { type: 'okta-actions', delay: 50 } });

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

/** Runs the jobs on a worker of the sandbox's connection (or the options'), and hands back each finished. */
async function run(
  jobs: Array<{ data: unknown; opts?: object }>,
  options: Partial<ActionProcessorOptions> = {},
): Promise<FinishedJob[]> {
  const bench = await jobBench(redis.url, {
    resolveConnection: (ref) => (ref === 'sandbox' ? connectionOf() : undefined),
    hostOptions: HOST,
    ...options,
  });
  try {
    const added = [];
    for (const job of jobs) {
      added.push(await bench.queue.add('action', job.data as ActionJobData, actionJobOptions(job.opts)));
    }
    return await Promise.all(added.map((job) => finished(bench.queue, job.id)));
  } finally {
    await bench.close();
  }
}

describe('a job that completes', () => {
  it("returns the action's output and meta, and records when its first attempt started", async () => {
    const [job] = await run([
      { data: { action: 'create-group', connectionRef: 'sandbox', input: { name: 'Night Shift' } } },
    ]);
    expect(job!.state).toBe('completed');
    expect(job!.returnvalue).toEqual({
      action: 'create-group',
      output: expect.objectContaining({ name: 'Night Shift', changed: true, id: expect.any(String) }),
      meta: {
        durationMs: expect.any(Number),
        requests: 1,
        rateLimit: expect.objectContaining({ limit: 600 }),
        attempt: 1,
      },
    });
    expect(job!.data.firstAttemptAt).toBeGreaterThanOrEqual(job!.timestamp);
    expect(job!.data.firstAttemptAt).toBeLessThanOrEqual(job!.finishedOn!);
  });

  it('a read, or a dry run, writes nothing into the job; a dry run answers the plan', async () => {
    const [read, dry] = await run([
      { data: { action: 'get-user', connectionRef: 'sandbox', input: { user: 'jane.doe@example.com' } } },
      {
        data: { action: 'create-group', connectionRef: 'sandbox', input: { name: 'Planned' }, dryRun: true },
      },
    ]);
    expect([read!.state, dry!.state, dry!.failedReason]).toEqual(['completed', 'completed', undefined]);
    expect(read!.returnvalue.output).toMatchObject({ login: 'jane.doe@example.com' });
    expect(dry!.returnvalue.output).toMatchObject({ dryRun: true, wouldChange: true });
    expect([read!.data.firstAttemptAt, dry!.data.firstAttemptAt]).toEqual([undefined, undefined]);
    expect(ctx.sandbox.served.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('a job that fails', () => {
  it('a refusal fails it at once: the envelope is its failedReason, no attempt is spent on it', async () => {
    const [job] = await run([
      {
        data: {
          action: 'add-user-to-group',
          connectionRef: 'sandbox',
          input: { groupId: '00g000000000000nope0', user: 'jane.doe@example.com' },
        },
        opts: { attempts: 3 },
      },
    ]);
    expect(job!.state).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    expect(readActionJobError(job)).toMatchObject({ code: 'NOT_FOUND', retryable: false, status: 404 });
    expect(JSON.parse(job!.failedReason)).toEqual(readActionJobError(job));
    // One line, no frames: they would point at the processor, never at what failed.
    expect(job!.stacktrace).toEqual([expect.stringMatching(/^UnrecoverableError: NOT_FOUND: /)]);
  });

  it('a retryable failure is retried by BullMQ; when attempts run out, the last envelope stays', async () => {
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'status', status: 503 } });
    const input = { user: 'jane.doe@example.com' };
    const [retried] = await run(
      [{ data: { action: 'get-user', connectionRef: 'sandbox', input }, opts: QUICK_RETRIES }],
      {
        hostOptions: { ...HOST, maxRetries: 0 },
      },
    );
    expect(retried!.state).toBe('completed');
    expect(retried!.returnvalue.meta.attempt).toBe(2);
    // BullMQ waited the backoff (50 ms, jitter down to half) between the attempts.
    expect(retried!.finishedOn! - retried!.processedOn!).toBeLessThan(5_000);

    ctx.sandbox.faults.add({ operationId: 'getUser', fault: { kind: 'status', status: 503 } });
    const [exhausted] = await run(
      [{ data: { action: 'get-user', connectionRef: 'sandbox', input }, opts: QUICK_RETRIES }],
      {
        hostOptions: { ...HOST, maxRetries: 0 },
      },
    );
    expect(exhausted!.state).toBe('failed');
    expect(exhausted!.attemptsMade).toBe(2);
    expect(readActionJobError(exhausted)).toMatchObject({ code: 'UPSTREAM', retryable: true, status: 503 });
  });
});

describe('job data that is wrong', () => {
  it('fails at once, not retried, says what is wrong, sends nothing and asks for no connection', async () => {
    const asked: string[] = [];
    const jobs = [
      { action: 'create-gruop', connectionRef: 'sandbox', input: { name: 'X' } },
      { action: 'create-group', input: { name: 'X' } },
      { action: 'create-group', connectionRef: 'sandbox', connection: connectionOf(), input: { name: 'X' } },
      { action: 'create-group', connectionRef: 'sandbox', inputs: { name: 'X' } },
      { action: 'create-group', connectionRef: 'sandbox', input: ['X'] },
      {
        action: 'reset-password',
        connectionRef: 'sandbox',
        input: { user: 'jane.doe@example.com', revealSecret: true },
      },
    ];
    const failed = await run(
      jobs.map((data) => ({ data, opts: { attempts: 3 } })),
      {
        resolveConnection: (ref) => {
          asked.push(ref);
          return connectionOf();
        },
      },
    );
    const errors = failed.map((job) => readActionJobError(job));
    expect(errors.map((error) => error?.code)).toEqual([
      'UNKNOWN_ACTION',
      'INVALID_OPTIONS',
      'INVALID_OPTIONS',
      'INVALID_OPTIONS',
      'INVALID_OPTIONS',
      'INVALID_INPUT',
    ]);
    expect(errors[0]!.message).toContain('Did you mean "create-group"?');
    expect(errors[1]!.message).toContain('"data.connectionRef" is missing');
    expect(errors[2]!.message).toContain('a connection holds secrets');
    expect(errors[3]!.message).toContain('did you mean "input"?');
    expect(errors[5]!.message).toContain('revealSecret: true cannot run as a job');
    expect(JSON.stringify(errors)).not.toContain(TOKEN);
    expect(failed.map((job) => [job.attemptsMade, errors.every((e) => e?.retryable === false)])).toEqual(
      jobs.map(() => [1, true]),
    );
    expect(asked).toEqual([]);
    expect(ctx.sandbox.served).toEqual([]);
  });

  it("an input that breaks the action's schema fails at once too, before anything is sent", async () => {
    const [job] = await run([
      {
        data: { action: 'create-group', connectionRef: 'sandbox', input: { description: 'no name' } },
        opts: { attempts: 3 },
      },
    ]);
    expect([job!.state, job!.attemptsMade, job!.failedReason]).toEqual(['failed', 1, expect.any(String)]);
    expect(readActionJobError(job)).toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
      details: [expect.objectContaining({ path: 'name' })],
    });
    expect(ctx.sandbox.served).toEqual([]);
  });
});

describe('the connection, by reference', () => {
  it('an unknown reference fails at once; a lookup that throws is retried, its message not kept', async () => {
    let calls = 0;
    const [unknown, flaky] = await run(
      [
        { data: { action: 'get-user', connectionRef: 'nobody', input: { user: 'me' } }, opts: QUICK_RETRIES },
        { data: { action: 'get-user', connectionRef: 'flaky', input: { user: 'me' } }, opts: QUICK_RETRIES },
      ],
      {
        resolveConnection: (ref) => {
          if (ref !== 'flaky') return undefined;
          calls += 1;
          if (calls === 1) throw new Error(`vault sealed; it holds ${TOKEN}`);
          return connectionOf();
        },
      },
    );
    expect(unknown!.attemptsMade).toBe(1);
    expect(readActionJobError(unknown)).toMatchObject({ code: 'INVALID_CONNECTION', retryable: false });
    expect(readActionJobError(unknown)!.message).toContain('no connection "nobody"');
    expect(flaky!.state).toBe('completed');
    expect(flaky!.returnvalue.meta.attempt).toBe(2);
    expect(flaky!.failedReason).toContain('resolveConnection threw Error');
    expect(flaky!.failedReason).not.toContain('vault sealed');
  });
});
