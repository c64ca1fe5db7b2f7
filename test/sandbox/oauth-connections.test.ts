/**
 * The OAuth connection types end to end: the plugin's execute() and testConnection() against the sandbox's
 * org authorization server, as a host would run them. Every request the plugin sends is held to Okta's
 * descriptions by the sandbox (useSandbox fails a test on any answer that breaks them).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/runtime/execute.js';
import { testConnection } from '../../src/runtime/test-connection.js';
import { DEFAULT_SANDBOX_OAUTH_CLIENT, type Sandbox } from '../../src/sandbox/index.js';
import { ADMIN_LOGIN } from '../../src/sandbox/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { type SignIn, signInWithPkce, tokenRequest } from './oauth-client.js';

const HOST = { allowLoopback: true };
const ctx = useSandbox();
const JANE = 'jane.doe@example.com';

/** Requests the plugin sent to the token endpoint, and to the Management API, in this sandbox. */
const tokenRequests = (sandbox: Sandbox) => sandbox.served.filter((r) => r.path === '/oauth2/v1/token');
const apiRequests = (sandbox: Sandbox) => sandbox.served.filter((r) => r.path.startsWith('/api/v1/'));

function rsaKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } as {
      kty: string;
      [member: string]: unknown;
    },
  };
}

/** An oauth_private_key connection: the sandbox's default service app (EC key as a JWK) unless told. */
function privateKeyConnection(
  sandbox: Sandbox,
  options: { clientId?: string; privateKey?: string; keyId?: string; scopes: string[] },
) {
  return {
    type: 'oauth_private_key',
    apiAddress: sandbox.url,
    clientId: options.clientId ?? DEFAULT_SANDBOX_OAUTH_CLIENT.clientId,
    privateKey: options.privateKey ?? JSON.stringify(DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk),
    ...(options.keyId ? { keyId: options.keyId } : {}),
    scopes: options.scopes,
  };
}

/** An oauth_access_token connection from a sign-in; with `renewable`, its refresh token and client id too. */
function accessTokenConnection(sandbox: Sandbox, tokens: SignIn, options: { renewable?: boolean } = {}) {
  return {
    type: 'oauth_access_token',
    apiAddress: sandbox.url,
    accessToken: tokens.accessToken,
    ...(options.renewable ? { refreshToken: tokens.refreshToken!, clientId: tokens.clientId } : {}),
  };
}

/** An API service integration (OIN): client credentials with a client secret, read scopes. */
function apiServiceIntegration(sandbox: Sandbox, scopes = ['okta.users.read', 'okta.apps.read']) {
  const app = sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'client_secret_basic',
    grantTypes: ['client_credentials'],
    scopes,
    apiServiceIntegration: true,
  });
  return {
    app,
    connection: {
      type: 'oauth_client_secret',
      apiAddress: sandbox.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      scopes,
    },
  };
}

/** A person's sign-in (the sandbox's admin unless told): the tokens a host's authorization-code flow holds. */
const signIn = (sandbox: Sandbox, scope: string, options: { login?: string } = {}) =>
  signInWithPkce(sandbox, {
    scope,
    login: options.login ?? ADMIN_LOGIN,
    appScopes: ['okta.users.read', 'okta.users.manage', 'okta.groups.read', 'okta.roles.read'],
  });

describe('oauth_client_secret: an API service integration', () => {
  it('gets one token with client_secret_basic, reuses it, and reads users as the app', async () => {
    const { app, connection } = apiServiceIntegration(ctx.sandbox);
    const first = await execute('list-users', { connection, input: { limit: 5 } }, HOST);
    const second = await execute('get-user', { connection, input: { user: JANE } }, HOST);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true, output: { login: JANE } });
    // One token request for both runs, authenticated with Basic; the API calls carried the bearer token.
    expect(tokenRequests(ctx.sandbox)).toEqual([
      expect.objectContaining({ status: 200, authScheme: 'Basic', clientId: app.clientId }),
    ]);
    expect(apiRequests(ctx.sandbox).length).toBeGreaterThanOrEqual(2);
    expect(
      apiRequests(ctx.sandbox).every((r) => r.authScheme === 'Bearer' && r.clientId === app.clientId),
    ).toBe(true);
    expect(JSON.stringify([first, second])).not.toContain(app.clientSecret!);
  });

  it('refuses an action outside its scopes before sending anything, naming the missing scope', async () => {
    const { connection } = apiServiceIntegration(ctx.sandbox);
    const result = await execute('suspend-user', { connection, input: { user: JANE } }, HOST);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toContain('okta.users.manage');
    expect(ctx.sandbox.served).toEqual([]);
  });

  it('reports a wrong secret as invalid_client, not as a bad API token', async () => {
    const { connection } = apiServiceIntegration(ctx.sandbox);
    const result = await execute(
      'get-user',
      { connection: { ...connection, clientSecret: `${connection.clientSecret}x` }, input: { user: JANE } },
      HOST,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', okta: { errorCode: 'invalid_client' } },
    });
    if (result.ok) return;
    expect(result.error.message).not.toMatch(/API token/i);
    expect(result.error.message).not.toContain(connection.clientSecret);
    expect(apiRequests(ctx.sandbox)).toEqual([]);
  });

  it("names Okta's rule when an ordinary app tries client credentials with a secret", async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
    });
    const connection = {
      type: 'oauth_client_secret',
      apiAddress: ctx.sandbox.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      scopes: ['okta.users.read'],
    };
    const result = await testConnection(connection, HOST);
    expect(result.ok).toBe(false);
    expect(result.details).toMatchObject({ code: 'UNAUTHORIZED', okta: { errorCode: 'invalid_client' } });
    expect(result.message).toMatch(/private_key_jwt|private key/i);
  });
});

describe('oauth_private_key: a service app signing its assertions', () => {
  it('signs with an RSA key given as PEM', async () => {
    const key = rsaKey('rsa-key-1');
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: [key.publicJwk],
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read', 'okta.groups.read'],
    });
    const connection = privateKeyConnection(ctx.sandbox, {
      clientId: app.clientId,
      privateKey: key.pem,
      keyId: 'rsa-key-1',
      scopes: ['okta.users.read', 'okta.groups.read'],
    });
    const result = await execute('list-groups', { connection, input: {} }, HOST);
    expect(result).toMatchObject({ ok: true });
    expect(tokenRequests(ctx.sandbox)).toEqual([
      expect.objectContaining({ status: 200, authScheme: 'client_assertion', clientId: app.clientId }),
    ]);
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('signs with an EC key given as a JWK (the sandbox default service app)', async () => {
    const connection = privateKeyConnection(ctx.sandbox, { scopes: ['okta.users.manage'] });
    const result = await execute('suspend-user', { connection, input: { user: JANE } }, HOST);
    expect(result).toMatchObject({ ok: true, output: { changed: true } });
    // The System Log names the app, not a user, as the one who suspended Jane.
    const event = ctx.sandbox.org.log.events.find((e) => e.eventType === 'user.lifecycle.suspend');
    expect(event?.actor).toMatchObject({ id: DEFAULT_SANDBOX_OAUTH_CLIENT.clientId });
  });

  it('proves possession with DPoP when the app requires it, nonce challenge included', async () => {
    const key = rsaKey('dpop-app-key');
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: [key.publicJwk],
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
      dpop: true,
    });
    const connection = privateKeyConnection(ctx.sandbox, {
      clientId: app.clientId,
      privateKey: key.pem,
      scopes: ['okta.users.read'],
    });
    const read = await execute('get-user', { connection, input: { user: JANE } }, HOST);
    expect(read).toMatchObject({ ok: true, output: { login: JANE } });
    // Okta refuses a token request without a proof (invalid_dpop_proof), then one without its nonce
    // (use_dpop_nonce), then issues a DPoP-bound token.
    expect(tokenRequests(ctx.sandbox).map((r) => r.status)).toEqual([400, 400, 200]);
    expect(apiRequests(ctx.sandbox).map((r) => r.authScheme)).toEqual(['DPoP']);
    // The connection remembers both: its next token comes at the first request.
    ctx.sandbox.oauth.revokeAll();
    expect(await execute('get-user', { connection, input: { user: JANE } }, HOST)).toMatchObject({
      ok: true,
    });
    expect(tokenRequests(ctx.sandbox).map((r) => r.status)).toEqual([400, 400, 200, 200]);
    const tested = await testConnection(connection, HOST);
    expect(tested).toMatchObject({
      ok: true,
      details: { dpop: true, subject: { kind: 'app', clientId: app.clientId } },
    });
  });

  it('shares one token request among concurrent actions', async () => {
    const connection = privateKeyConnection(ctx.sandbox, { scopes: ['okta.users.read'] });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => execute('get-user', { connection, input: { user: JANE } }, HOST)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    expect(tokenRequests(ctx.sandbox)).toHaveLength(1);
    expect(apiRequests(ctx.sandbox)).toHaveLength(12);
  });

  it('gets a new token once after Okta revokes the cached one, then goes on', async () => {
    const connection = privateKeyConnection(ctx.sandbox, { scopes: ['okta.users.read'] });
    expect(await execute('get-user', { connection, input: { user: JANE } }, HOST)).toMatchObject({
      ok: true,
    });
    ctx.sandbox.oauth.revokeAll();
    expect(await execute('get-user', { connection, input: { user: JANE } }, HOST)).toMatchObject({
      ok: true,
    });
    expect(tokenRequests(ctx.sandbox)).toHaveLength(2);
    expect(apiRequests(ctx.sandbox).map((r) => r.status)).toEqual([200, 401, 200]);
  });
});

describe('oauth_access_token: a person signed in through the host', () => {
  it("reads the person's claims from userinfo", async () => {
    const tokens = await signIn(ctx.sandbox, 'openid profile email offline_access okta.users.read', {
      login: JANE,
    });
    const result = await execute(
      'get-user-info',
      {
        connection: accessTokenConnection(ctx.sandbox, tokens),
        input: {},
      },
      HOST,
    );
    expect(result).toMatchObject({ ok: true, output: { email: JANE, preferredUsername: JANE } });
  });

  it('refreshes an expired token once, hands the rotated tokens back, and the old refresh token is spent', async () => {
    const tokens = await signIn(ctx.sandbox, 'openid offline_access okta.users.read');
    const connection = accessTokenConnection(ctx.sandbox, tokens, { renewable: true });
    ctx.sandbox.oauth.expireAccessTokens();
    const result = await execute('get-user', { connection, input: { user: JANE } }, HOST);
    expect(result).toMatchObject({ ok: true, output: { login: JANE } });
    const update = result.meta.connectionUpdate!;
    expect(update.accessToken).not.toBe(tokens.accessToken);
    expect(update.refreshToken).toBeDefined();
    expect(update.refreshToken).not.toBe(tokens.refreshToken);
    expect(Date.parse(update.expiresAt!)).toBeGreaterThan(Date.now());
    // The host stores the update; the next run uses it without another refresh.
    const next = await execute(
      'get-user',
      { connection: { ...connection, ...update }, input: { user: JANE } },
      HOST,
    );
    expect(next).toMatchObject({ ok: true });
    expect(next.meta.connectionUpdate).toBeUndefined();
    expect(tokenRequests(ctx.sandbox).filter((r) => r.status === 200)).toHaveLength(2); // code exchange + 1 refresh
    // Rotation: the refresh token the host had before is refused now.
    const reused = await tokenRequest(ctx.sandbox, {
      grant_type: 'refresh_token',
      client_id: tokens.clientId,
      refresh_token: tokens.refreshToken!,
    });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('testConnection hands back the tokens of a refresh it made, unredacted, so the host can store them', async () => {
    const tokens = await signIn(ctx.sandbox, 'openid offline_access okta.users.read');
    const connection = accessTokenConnection(ctx.sandbox, tokens, { renewable: true });
    ctx.sandbox.oauth.expireAccessTokens();
    const tested = await testConnection(connection, HOST);
    expect(tested.ok).toBe(true);
    const update = tested.connectionUpdate!;
    expect(update.accessToken).toMatch(/^[\w-]{20,}$/);
    expect(update.refreshToken).toMatch(/^[\w-]{20,}$/);
    expect(update.refreshToken).not.toBe(tokens.refreshToken);
    // The refresh token the connection held is spent; only the handed-back one works from here.
    const stored = await execute(
      'get-user',
      { connection: { ...connection, ...update }, input: { user: JANE } },
      HOST,
    );
    expect(stored).toMatchObject({ ok: true, output: { login: JANE } });
    // Neither token leaks into the rest of the result.
    const { connectionUpdate: _handedBack, ...rest } = tested;
    expect(JSON.stringify(rest)).not.toContain(update.accessToken);
    expect(JSON.stringify(rest)).not.toContain(update.refreshToken!);
    // A test that refreshed nothing hands nothing back.
    expect((await testConnection({ ...connection, ...update }, HOST)).connectionUpdate).toBeUndefined();
  });

  it('without a refresh token, an expired token asks the person to reconnect', async () => {
    const tokens = await signIn(ctx.sandbox, 'openid okta.users.read');
    ctx.sandbox.oauth.expireAccessTokens();
    const result = await execute(
      'get-user',
      {
        connection: accessTokenConnection(ctx.sandbox, tokens),
        input: { user: JANE },
      },
      HOST,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/reconnect|sign in again/i);
    expect(JSON.stringify(result)).not.toContain(tokens.accessToken);
  });

  it("turns Okta's insufficient_scope answer into FORBIDDEN naming the scope", async () => {
    // The host's token says nothing of its scopes to the plugin, so the request goes and Okta refuses it.
    const tokens = await signIn(ctx.sandbox, 'openid okta.users.read');
    const result = await execute(
      'suspend-user',
      {
        connection: accessTokenConnection(ctx.sandbox, tokens),
        input: { user: JANE },
      },
      HOST,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
    if (result.ok) return;
    expect(result.error.message).toContain('okta.users.manage');
    expect(result.error.message).toMatch(/must reconnect/);
    expect(result.error.okta?.challenge).toMatchObject({
      error: 'insufficient_scope',
      scope: expect.arrayContaining(['okta.users.manage']),
    });
    expect(ctx.sandbox.org.log.events.some((e) => e.eventType === 'user.lifecycle.suspend')).toBe(false);
  });

  it('testConnection says who signed in, the roles they hold, and what each action can do', async () => {
    const tokens = await signIn(ctx.sandbox, 'openid profile offline_access okta.users.read okta.roles.read');
    const result = await testConnection(accessTokenConnection(ctx.sandbox, tokens), HOST);
    expect(result.ok).toBe(true);
    expect(result.details.subject).toMatchObject({ kind: 'user', login: ADMIN_LOGIN });
    expect(result.details.adminRoles).toEqual(['SUPER_ADMIN']);
    const byKey = new Map(result.details.actions!.map((a) => [a.key, a]));
    expect(byKey.get('get-user-info')).toMatchObject({ expected: 'yes' });
    expect(byKey.get('get-user')?.expected).not.toBe('no');
  });

  it('says when the person who signed in holds no admin role', async () => {
    const tokens = await signIn(ctx.sandbox, 'openid okta.users.read', { login: JANE });
    const result = await testConnection(accessTokenConnection(ctx.sandbox, tokens), HOST);
    expect(result).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    expect(result.message).toMatch(/person who signed in/);
    expect(result.message).toMatch(/admin role/);
    expect(result.message).not.toMatch(/none listed/);
  });
});

describe('testConnection reports capability for a service app', () => {
  it('lists granted scopes and marks actions whose scope is missing', async () => {
    const { app, connection } = apiServiceIntegration(ctx.sandbox);
    const result = await testConnection(connection, HOST);
    expect(result).toMatchObject({
      ok: true,
      details: {
        connectionType: 'oauth_client_secret',
        subject: { kind: 'app', clientId: app.clientId },
        scopes: ['okta.users.read', 'okta.apps.read'],
      },
    });
    const byKey = new Map(result.details.actions!.map((a) => [a.key, a]));
    expect(byKey.get('list-users')?.expected).not.toBe('no');
    expect(byKey.get('create-user')).toMatchObject({
      expected: 'no',
      reason: expect.stringContaining('okta.users.manage'),
    });
    expect(byKey.get('get-user-info')).toMatchObject({ expected: 'no' });
    expect(result.message.split(/(?<=\.)\s/).length).toBeLessThanOrEqual(2);
  });

  it('explains an app without an admin role', async () => {
    const key = rsaKey('no-role');
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: [key.publicJwk],
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
      admin: false,
    });
    const result = await testConnection(
      privateKeyConnection(ctx.sandbox, {
        clientId: app.clientId,
        privateKey: key.pem,
        scopes: ['okta.users.read'],
      }),
      HOST,
    );
    expect(result.ok).toBe(false);
    expect(result.details.code).toBe('FORBIDDEN');
    expect(result.message).toMatch(/admin role/i);
  });
});
