import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { findUser } from '../../src/sandbox/resources/users.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox({ rateLimit: { perMinute: 600, perOperation: { getGroup: 3 } } });

describe('sandbox: authentication', () => {
  it('answers 401 E0000011 without a token or with a wrong one', async () => {
    const none = await fetch(`${ctx.sandbox.url}/api/v1/users/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
    });
    expect(await sandboxClient(ctx.sandbox, 'wrong').get('/api/v1/users/me')).toMatchObject({
      status: 401,
      body: { errorCode: 'E0000011' },
    });
    const bearer = await fetch(`${ctx.sandbox.url}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${ctx.sandbox.token}` },
    });
    expect(bearer.status).toBe(401);
  });

  it('answers 403 E0000006 to a token whose admin lost the role', async () => {
    ctx.sandbox.addToken('00NoLongerAnAdmin000000000000000000000000', { admin: false });
    const answer = await sandboxClient(ctx.sandbox, '00NoLongerAnAdmin000000000000000000000000').get(
      '/api/v1/users',
    );
    expect(answer).toMatchObject({ status: 403, body: { errorCode: 'E0000006' } });
  });
});

describe("sandbox: requests are held to Okta's API description", () => {
  it('names an undeclared or mistyped query parameter, and a body that breaks the schema', async () => {
    const typo = await ctx.api.get('/api/v1/users?limt=5');
    expect(typo).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: listUsers',
        errorCauses: [{ errorSummary: 'query parameter "limt" is not in the description' }],
      },
    });
    expect((await ctx.api.get('/api/v1/devices?limit=500')).body.errorCauses[0].errorSummary).toContain(
      'limit',
    );
    const body = await ctx.api.post('/api/v1/users', { profile: 'jane' });
    expect(body).toMatchObject({
      status: 400,
      body: { errorCauses: [{ errorSummary: 'body/profile: must be object' }] },
    });
    const notJson = await fetch(`${ctx.sandbox.url}/api/v1/groups`, {
      method: 'POST',
      headers: { authorization: `SSWS ${ctx.sandbox.token}`, 'content-type': 'application/json' },
      body: '{"profile":',
    });
    expect(notJson.status).toBe(400);
  });

  it('answers an unknown endpoint with 404 and a wrong method with 405', async () => {
    expect(await ctx.api.get('/api/v1/nothing')).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007' },
    });
    expect(await ctx.api.delete('/api/v1/users')).toMatchObject({
      status: 405,
      body: { errorCode: 'E0000022' },
    });
  });

  it('catches its own answers that would break the description (a sandbox bug) as a 500', async () => {
    const sandbox = await startSandbox();
    try {
      findUser(sandbox.org, 'jane.doe@example.com')!.status = 42 as unknown as 'ACTIVE';
      const answer = await sandboxClient(sandbox).get('/api/v1/users/jane.doe%40example.com');
      expect(answer).toMatchObject({ status: 500, body: { errorCode: 'E0000009' } });
      expect(sandbox.contractViolations.length).toBeGreaterThan(0);
      for (const violation of sandbox.contractViolations)
        expect(violation).toContain('getUser 200 response/status');
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox: rate limits', () => {
  it('sends X-Rate-Limit-Limit/-Remaining/-Reset and Date on every answer and 429 E0000047 when spent', async () => {
    const group = (await ctx.api.get('/api/v1/groups?q=Sales')).body[0];
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ctx.api.get(`/api/v1/groups/${group.id}`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('x-rate-limit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers[3]!.body).toMatchObject({ errorCode: 'E0000047' });
    const reset = Number(answers[3]!.headers.get('x-rate-limit-reset'));
    const date = Date.parse(answers[3]!.headers.get('date')!);
    expect(reset * 1000 - date).toBeGreaterThan(0);
    expect(reset * 1000 - date).toBeLessThanOrEqual(61_000);
    // Other endpoints have budgets of their own.
    expect((await ctx.api.get('/api/v1/users/me')).status).toBe(200);
  });

  it('compresses the minute with a time scale, so budgets refill quickly in tests', async () => {
    const sandbox = await startSandbox({ rateLimit: { perMinute: 2, timeScale: 600 } });
    try {
      const api = sandboxClient(sandbox);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await api.get('/api/v1/users/me')).status);
      expect(statuses).toEqual([200, 200, 429]);
      await new Promise((resolve) => setTimeout(resolve, 150)); // a 60 s window at 600x is 100 ms
      expect((await api.get('/api/v1/users/me')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('answers 429 beyond the requests allowed in flight at once', async () => {
    const sandbox = await startSandbox({ maxConcurrent: 2, latencyMs: 100 });
    try {
      const api = sandboxClient(sandbox);
      const statuses = await Promise.all(
        Array.from({ length: 5 }, () => api.get('/api/v1/users/me').then((a) => a.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox: faults on demand', () => {
  it('answers a programmed 5xx, then recovers after `times`', async () => {
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'status', status: 503 } });
    expect(await ctx.api.get('/api/v1/users/me')).toMatchObject({
      status: 503,
      body: { errorCode: 'E0000010' },
    });
    expect((await ctx.api.get('/api/v1/users/me')).status).toBe(200);
  });

  it('fails page N of a list only', async () => {
    ctx.sandbox.faults.add({ operationId: 'listUsers', page: 2, fault: { kind: 'status', status: 500 } });
    const first = await ctx.api.get('/api/v1/users?limit=3');
    expect(first.status).toBe(200);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!;
    expect((await ctx.api.get(next.replace(ctx.sandbox.url, ''))).status).toBe(500);
  });

  it('resets the connection, cuts a body short, sends malformed JSON', async () => {
    const url = `${ctx.sandbox.url}/api/v1/users/me`;
    const headers = { authorization: `SSWS ${ctx.sandbox.token}` };
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'reset' } });
    await expect(fetch(url, { headers })).rejects.toThrow();
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'truncate' } });
    await expect(fetch(url, { headers }).then((r) => r.text())).rejects.toThrow();
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'malformed-json' } });
    await expect(fetch(url, { headers }).then((r) => r.json())).rejects.toThrow(SyntaxError);
    expect((await fetch(url, { headers })).status).toBe(200);
  });

  it('adds latency, and hangs past a client timeout until the client gives up', async () => {
    ctx.sandbox.faults.add({ operationId: 'getUser', times: 1, fault: { kind: 'hang' } });
    const url = `${ctx.sandbox.url}/api/v1/users/me`;
    await expect(
      fetch(url, {
        headers: { authorization: `SSWS ${ctx.sandbox.token}` },
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    ctx.sandbox.faults.add({ path: '/api/v1/users/me', times: 1, fault: { kind: 'latency', ms: 50 } });
    expect((await ctx.api.get('/api/v1/users/me')).status).toBe(200);
  });
});

describe('sandbox: bookkeeping', () => {
  it('records each request with a hash of its token, never the token', async () => {
    await ctx.api.get('/api/v1/users/me');
    const last = ctx.sandbox.served.at(-1)!;
    expect(last).toMatchObject({
      method: 'GET',
      path: '/api/v1/users/me',
      operationId: 'getUser',
      status: 200,
      tokenHash: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(JSON.stringify(ctx.sandbox.served)).not.toContain(ctx.sandbox.token);
  });
});
