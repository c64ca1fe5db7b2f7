import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { manifest, type TestConnectionResult, testConnection } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { fakeRoleAssignment } from './helpers/fixtures-users.js';
import { connection, oktaError, oktaMock, rateLimitHeaders, TOKEN } from './helpers/okta-mock.js';

const me = () => oktaMock().get('/api/v1/users/me');

function expectNoSecret(result: TestConnectionResult) {
  expect(JSON.stringify(result)).not.toContain(TOKEN);
}

describe('testConnection: a token from the other org of a preview/production pair', () => {
  it('names the other org when a token is refused', async () => {
    const pairs: Array<[string, string]> = [
      ['https://acme.oktapreview.com', 'acme.okta.com'],
      ['https://acme.okta.com', 'acme.oktapreview.com'],
    ];
    for (const [address, other] of pairs) {
      nock(address).get('/api/v1/users/me').reply(401, oktaError('E0000011', 'Invalid token provided'));
      const result = await testConnection({ ...connection, apiAddress: address });
      expect(result).toMatchObject({ ok: false, details: { code: 'UNAUTHORIZED' } });
      expect(result.message).toContain(
        `A token created in ${other} does not work in ${new URL(address).host}`,
      );
      expectNoSecret(result);
    }
  });

  it('says nothing of preview orgs for a custom domain', async () => {
    nock('https://login.acme.example')
      .get('/api/v1/users/me')
      .reply(401, oktaError('E0000011', 'Invalid token provided'));
    const result = await testConnection({
      ...connection,
      apiAddress: 'https://login.acme.example',
      customDomain: true,
    });
    expect(result.details.code).toBe('UNAUTHORIZED');
    expect(result.message).not.toMatch(/preview/);
  });
});

describe('testConnection: success', () => {
  it('says who the token acts as, on which org, and what the connection can do', async () => {
    me().reply(
      200,
      fakeUser({ id: '00uAdmin0000000000001', profile: { login: 'it.admin@example.com' } }),
      rateLimitHeaders(99),
    );
    oktaMock()
      .get('/api/v1/users/00uAdmin0000000000001/roles')
      .reply(200, [fakeRoleAssignment({ type: 'SUPER_ADMIN' })]);
    oktaMock().get('/api/v1/devices').query({ limit: 1 }).reply(200, []);
    oktaMock()
      .get('/api/v1/realms')
      .query({ limit: 1 })
      .reply(
        401,
        oktaError('E0000015', 'You do not have permission to access the feature you are requesting'),
      );
    const result = await testConnection({
      ...connection,
      apiAddress: 'https://acme-admin.okta.com/admin/dashboard',
    });
    const realms = manifest.actions.filter((a) => a.category === 'Realms').map((a) => a.key);
    expect(result).toEqual({
      ok: true,
      message: `Connected to https://acme.okta.com as it.admin@example.com (SUPER_ADMIN); ${manifest.actions.length - realms.length - 1} of ${manifest.actions.length} actions are expected to work, ${realms.length + 1} are not.`,
      details: {
        orgUrl: 'https://acme.okta.com',
        connectionType: 'api_token',
        subject: { kind: 'user', id: '00uAdmin0000000000001', login: 'it.admin@example.com' },
        adminRoles: ['SUPER_ADMIN'],
        features: { devices: true, realms: false },
        actions: expect.any(Array),
        rateLimit: expect.objectContaining({ remaining: expect.any(Number) }),
      },
    });
    const actions = new Map(result.details.actions!.map((a) => [a.key, a]));
    expect(actions.get('create-realm')).toMatchObject({
      expected: 'no',
      reason: expect.stringMatching(/no Realms/),
    });
    expect(actions.get('get-user-info')).toMatchObject({
      expected: 'no',
      reason: 'it runs only with oauth_access_token connections',
    });
    expect(actions.get('deactivate-device')).toEqual({ key: 'deactivate-device', expected: 'yes' });
  });

  it('a read-only admin: reads yes, changes no; unreadable roles: cannot be told', async () => {
    me().reply(200, fakeUser({ id: '00uReader000000000001', profile: { login: 'auditor@example.com' } }));
    oktaMock()
      .get('/api/v1/users/00uReader000000000001/roles')
      .reply(200, [fakeRoleAssignment({ type: 'READ_ONLY_ADMIN' })]);
    oktaMock().get('/api/v1/devices').query({ limit: 1 }).reply(200, []);
    oktaMock().get('/api/v1/realms').query({ limit: 1 }).reply(200, []);
    const reader = await testConnection(connection);
    const byKey = new Map(reader.details.actions!.map((a) => [a.key, a]));
    expect(byKey.get('get-user')).toMatchObject({ expected: 'yes' });
    expect(byKey.get('update-user')).toMatchObject({
      expected: 'no',
      reason: expect.stringMatching(/Read-only/),
    });

    me().reply(200, fakeUser({ id: '00uHelpDesk0000000001', profile: { login: 'help@example.com' } }));
    oktaMock()
      .get('/api/v1/users/00uHelpDesk0000000001/roles')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    oktaMock().get('/api/v1/devices').query({ limit: 1 }).reply(200, []);
    oktaMock().get('/api/v1/realms').query({ limit: 1 }).reply(200, []);
    const helpDesk = await testConnection(connection);
    expect(helpDesk.ok).toBe(true);
    expect(helpDesk.details.adminRoles).toBeUndefined();
    expect(helpDesk.details.actions!.find((a) => a.key === 'get-user')).toMatchObject({
      expected: 'unknown',
      reason: expect.stringMatching(/roles could not be read/),
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
      message: expect.stringMatching(
        new RegExp(`^Connected to http://127.0.0.1:${port} as sandbox.admin@example.com`),
      ),
    });
    expect(authorization).toBe(`SSWS ${TOKEN}`);
  });
});
