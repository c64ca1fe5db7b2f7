import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConnection } from '../src/connection/connection.js';
import { execute } from '../src/index.js';
import { cachedClientCount, getOktaClient } from '../src/transport/client-factory.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, oktaMock, TOKEN } from './helpers/okta-mock.js';

describe('the SDK client takes nothing from the environment or files', () => {
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  let tempDir: string | undefined;

  afterEach(() => {
    process.env = { ...savedEnv };
    process.chdir(savedCwd);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it("sends only the connection's token with OKTA_CLIENT_*, HTTPS_PROXY and an okta.yaml present", async () => {
    Object.assign(process.env, {
      OKTA_CLIENT_TOKEN: '00EnvironmentTokenMustNeverBeSent0000000',
      OKTA_CLIENT_ORGURL: 'https://evil.okta.com',
      OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
      OKTA_CLIENT_CLIENTID: '0oaEnvironmentClient',
      OKTA_CLIENT_SCOPES: 'okta.users.manage',
      OKTA_CLIENT_PRIVATEKEY: '{"kty":"RSA"}',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
    });
    tempDir = mkdtempSync(join(tmpdir(), 'okta-actions-'));
    writeFileSync(
      join(tempDir, 'okta.yaml'),
      'okta:\n  client:\n    orgUrl: https://yaml.okta.com\n    token: 00YamlTokenMustNeverBeSent000000000000\n',
    );
    process.chdir(tempDir);

    // A token of its own, so this test builds a fresh client under the hostile environment.
    const isolated = { ...connection, apiToken: `${TOKEN}-isolation` };
    oktaMock()
      .matchHeader('authorization', `SSWS ${TOKEN}-isolation`)
      .get('/api/v1/users/me')
      .reply(200, fakeUser());
    const result = await execute('get-user', { connection: isolated, input: { user: 'me' } });
    expect(result).toMatchObject({ ok: true, output: { id: fakeUser().id } });
  });
});

describe('client reuse', () => {
  it('reuses one client per connection and builds another for another token', async () => {
    const a = await resolveConnection(connection);
    const b = await resolveConnection({ ...connection, apiAddress: 'https://ACME.okta.com/app/UserHome' });
    const c = await resolveConnection({ ...connection, apiToken: `${TOKEN}-other` });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.fingerprint).not.toContain(TOKEN);
    expect(await getOktaClient(a)).toBe(await getOktaClient(b));
    expect(await getOktaClient(a)).not.toBe(await getOktaClient(c));
  });

  it('keeps a bounded number of clients (a host may serve many tenants)', async () => {
    for (let i = 0; i < 80; i++)
      await getOktaClient(await resolveConnection({ ...connection, apiToken: `${TOKEN}-${i}` }));
    expect(cachedClientCount()).toBe(64);
  });

  it("closes a released client's idle keep-alive sockets when the client leaves the cache", async () => {
    let open = 0;
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(fakeUser()));
    });
    server.on('connection', (socket) => {
      open += 1;
      socket.on('close', () => {
        open -= 1;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const apiAddress = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Real sockets: nock's interception (on in every test process) would hide the agent's pooling.
    nock.restore();
    try {
      const local = { ...connection, apiAddress, apiToken: `${TOKEN}-idle` };
      const result = await execute(
        'get-user',
        { connection: local, input: { user: 'me' } },
        { allowLoopback: true },
      );
      expect(result.ok).toBe(true);
      expect(open).toBe(1); // kept alive, idle
      for (let i = 0; i < 64; i++)
        await getOktaClient(await resolveConnection({ ...connection, apiToken: `${TOKEN}-crowd-${i}` }));
      await vi.waitFor(() => expect(open).toBe(0), { timeout: 2_000 });
    } finally {
      nock.activate();
      server.close();
    }
  });

  it('has no response cache: a second read sees the change made in between', async () => {
    oktaMock()
      .get('/api/v1/users/00ub0oNGTSWTBKOLGLNR')
      .reply(200, fakeUser({ status: 'ACTIVE' }));
    oktaMock()
      .get('/api/v1/users/00ub0oNGTSWTBKOLGLNR')
      .reply(200, fakeUser({ status: 'SUSPENDED' }));
    const first = await execute('get-user', { connection, input: { user: '00ub0oNGTSWTBKOLGLNR' } });
    const second = await execute('get-user', { connection, input: { user: '00ub0oNGTSWTBKOLGLNR' } });
    expect(first).toMatchObject({ ok: true, output: { status: 'ACTIVE' } });
    expect(second).toMatchObject({ ok: true, output: { status: 'SUSPENDED' } });
  });

  it('never shows the token when a connection is printed or serialized', async () => {
    const resolved = await resolveConnection(connection);
    expect(JSON.stringify(resolved)).not.toContain(TOKEN);
    expect(inspect(resolved)).not.toContain(TOKEN);
    expect(String(Object.values(resolved))).not.toContain(TOKEN);
  });
});
