/**
 * `okta-actions worker`, run in this process against a real Redis: its command line checked before
 * anything starts, a Redis it cannot reach said at once, jobs run with connections from a file (read at
 * every job, refreshed tokens written back into it and never printed) or from a sandbox, and a clean stop.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionJobData, ActionJobResult } from '../../src/workers/index.js';
import { cli } from '../helpers/cli.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { finished, redisClient } from '../helpers/workers.js';

const ctx = useSandbox();
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

/** Adds the jobs to the queue, waits for each to finish, and hands them back. */
async function jobsOn(queueName: string, jobs: ActionJobData[]) {
  const client = await redisClient(redis.url);
  const queue = new Queue<ActionJobData, ActionJobResult>(queueName, { connection: client });
  try {
    const added = await Promise.all(jobs.map((data) => queue.add('action', data)));
    return await Promise.all(added.map((job) => finished(queue, job.id)));
  } finally {
    await queue.close();
    await client.quit();
  }
}

describe('the command line', () => {
  it.each([
    [['worker', '--sandbox'], 'needs --redis <url>'],
    [['worker', '--redis', 'redis://127.0.0.1:1'], 'needs --connections <file.json>'],
    [['worker', '--redis', 'http://x', '--sandbox'], '--redis must be a Redis URL'],
    [['worker', '--redis', 'redis://x', '--sandbox', '--connections', 'c.json'], 'both give the connections'],
    [['worker', '--redis', 'redis://x', '--sandbox', '--queue', 'a:b'], '--queue must be a queue name'],
    [['worker', '--redis', 'redis://x', '--sandbox', '--concurrency', '0'], '--concurrency must be'],
    [['worker', '--redis', 'redis://x', '--connections', 'c.json'], 'Cannot read c.json'],
  ])('%j is refused before anything starts', async (argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a connections file that is not a map of named connections is refused', async () => {
    const files = { 'list.json': '[]', 'bad.json': '{"a b": {}}', 'flat.json': '{"acme": "token"}' };
    const refusals = [];
    for (const file of Object.keys(files)) {
      refusals.push(await cli(['worker', '--redis', redis.url, '--connections', file], {}, { ...files }));
    }
    expect(refusals.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(refusals[0]!.stderr).toContain('must be a JSON object');
    expect(refusals[1]!.stderr).toContain('The connection name "a b"');
    expect(refusals[2]!.stderr).toContain('The connection "acme" in the connections file flat.json must be');
  });

  it('a Redis it cannot reach is said at once (exit 1), its password not printed', async () => {
    const started = Date.now();
    const { code, stderr } = await cli(['worker', '--redis', 'redis://app:s3cret@127.0.0.1:1', '--sandbox']);
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach Redis at redis://***:***@127.0.0.1:1');
    expect(stderr).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('a running worker', () => {
  it('runs jobs with the connections of a file, prints a line per job, and stops cleanly', async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://host.example/callback'],
      scopes: ['okta.users.read'],
    });
    const me = (await ctx.api.get('/api/v1/users/me')).body.id as string;
    const tokens = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['offline_access', 'okta.users.read'],
      userId: me,
    });
    const person = {
      type: 'oauth_access_token',
      apiAddress: ctx.sandbox.url,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      clientId: app.clientId,
    };
    const files: Record<string, string> = {
      'connections.json': JSON.stringify({
        admin: { type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: ctx.sandbox.token },
        person,
      }),
    };
    ctx.sandbox.oauth.expireAccessTokens();
    let done: Awaited<ReturnType<typeof jobsOn>> = [];
    const argv = ['worker', '--redis', redis.url, '--queue', 'cli-file', '--connections', 'connections.json'];
    const run = await cli([...argv, '--allow-loopback'], {}, files, {
      whileRunning: async () => {
        done = await jobsOn('cli-file', [
          { action: 'create-group', connectionRef: 'admin', input: { name: 'From the CLI' } },
          { action: 'get-user', connectionRef: 'person', input: { user: 'jane.doe@example.com' } },
          { action: 'get-user', connectionRef: 'nobody', input: { user: 'me' } },
        ]);
      },
    });
    expect(run.code).toBe(0);
    expect(done.map((job) => job.state)).toEqual(['completed', 'completed', 'failed']);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        // Paced through the fleet's budget on the queue's Redis.
        expect.objectContaining({ action: 'create-group', state: 'completed', attempt: 1, budget: 'shared' }),
        expect.objectContaining({ action: 'get-user', state: 'completed' }),
        { job: done[2]!.id, action: 'get-user', state: 'failed', attempt: 1, code: 'INVALID_CONNECTION' },
      ]),
    );
    // The refreshed tokens went into the file, under their name, and nowhere on the terminal.
    const kept = JSON.parse(files['connections.json']!).person;
    expect(kept.accessToken).not.toBe(person.accessToken);
    expect(kept.refreshToken).not.toBe(person.refreshToken);
    const printed = run.stdout + run.stderr;
    for (const secret of [kept.accessToken, kept.refreshToken, ctx.sandbox.token]) {
      expect(printed).not.toContain(secret);
    }
    expect(run.stderr).toContain('The tokens of connection "person" were refreshed');
    expect(run.stderr).toContain('Stopping: running jobs finish first.');
  });

  it('--sandbox serves a local org named "sandbox"', async () => {
    let done: Awaited<ReturnType<typeof jobsOn>> = [];
    const run = await cli(
      ['worker', '--redis', redis.url, '--queue', 'cli-sandbox', '--sandbox'],
      {},
      {},
      {
        whileRunning: async () => {
          done = await jobsOn('cli-sandbox', [
            { action: 'get-user', connectionRef: 'sandbox', input: { user: 'jane.doe@example.com' } },
          ]);
        },
      },
    );
    expect(run.code).toBe(0);
    expect(done[0]!.returnvalue.output).toMatchObject({ login: 'jane.doe@example.com' });
    expect(run.stderr).toMatch(/Using a local sandbox org at http:\/\/127\.0\.0\.1:\d+/);
  });
});
