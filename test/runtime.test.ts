import nock from 'nock';
import { describe, expect, it } from 'vitest';
import plugin, { execute, manifest, StreamError, stream, testConnection } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, oktaMock, rateLimitHeaders, recordedRequests, TOKEN } from './helpers/okta-mock.js';

describe('execute()', () => {
  it('is also reachable through the default export', () => {
    expect(plugin.execute).toBe(execute);
    expect(plugin.testConnection).toBe(testConnection);
    expect(plugin.manifest).toBe(manifest);
  });

  it('names an unknown action and suggests the closest one', async () => {
    const result = await execute('get-usr', { connection, input: {} });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION', retryable: false },
      meta: { action: 'get-usr', requests: 0 },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('Did you mean "get-user"?');
  });

  it('does not mistake inherited object keys for actions', async () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await execute(key, { connection, input: {} }), key).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_ACTION' },
      });
    }
  });

  it('never throws, whatever it is given', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong calls a JavaScript host could make
    const anyExecute = execute as any;
    for (const args of [
      [],
      [undefined, undefined],
      ['get-user', null],
      ['get-user', { connection: 42, input: 'x' }],
      [{}, {}],
    ]) {
      const result = await anyExecute(...args);
      expect(result.ok).toBe(false);
      expect(typeof result.error.message).toBe('string');
    }
  });

  it('checks the connection before anything else, without a request', async () => {
    const result = await execute('get-user', {
      connection: { type: 'api_token', apiAddress: 'acme.okta.com' },
      input: { user: 'x' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONNECTION', details: [{ path: 'apiToken', message: 'is required' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses an input that is not an object', async () => {
    const result = await execute('get-user', { connection, input: 'jane' as never });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: '', message: 'must be an object' }] },
    });
  });

  it('refuses input that is not plain data', async () => {
    const result = await execute('get-user', {
      connection,
      input: { user: 'x', callback: () => 1 } as never,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        details: [{ path: '', message: expect.stringContaining('plain JSON') }],
      },
    });
  });

  it('refuses wrong types and missing fields together, naming each, and sends nothing', async () => {
    const result = await execute('list-users', {
      connection,
      input: { limit: '50', maxItems: 0, includeDeprovisioned: 'yes' } as never,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', retryable: false } });
    if (result.ok) return;
    expect(result.error.details).toEqual(
      expect.arrayContaining([
        { path: 'limit', message: 'must be a whole number' },
        { path: 'maxItems', message: 'must be >= 1' },
        { path: 'includeDeprovisioned', message: 'must be true or false' },
      ]),
    );
    expect(result.error.message).toContain('Nothing was sent to Okta');
    expect(nock.pendingMocks()).toEqual([]);
    expect(recordedRequests()).toHaveLength(0);
  });

  it("fills in schema defaults without changing the caller's input object", async () => {
    // limit (200) and the DEPROVISIONED exclusion come from the schema default includeDeprovisioned: false.
    oktaMock()
      .get('/api/v1/users')
      .query({
        limit: '200',
        search: '(status eq "ACTIVE") and (status lt "DEPROVISIONED" or status gt "DEPROVISIONED")',
      })
      .reply(200, []);
    const input = { search: 'status eq "ACTIVE"' };
    const frozen = Object.freeze({ ...input });
    const result = await execute('list-users', { connection, input: frozen });
    expect(result).toMatchObject({ ok: true, output: { count: 0 } });
    expect(frozen).toEqual(input);
  });

  it('treats its own output breaking the output schema as OUTPUT_CONTRACT, a bug of ours', async () => {
    const broken = fakeUser();
    // A user without a login: get-user cannot fill its required "login" output field.
    broken.profile = { ...broken.profile, login: undefined as unknown as string };
    oktaMock()
      .get(`/api/v1/users/${broken.id}`)
      .reply(200, JSON.parse(JSON.stringify(broken)));
    const result = await execute('get-user', { connection, input: { user: broken.id } });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'OUTPUT_CONTRACT',
        retryable: false,
        details: [{ path: 'login', message: 'is required' }],
      },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('bug in okta-actions');
  });

  it('checks each streamed page against the output schema: an item that breaks it fails the stream', async () => {
    const first = [fakeUser({ id: '00ustream0000000001' }), fakeUser({ id: '00ustream0000000002' })];
    const broken = { ...fakeUser({ id: '00ustream0000000003' }), status: undefined };
    oktaMock().get('/api/v1/users').query(true).reply(200, first, {
      Link: '<https://acme.okta.com/api/v1/users?after=00ustream0000000002&limit=2>; rel="next"',
    });
    oktaMock()
      .get('/api/v1/users')
      .query((query) => query.after === '00ustream0000000002')
      .reply(200, [JSON.parse(JSON.stringify(broken))]);
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const user of stream('list-users', { connection, input: { limit: 2 } })) seen.push(user.id);
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(['00ustream0000000001', '00ustream0000000002']);
    expect(failure).toBeInstanceOf(StreamError);
    expect((failure as StreamError).envelope).toMatchObject({
      code: 'OUTPUT_CONTRACT',
      details: [{ path: 'users[0].status', message: 'is required' }],
    });
  });

  it('reports requests, duration and the last rate-limit reading in meta', async () => {
    oktaMock().get('/api/v1/users/00ub0oNGTSWTBKOLGLNR').reply(200, fakeUser(), rateLimitHeaders(123));
    const result = await execute('get-user', { connection, input: { user: '00ub0oNGTSWTBKOLGLNR' } });
    expect(result.meta).toMatchObject({
      action: 'get-user',
      requests: 1,
      rateLimit: { limit: 600, remaining: 123, resetAt: expect.any(String) },
    });
    expect(result.meta.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps tenants apart: concurrent runs on two connections each send only their own token', async () => {
    const other = {
      type: 'api_token',
      apiAddress: 'globex.okta.com',
      apiToken: '00OtherTenantTokenAbc123xyz789QWE456rty0',
    };
    oktaMock()
      .matchHeader('authorization', `SSWS ${TOKEN}`)
      .get(/\/api\/v1\/users\/.+/)
      .times(10)
      .reply(200, fakeUser({ profile: { login: 'acme@acme.com' } }));
    oktaMock('https://globex.okta.com')
      .matchHeader('authorization', `SSWS ${other.apiToken}`)
      .get(/\/api\/v1\/users\/.+/)
      .times(10)
      .reply(200, fakeUser({ profile: { login: 'globex@globex.com' } }));
    const runs = Array.from({ length: 20 }, (_, i) =>
      execute('get-user', { connection: i % 2 ? other : connection, input: { user: `u${i}@example.com` } }),
    );
    const results = await Promise.all(runs);
    results.forEach((result, i) => {
      expect(result).toMatchObject({
        ok: true,
        output: { login: i % 2 ? 'globex@globex.com' : 'acme@acme.com' },
        meta: { requests: 1 },
      });
    });
  });
});

describe('dry runs', () => {
  it('read what they need, send no change, and answer the plan and the state read', async () => {
    const user = fakeUser();
    oktaMock().get(`/api/v1/users/${user.id}`).reply(200, user);
    const result = await execute('delete-user', { connection, input: { user: user.id }, dryRun: true });
    expect(result).toMatchObject({
      ok: true,
      output: {
        dryRun: true,
        wouldChange: true,
        plan: [
          { step: 'deactivate', method: 'DELETE', path: `/api/v1/users/${user.id}?sendEmail=false` },
          { step: 'delete', method: 'DELETE', path: `/api/v1/users/${user.id}?sendEmail=false` },
        ],
        current: { [`/api/v1/users/${user.id}`]: { id: user.id, status: 'ACTIVE' } },
      },
    });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET']);
  });

  it('plan nothing when Okta already is as asked', async () => {
    oktaMock()
      .get('/api/v1/users/00ub0oNGTSWTBKOLGLNR')
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('deactivate-user', {
      connection,
      input: { user: '00ub0oNGTSWTBKOLGLNR' },
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: true, output: { dryRun: true, wouldChange: false, plan: [] } });
  });

  it('are ignored by read-only actions', async () => {
    oktaMock().get('/api/v1/users/00ub0oNGTSWTBKOLGLNR').reply(200, fakeUser());
    const result = await execute('get-user', {
      connection,
      input: { user: '00ub0oNGTSWTBKOLGLNR' },
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: true, output: { login: 'jane.doe@example.com' } });
  });

  it('cannot send a change even if a handler tried: the transport refuses anything but GET', async () => {
    const { getOktaClient } = await import('../src/transport/client-factory.js');
    const { resolveConnection } = await import('../src/connection/connection.js');
    const { newCallScope, runInScope } = await import('../src/transport/call-scope.js');
    const client = await getOktaClient(await resolveConnection(connection));
    const scope = { ...newCallScope(undefined), dryRun: true };
    await expect(
      runInScope(scope, () =>
        client.groupApi.assignUserToGroup({
          groupId: '00g1emaKYZTWRYYRRTSK',
          userId: '00ub0oNGTSWTBKOLGLNR',
        }),
      ),
    ).rejects.toThrow(/dry run tried to send PUT/);
    expect(recordedRequests()).toHaveLength(0);
  });
});
