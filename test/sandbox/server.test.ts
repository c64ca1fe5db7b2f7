import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { sandboxClient, takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox({ rateLimit: { perMinute: 600, perOperation: { getGroup: 3 } } });

/** Okta's answer to a body its JSON reader cannot read (https://developer.okta.com/docs/reference/error-codes/). */
const NOT_WELL_FORMED = {
  errorCode: 'E0000003',
  errorSummary: 'The request body was not well-formed.',
  errorCauses: [],
};

/** A request with a body sent as it is (the sandbox client would encode it as JSON). */
async function rawRequest(method: string, path: string, body: string) {
  const response = await fetch(`${ctx.sandbox.url}${path}`, {
    method,
    headers: { authorization: `SSWS ${ctx.sandbox.token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: await response.json() };
}

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
  it('serves a request with an undeclared query parameter as Okta does (ignoring it), and records it', async () => {
    const plain = await ctx.api.get('/api/v1/users?limit=3');
    const typo = await ctx.api.get('/api/v1/users?limit=3&limt=5');
    expect(typo.status).toBe(200);
    expect(typo.body).toEqual(plain.body);
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/users (listUsers): query parameter "limt" is not in the description',
    ]);
  });

  it('refuses a query parameter value the description does not allow with E0000001 naming it', async () => {
    const answer = await ctx.api.get('/api/v1/devices?limit=500');
    expect(answer).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: listDevices' },
    });
    expect(answer.body.errorCauses[0].errorSummary).toContain('limit');
    expect(takeRequestViolations(ctx.sandbox)).toHaveLength(1);
  });

  it('answers a body that is not JSON with E0000003, as Okta does', async () => {
    const before = (await ctx.api.get('/api/v1/groups')).body.length;
    const notJson = await rawRequest('POST', '/api/v1/groups', '{"profile":');
    expect(notJson).toEqual({ status: 400, body: expect.objectContaining(NOT_WELL_FORMED) });
    expect((await ctx.api.get('/api/v1/groups')).body).toHaveLength(before);
    expect(takeRequestViolations(ctx.sandbox)).toEqual(['POST /api/v1/groups (addGroup): body is not JSON']);
  });

  it.each(['null', '[]', '"Finance"', '42', 'true'])(
    'answers a %s body where an object belongs with 400 E0000003, and changes nothing',
    async (body) => {
      const finance = (await ctx.api.get('/api/v1/groups?q=Finance')).body[0];
      const before = (await ctx.api.get('/api/v1/groups')).body.length;
      expect(await rawRequest('POST', '/api/v1/groups', body)).toEqual({
        status: 400,
        body: expect.objectContaining(NOT_WELL_FORMED),
      });
      expect(await rawRequest('PUT', `/api/v1/groups/${finance.id}`, body)).toEqual({
        status: 400,
        body: expect.objectContaining(NOT_WELL_FORMED),
      });
      expect((await ctx.api.get('/api/v1/groups')).body).toHaveLength(before);
      expect((await ctx.api.get(`/api/v1/groups/${finance.id}`)).body.profile).toEqual(finance.profile);
      expect(takeRequestViolations(ctx.sandbox)).toEqual([
        expect.stringContaining('(addGroup) body: must be a JSON object'),
        expect.stringContaining('(replaceGroup) body: must be a JSON object'),
      ]);
    },
  );

  it('answers a body with a property the operation does not have with E0000003 (a user body without profile)', async () => {
    // flypenguin/okta-cli#1: the profile attributes sent at the top level of createUser's body.
    const login = 'top.level@example.com';
    const answer = await ctx.api.post('/api/v1/users?activate=false', {
      login,
      email: login,
      firstName: 'Top',
      lastName: 'Level',
    });
    expect(answer).toMatchObject({ status: 400, body: { ...NOT_WELL_FORMED, errorCauses: [] } });
    expect((await ctx.api.get(`/api/v1/users/${encodeURIComponent(login)}`)).status).toBe(404);
    const recorded = takeRequestViolations(ctx.sandbox);
    expect(recorded).toContain(
      'POST /api/v1/users (createUser) body: property "login" is not in the description',
    );
    expect(recorded).toContain("POST /api/v1/users (createUser) body: must have required property 'profile'");
  });

  it('answers a value of the wrong JSON type with E0000003, but one inside a profile with E0000001', async () => {
    const unreadable = await ctx.api.post('/api/v1/users', { profile: 'jane' });
    expect(unreadable).toMatchObject({ status: 400, body: NOT_WELL_FORMED });
    const invalid = await ctx.api.post('/api/v1/users?activate=false', {
      profile: { login: 'n@example.com', email: 'n@example.com', firstName: 42, lastName: 'N' },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [{ errorSummary: 'body/profile/firstName: must be string' }],
      },
    });
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'POST /api/v1/users (createUser) body/profile: must be object',
      'POST /api/v1/users (createUser) body/profile/firstName: must be string',
    ]);
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

describe('sandbox: cursors it did not issue', () => {
  const ids = (answer: { body: Array<{ id: string }> }) => answer.body.map((item) => item.id);

  it("answers a cursor shaped like Okta's own (an id) with the page after it, as Okta reads its cursors", async () => {
    const all = ids(await ctx.api.get('/api/v1/users?limit=200'));
    const middle = all[3]!;
    // An id no user has, between the fourth user's and the fifth's: the page starts with the fifth.
    const between = `${middle}0`;
    const page = await ctx.api.get(`/api/v1/users?after=${between}&limit=2`);
    expect(page.status).toBe(200);
    expect(ids(page)).toEqual(all.slice(4, 6));
    expect(page.headers.get('link')).toContain('rel="next"');
    // Okta's example cursor names no user here; it still gets a page, not an error.
    const oktas = await ctx.api.get('/api/v1/users?after=00u118oQYT4TBGuay0g4');
    expect(oktas.status).toBe(200);
    expect(ids(oktas)).toEqual(all.filter((id) => id > '00u118oQYT4TBGuay0g4'));
  });

  it('answers any other cursor with a page too, an empty one past the end', async () => {
    for (const path of ['/api/v1/users', '/api/v1/groups', '/api/v1/apps', '/api/v1/devices']) {
      const answer = await ctx.api.get(`${path}?after=${encodeURIComponent('~~past-the-end~~')}`);
      expect(answer, path).toMatchObject({ status: 200, body: [] });
      expect(answer.headers.get('link'), path).not.toContain('rel="next"');
    }
    expect((await ctx.api.get('/api/v1/groups?after=not-a-cursor')).status).toBe(200);
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
