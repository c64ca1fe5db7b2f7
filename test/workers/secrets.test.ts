/**
 * No credential ever reaches Redis: jobs carry a connection reference, completed jobs the output, failed
 * ones the redacted envelope, and tokens an OAuth connection refreshes go to the host's onConnectionUpdate.
 * Proved by reading every key and value Redis holds after completed, failed, retried and refused jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionUpdate } from '../../src/index.js';
import { readActionJobError } from '../../src/workers/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { everythingInRedis, finished, jobBench, redisClient } from '../helpers/workers.js';

const TOKEN = '00WorkerSecretsTokenNeverInRedis000002';
const ctx = useSandbox({ token: TOKEN });
const HOST = { allowLoopback: true };
const QUICK = { attempts: 2, backoff: { type: 'okta-actions', delay: 50 } };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

/** A person's tokens for the sandbox's admin (an authorization-code sign-in, minted directly). */
async function signedIn() {
  const app = ctx.sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://host.example/callback'],
    scopes: ['okta.users.read', 'okta.groups.read'],
  });
  const me = (await ctx.api.get('/api/v1/users/me')).body.id as string;
  const tokens = ctx.sandbox.oauth.issueAccessToken({
    clientId: app.clientId,
    scopes: ['offline_access', 'okta.users.read'],
    userId: me,
  });
  return {
    type: 'oauth_access_token',
    apiAddress: ctx.sandbox.url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token!,
    clientId: app.clientId,
  };
}

describe('refreshed OAuth tokens', () => {
  it('go to onConnectionUpdate, which the next job reads back; Redis never holds a token', async () => {
    const first = await signedIn();
    const store = new Map<string, Record<string, unknown>>([['person', first]]);
    const updates: Array<[string, ConnectionUpdate]> = [];
    const bench = await jobBench(redis.url, {
      resolveConnection: (ref) => store.get(ref),
      onConnectionUpdate: (ref, update) => {
        updates.push([ref, update]);
        store.set(ref, { ...store.get(ref), ...update });
      },
      hostOptions: HOST,
    });
    const client = await redisClient(redis.url);
    try {
      ctx.sandbox.oauth.expireAccessTokens();
      const input = { user: 'jane.doe@example.com' };
      const add = (data: object) => bench.queue.add('action', { connectionRef: 'person', ...data } as never);
      const refreshed = await finished(bench.queue, (await add({ action: 'get-user', input })).id);
      expect(refreshed.returnvalue).toMatchObject({
        output: { login: input.user },
        meta: { tokensRefreshed: 'stored' },
      });
      expect(updates).toEqual([['person', expect.objectContaining({ accessToken: expect.any(String) })]]);
      const next = await finished(bench.queue, (await add({ action: 'get-user', input })).id);
      expect(next.state).toBe('completed');
      expect(next.returnvalue.meta.tokensRefreshed).toBeUndefined();

      // A run that refreshes and then fails hands the tokens over all the same.
      ctx.sandbox.oauth.expireAccessTokens();
      const failed = await finished(
        bench.queue,
        (await add({ action: 'get-user', input: { user: 'nobody@example.com' } })).id,
      );
      expect(readActionJobError(failed)).toMatchObject({ code: 'NOT_FOUND' });
      expect(updates).toHaveLength(2);

      const everything = await everythingInRedis(client);
      expect(everything).toContain('person');
      const secrets = [first, ...updates.map(([, update]) => update)].flatMap((c) => [
        c.accessToken,
        c.refreshToken!,
      ]);
      expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
    } finally {
      await client.quit();
      await bench.close();
    }
  });

  it('when onConnectionUpdate fails, the job still completes (its change is made) and says not-stored', async () => {
    const connection = await signedIn();
    const bench = await jobBench(redis.url, {
      resolveConnection: () => connection,
      onConnectionUpdate: () => {
        throw new Error('store is read-only');
      },
      hostOptions: HOST,
    });
    try {
      ctx.sandbox.oauth.expireAccessTokens();
      const job = await bench.queue.add('action', {
        action: 'get-user',
        connectionRef: 'person',
        input: { user: 'jane.doe@example.com' },
      });
      const done = await finished(bench.queue, job.id);
      expect([done.state, done.returnvalue.meta.tokensRefreshed]).toEqual(['completed', 'not-stored']);
    } finally {
      await bench.close();
    }
  });
});

describe('an API token', () => {
  it('is nowhere in Redis after completed, failed, retried and refused jobs (with any connection)', async () => {
    const connections: Record<string, object> = {
      good: { type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: TOKEN },
      revoked: { type: 'api_token', apiAddress: ctx.sandbox.url, apiToken: `${TOKEN}Revoked` },
      malformed: { type: 'api_token', apiAddress: 'not an address', apiToken: TOKEN },
    };
    const bench = await jobBench(redis.url, {
      resolveConnection: (ref) => connections[ref],
      hostOptions: { ...HOST, maxRetries: 0 },
    });
    const client = await redisClient(redis.url);
    try {
      ctx.sandbox.faults.add({ operationId: 'listGroups', fault: { kind: 'status', status: 503 } });
      const jobs = [
        { action: 'create-group', connectionRef: 'good', input: { name: 'Secret Keepers' } },
        { action: 'get-user', connectionRef: 'good', input: { user: 'nobody@example.com' } },
        { action: 'list-groups', connectionRef: 'good', input: {} },
        { action: 'get-user', connectionRef: 'revoked', input: { user: 'me' } },
        { action: 'get-user', connectionRef: 'malformed', input: { user: 'me' } },
      ];
      const added = await Promise.all(jobs.map((data) => bench.queue.add('action', data as never, QUICK)));
      const done = await Promise.all(added.map((job) => finished(bench.queue, job.id)));
      expect(done.map((job) => job.state === 'completed' || readActionJobError(job)?.code)).toEqual([
        true,
        'NOT_FOUND',
        'UPSTREAM',
        'UNAUTHORIZED',
        'INVALID_CONNECTION',
      ]);
      const everything = await everythingInRedis(client);
      expect(everything).toContain('Secret Keepers');
      expect(everything).toContain('E0000011'); // the revoked token's refusal is there, the token is not
      expect(everything.includes(TOKEN)).toBe(false);
    } finally {
      await client.quit();
      await bench.close();
    }
  });
});
