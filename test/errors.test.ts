import { describe, expect, it } from 'vitest';
import { type ActionResult, execute } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import {
  connection,
  oktaError,
  oktaMock,
  rateLimitHeaders,
  recordedRequests,
  TOKEN,
} from './helpers/okta-mock.js';

const path = '/api/v1/users/jane.doe%40example.com';
// Retries are off here: these tests are about how each answer is reported (retries have their own tests).
const getJane = (options = {}) =>
  execute('get-user', { connection, input: { user: 'jane.doe@example.com' } }, { maxRetries: 0, ...options });

function expectNoSecret(result: ActionResult) {
  expect(JSON.stringify(result)).not.toContain(TOKEN);
}

describe('Okta error answers become the envelope', () => {
  const cases: Array<[string, number, ReturnType<typeof oktaError>, string, boolean, RegExp]> = [
    [
      'invalid token',
      401,
      oktaError('E0000011', 'Invalid token provided'),
      'UNAUTHORIZED',
      false,
      /Security > API > Tokens.*|30 days/,
    ],
    [
      'no permission',
      403,
      oktaError('E0000006', 'You do not have permission to perform the requested action'),
      'FORBIDDEN',
      false,
      /admin/,
    ],
    [
      'not found',
      404,
      oktaError('E0000007', 'Not found: Resource not found: jane.doe@example.com (User)'),
      'NOT_FOUND',
      false,
      /jane\.doe@example\.com \(User\)/,
    ],
    [
      'validation',
      400,
      oktaError('E0000001', 'Api validation failed: profile', ['email: Does not match required pattern']),
      'INVALID_INPUT',
      false,
      /Does not match required pattern/,
    ],
    [
      'already exists',
      400,
      oktaError('E0000001', 'Api validation failed: login', [
        'login: An object with this field already exists in the current organization',
      ]),
      'CONFLICT',
      false,
      // The field is named once, not "login: login: ...".
      /E0000001 Api validation failed: login: An object with this field already exists/,
    ],
    [
      'wrong state',
      403,
      oktaError('E0000038', "This operation is not allowed in the user's current status."),
      'CONFLICT',
      false,
      /current status/,
    ],
    [
      'conflict',
      409,
      oktaError('E0000112', 'Unable to update the requested resource due to a conflict'),
      'CONFLICT',
      false,
      /conflict/,
    ],
    [
      'method not supported',
      405,
      oktaError('E0000022', 'The endpoint does not support the provided HTTP method'),
      'UNSUPPORTED',
      false,
      /does not support/,
    ],
    [
      'feature missing',
      401,
      oktaError('E0000015', 'You do not have permission to access the feature you are requesting'),
      'UNSUPPORTED',
      false,
      /does not have the feature/,
    ],
    [
      'server error',
      500,
      oktaError('E0000009', 'Internal Server Error'),
      'UPSTREAM',
      true,
      /errorId oaeTestErrorId0000001/,
    ],
  ];
  for (const [name, status, body, code, retryable, message] of cases) {
    it(`${name}: HTTP ${status} ${body.errorCode} -> ${code}`, async () => {
      oktaMock().get(path).reply(status, body);
      const result = await getJane();
      expect(result).toMatchObject({
        ok: false,
        error: { code, retryable, status, okta: { errorCode: body.errorCode, errorId: body.errorId } },
      });
      if (result.ok) return;
      expect(result.error.message).toMatch(message);
      expectNoSecret(result);
    });
  }

  it('E0000011 says why tokens stop working and where to make a new one', async () => {
    oktaMock().get(path).reply(401, oktaError('E0000011', 'Invalid token provided'));
    const result = await getJane();
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.message).toContain('expired after 30 days without use');
    expect(result.error.message).toContain('Security > API > Tokens');
  });

  it('JSON that is not an Okta error is reported as not Okta', async () => {
    oktaMock().get(path).reply(404, { message: 'no such route' });
    const result = await getJane();
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM', status: 404 } });
    if (result.ok) return;
    expect(result.error.message).toContain('not how Okta');
  });
});

describe('answers that are not Okta errors', () => {
  it('a 502 HTML page is a retryable upstream problem', async () => {
    oktaMock().get(path).reply(502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' });
    expect(await getJane()).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM', retryable: true, status: 502 },
    });
  });

  it('a 200 HTML page means the address is not an Okta org', async () => {
    oktaMock()
      .get(path)
      .reply(200, '<!doctype html><title>Welcome</title>', { 'content-type': 'text/html; charset=utf-8' });
    const result = await getJane();
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toContain('text/html instead of JSON');
  });

  it('a redirect is not followed (the token stays) and points at the address', async () => {
    oktaMock().get(path).reply(302, '', { location: 'https://login.example.com/sso' });
    const result = await getJane();
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM', status: 302 } });
    if (result.ok) return;
    expect(result.error.message).toContain('redirect');
    expect(recordedRequests()).toHaveLength(1);
  });

  it('an upstream text that echoes the token is redacted', async () => {
    oktaMock()
      .get(path)
      .reply(400, oktaError('E0000001', `Api validation failed: token ${TOKEN} is odd`));
    const result = await getJane();
    expectNoSecret(result);
    if (result.ok) return;
    expect(result.error.message).toContain('[redacted]');
  });
});

describe('network failures', () => {
  const cases: Array<[string, string, boolean, RegExp]> = [
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND acme.okta.com', false, /host acme\.okta\.com was not found/],
    ['ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:443', true, /Could not reach acme\.okta\.com/],
    ['ECONNRESET', 'socket hang up', true, /Could not reach/],
    [
      'CERT_HAS_EXPIRED',
      'certificate has expired',
      false,
      /secure connection .* failed \(TLS CERT_HAS_EXPIRED\)/,
    ],
  ];
  for (const [code, message, retryable, expected] of cases) {
    it(`${code} -> NETWORK`, async () => {
      // An Error instance: nock 14 never settles node-fetch's request for a plain-object error.
      oktaMock()
        .get(path)
        .replyWithError(Object.assign(new Error(message), { code }));
      const result = await getJane();
      expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK', retryable } });
      if (result.ok) return;
      expect(result.error.message).toMatch(expected);
      expectNoSecret(result);
    });
  }
});

describe('rate limits', () => {
  it('waits for the announced reset and retries a 429', async () => {
    oktaMock()
      .get(path)
      .reply(
        429,
        oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
        rateLimitHeaders(0, 0),
      );
    oktaMock().get(path).reply(200, fakeUser(), rateLimitHeaders(598));
    const result = await getJane();
    expect(result).toMatchObject({ ok: true, meta: { requests: 2, rateLimit: { remaining: 598 } } });
  });

  it('returns RATE_LIMITED with retryAfterMs when the wait would be longer than allowed', async () => {
    oktaMock()
      .get(path)
      .reply(
        429,
        oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
        rateLimitHeaders(0, 50),
      );
    const result = await getJane({ maxWaitMs: 5_000 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryable: true, status: 429 },
      meta: { requests: 1 },
    });
    if (result.ok) return;
    expect(result.error.retryAfterMs).toBeGreaterThanOrEqual(50_000);
    expect(result.error.retryAfterMs).toBeLessThanOrEqual(51_000);
  });

  it('stops waiting once the run has waited maxWaitMs in all, and answers RATE_LIMITED', async () => {
    oktaMock()
      .get(path)
      .times(2)
      .reply(429, oktaError('E0000047', 'API call exceeded rate limit'), rateLimitHeaders(0, 0));
    // Each 429 announces a wait of about a second; 1.5 s in all allows one wait, not two.
    const result = await getJane({ maxWaitMs: 1_500 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryable: true },
      meta: { requests: 2 },
    });
  });
});

describe('timeouts and cancellation', () => {
  it('a slow answer past the request timeout is TIMEOUT and retryable', async () => {
    oktaMock().get(path).delay(2_000).reply(200, fakeUser());
    const result = await getJane({ requestTimeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    if (result.ok) return;
    expect(result.error.message).toContain('within 0.1 s');
  });

  it('aborting the signal cancels the request in flight', async () => {
    oktaMock().get(path).delay(2_000).reply(200, fakeUser());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await execute('get-user', {
      connection,
      input: { user: 'jane.doe@example.com' },
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED', retryable: false } });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('an already-aborted signal sends nothing', async () => {
    const result = await execute('get-user', {
      connection,
      input: { user: 'x' },
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' }, meta: { requests: 0 } });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('retries', () => {
  const retrying = (options = {}) =>
    execute('get-user', { connection, input: { user: 'jane.doe@example.com' } }, options);

  it('retries a read after a 5xx, with backoff, and succeeds', async () => {
    oktaMock().get(path).reply(503, oktaError('E0000010', 'Service is in read only mode'));
    oktaMock().get(path).reply(200, fakeUser());
    expect(await retrying()).toMatchObject({ ok: true, meta: { requests: 2 } });
  });

  it('retries a read after a connection reset', async () => {
    oktaMock()
      .get(path)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    oktaMock().get(path).reply(200, fakeUser());
    expect(await retrying()).toMatchObject({ ok: true, meta: { requests: 2 } });
  });

  it('gives up after maxRetries and reports the last failure', async () => {
    oktaMock().get(path).times(3).reply(500, oktaError('E0000009', 'Internal Server Error'));
    expect(await retrying({ maxRetries: 2 })).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM', retryable: true },
      meta: { requests: 3 },
    });
  });

  it('never re-sends a POST by itself: a create that may have reached Okta is not sent twice', async () => {
    oktaMock()
      .post('/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unlock')
      .reply(502, oktaError('E0000009', 'Bad gateway'));
    const { newCallScope, runInScope } = await import('../src/transport/call-scope.js');
    const { getOktaClient } = await import('../src/transport/client-factory.js');
    const { resolveConnection } = await import('../src/connection/connection.js');
    const client = await getOktaClient(await resolveConnection(connection));
    await expect(
      runInScope(newCallScope(undefined), () =>
        client.userApi.unlockUser({ userId: '00ub0oNGTSWTBKOLGLNR' }),
      ),
    ).rejects.toMatchObject({ status: 502 });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('retries a timed-out read, and says so when every try timed out', async () => {
    oktaMock().get(path).delay(1_000).reply(200, fakeUser());
    oktaMock().get(path).reply(200, fakeUser());
    expect(await retrying({ requestTimeoutMs: 100 })).toMatchObject({ ok: true, meta: { requests: 2 } });
  });

  it('stops at the action deadline and says it was the deadline, not a request', async () => {
    oktaMock().get(path).times(4).delay(2_000).reply(200, fakeUser());
    const result = await retrying({ actionTimeoutMs: 300, requestTimeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    if (!result.ok) expect(result.error.message).toContain('deadline of 0.3 s (the action timeout)');
  });
});
