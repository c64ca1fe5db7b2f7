import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestConnectionResult, testConnection } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, oktaError, oktaMock, rateLimitHeaders, TOKEN } from './helpers/okta-mock.js';

const me = () => oktaMock().get('/api/v1/users/me');

function expectNoSecret(result: TestConnectionResult) {
  expect(JSON.stringify(result)).not.toContain(TOKEN);
}

describe('testConnection: success', () => {
  it('says who the token acts as, on which org', async () => {
    me().reply(
      200,
      fakeUser({ id: '00uAdmin0000000000001', profile: { login: 'it.admin@example.com' } }),
      rateLimitHeaders(99),
    );
    const result = await testConnection({
      ...connection,
      apiAddress: 'https://acme-admin.okta.com/admin/dashboard',
    });
    expect(result).toEqual({
      ok: true,
      message: 'Connected to https://acme.okta.com as it.admin@example.com.',
      details: {
        orgUrl: 'https://acme.okta.com',
        subject: { id: '00uAdmin0000000000001', login: 'it.admin@example.com' },
        rateLimit: expect.objectContaining({ remaining: 99 }),
      },
    });
  });
});

describe('testConnection: each failure has its own message', () => {
  const okta: Array<[string, () => void, string, RegExp]> = [
    [
      'an invalid or expired token',
      () => me().reply(401, oktaError('E0000011', 'Invalid token provided')),
      'UNAUTHORIZED',
      /30 days without use/,
    ],
    [
      'a forbidden token',
      () =>
        me().reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action')),
      'FORBIDDEN',
      /not allowed/,
    ],
    [
      'the rate limit',
      () =>
        me().reply(
          429,
          oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
          rateLimitHeaders(0, 120),
        ),
      'RATE_LIMITED',
      /rate limit/,
    ],
    [
      'a web page instead of the API',
      () => me().reply(200, '<html>Welcome to Acme</html>', { 'content-type': 'text/html' }),
      'UPSTREAM',
      /not how Okta's API answers/,
    ],
    [
      'JSON that is not a user',
      () => me().reply(200, { hello: 'world' }),
      'UPSTREAM',
      /not like an Okta org/,
    ],
    [
      'a 404 page',
      () => me().reply(404, 'Not Found', { 'content-type': 'text/plain' }),
      'UPSTREAM',
      /not how Okta's API answers/,
    ],
    [
      'host not found (DNS)',
      () =>
        me().replyWithError(
          Object.assign(new Error('getaddrinfo ENOTFOUND acme.okta.com'), { code: 'ENOTFOUND' }),
        ),
      'NETWORK',
      /was not found \(DNS ENOTFOUND\)/,
    ],
    [
      'a TLS failure',
      () =>
        me().replyWithError(
          Object.assign(new Error('unable to verify the first certificate'), {
            code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          }),
        ),
      'NETWORK',
      /secure connection/,
    ],
    [
      'a timeout',
      () => me().delay(2_000).reply(200, fakeUser()),
      'TIMEOUT',
      /did not answer GET \/api\/v1\/users\/me within 0\.1 s/,
    ],
  ];
  for (const [name, arrange, code, message] of okta) {
    it(name, async () => {
      arrange();
      const result = await testConnection(connection, {
        requestTimeoutMs: 100,
        maxWaitMs: 1_000,
        maxRetries: 0,
      });
      expect(result).toMatchObject({ ok: false, details: { code, orgUrl: 'https://acme.okta.com' } });
      expect(result.message).toMatch(message);
      expectNoSecret(result);
    });
  }

  it('a malformed address is reported before any request', async () => {
    const result = await testConnection({ ...connection, apiAddress: 'https://acme.okta.com/?x=1' });
    expect(result).toMatchObject({
      ok: false,
      details: { code: 'INVALID_CONNECTION', problems: [{ path: 'apiAddress' }] },
    });
    expect(result.message).toMatch(/must not contain a query/);
  });
});

describe('testConnection: real network failures on loopback', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function listen(handler: RequestListener): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('a refused connection is "could not reach"', async () => {
    const port = await listen(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const result = await testConnection(
      { ...connection, apiAddress: `http://127.0.0.1:${port}` },
      { allowLoopback: true },
    );
    expect(result).toMatchObject({ ok: false, details: { code: 'NETWORK', retryable: true } });
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('https to a server that does not speak TLS is a TLS failure', async () => {
    const port = await listen((_, res) => res.end('plain'));
    const result = await testConnection(
      { ...connection, apiAddress: `https://127.0.0.1:${port}` },
      { allowLoopback: true },
    );
    expect(result).toMatchObject({ ok: false, details: { code: 'NETWORK' } });
    expect(result.message).toMatch(/secure connection .* failed/);
  });

  it('a connection dropped mid-request is a retryable network failure', async () => {
    const port = await listen((req) => req.socket.destroy());
    const result = await testConnection(
      { ...connection, apiAddress: `http://127.0.0.1:${port}` },
      { allowLoopback: true },
    );
    expect(result).toMatchObject({ ok: false, details: { code: 'NETWORK', retryable: true } });
  });

  it('works end to end over real HTTP, sending the token only as SSWS', async () => {
    let authorization: string | undefined;
    const port = await listen((req, res) => {
      authorization = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(fakeUser({ profile: { login: 'sandbox.admin@example.com' } })));
    });
    const result = await testConnection(
      { ...connection, apiAddress: `http://127.0.0.1:${port}` },
      { allowLoopback: true },
    );
    expect(result).toMatchObject({
      ok: true,
      message: `Connected to http://127.0.0.1:${port} as sandbox.admin@example.com.`,
    });
    expect(authorization).toBe(`SSWS ${TOKEN}`);
  });
});
