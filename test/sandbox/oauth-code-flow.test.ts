/**
 * The org authorization server for a signed-in user: /authorize (no sign-in page: login_hint is the user),
 * the code exchange with PKCE, refresh token rotation, /userinfo, and the discovery documents. Plain fetch
 * and node:crypto: no plugin code.
 */
import { describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { ADMIN_LOGIN } from '../../src/sandbox/seed.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import {
  authorizeRedirect,
  basicAuth,
  call,
  dpopProof,
  ecKeyPair,
  pkcePair,
  tokenRequest,
} from './oauth-client.js';

const ctx = useSandbox();
const REDIRECT = 'https://host.example/oauth/callback';
const JANE = 'jane.doe@example.com';

function publicApp(sandbox: Sandbox, options: { dpop?: boolean } = {}) {
  return sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    scopes: ['okta.users.read', 'okta.users.manage'],
    dpop: options.dpop ?? false,
  });
}

/** The whole browser leg: authorize, follow nothing, read the code from the redirect. */
async function codeFor(
  sandbox: Sandbox,
  clientId: string,
  scope: string,
  extra: Record<string, string> = {},
) {
  const { location } = await authorizeRedirect(sandbox, {
    client_id: clientId,
    response_type: 'code',
    scope,
    redirect_uri: REDIRECT,
    state: 'state-123',
    ...extra,
  });
  return location!.searchParams.get('code')!;
}

describe('authorization code with PKCE, then refresh with rotation', () => {
  it('redirects with a code, exchanges it once, and rotates the refresh token on each use', async () => {
    const app = publicApp(ctx.sandbox);
    const pkce = pkcePair();
    const redirect = await authorizeRedirect(ctx.sandbox, {
      client_id: app.clientId,
      response_type: 'code',
      scope: 'openid profile email offline_access okta.users.read',
      redirect_uri: REDIRECT,
      state: 'state-123',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      login_hint: JANE,
    });
    expect(redirect.status).toBe(302);
    expect(`${redirect.location!.origin}${redirect.location!.pathname}`).toBe(REDIRECT);
    expect(redirect.location!.searchParams.get('state')).toBe('state-123');
    const code = redirect.location!.searchParams.get('code')!;
    expect(code).toMatch(/^[\w-]{40,}$/);

    const exchange = {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      code,
      redirect_uri: REDIRECT,
    };
    expect(await tokenRequest(ctx.sandbox, { ...exchange, code_verifier: 'x'.repeat(43) })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'PKCE verification failed.' },
    });
    const tokens = await tokenRequest(ctx.sandbox, { ...exchange, code_verifier: pkce.verifier });
    expect(tokens).toMatchObject({
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: 'openid profile email offline_access okta.users.read',
        refresh_token: expect.any(String),
      },
    });
    const jane = findUser(ctx.sandbox.org, JANE)!;
    const info = await call(ctx.sandbox, 'GET', '/oauth2/v1/userinfo', {
      authorization: `Bearer ${tokens.body.access_token}`,
    });
    expect(info).toMatchObject({
      status: 200,
      body: {
        sub: jane.id,
        name: 'Jane Doe',
        preferred_username: JANE,
        given_name: 'Jane',
        family_name: 'Doe',
        email: JANE,
        email_verified: true,
        updated_at: expect.any(Number),
      },
    });

    const refresh = (refreshToken: string) =>
      tokenRequest(ctx.sandbox, {
        grant_type: 'refresh_token',
        client_id: app.clientId,
        refresh_token: refreshToken,
      });
    const first = await refresh(tokens.body.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(await refresh(tokens.body.refresh_token)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' },
    });
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    const me = await call(ctx.sandbox, 'GET', '/api/v1/users/me', {
      authorization: `Bearer ${second.body.access_token}`,
    });
    // Jane's token acts as Jane, who is no admin.
    expect(me.status).toBe(403);
    expect(ctx.sandbox.requestViolations).toEqual([]);
  });

  it('takes a code once: a second exchange fails and revokes what the first one gave', async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT],
      scopes: ['okta.users.read'],
    });
    const code = await codeFor(ctx.sandbox, app.clientId, 'okta.users.read');
    const basic = { authorization: basicAuth(app.clientId, app.clientSecret!) };
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect(
      await tokenRequest(ctx.sandbox, { ...exchange, redirect_uri: 'https://host.example/other' }, basic),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const tokens = await tokenRequest(ctx.sandbox, exchange, basic);
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toBeUndefined(); // no offline_access, no refresh_token grant
    const admin = await call(ctx.sandbox, 'GET', '/api/v1/users/me', {
      authorization: `Bearer ${tokens.body.access_token}`,
    });
    expect(admin.body.profile.login).toBe(ADMIN_LOGIN); // login_hint defaults to the sandbox admin
    expect(await tokenRequest(ctx.sandbox, exchange, basic)).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'The authorization code is invalid or has expired.',
      },
    });
    expect(
      (
        await call(ctx.sandbox, 'GET', '/api/v1/users/me', {
          authorization: `Bearer ${tokens.body.access_token}`,
        })
      ).status,
    ).toBe(401);
  });

  it('refreshes an expired access token, for fewer scopes if asked, never for more', async () => {
    const app = publicApp(ctx.sandbox);
    const pkce = pkcePair();
    const code = await codeFor(
      ctx.sandbox,
      app.clientId,
      'offline_access okta.users.read okta.users.manage',
      {
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      },
    );
    const tokens = (
      await tokenRequest(ctx.sandbox, {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code,
        redirect_uri: REDIRECT,
        code_verifier: pkce.verifier,
      })
    ).body;
    ctx.sandbox.oauth.expireAccessTokens();
    expect(
      (await call(ctx.sandbox, 'GET', '/api/v1/users', { authorization: `Bearer ${tokens.access_token}` }))
        .status,
    ).toBe(401);
    const beyond = await tokenRequest(ctx.sandbox, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      refresh_token: tokens.refresh_token,
      scope: 'okta.groups.read',
    });
    expect(beyond).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const narrower = await tokenRequest(ctx.sandbox, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      refresh_token: tokens.refresh_token,
      scope: 'okta.users.read',
    });
    expect(narrower.body.scope).toBe('okta.users.read');
    const users = await call(ctx.sandbox, 'GET', '/api/v1/users?limit=1', {
      authorization: `Bearer ${narrower.body.access_token}`,
    });
    expect(users.status).toBe(200);
    // The rotated refresh token still carries the whole grant.
    const full = await tokenRequest(ctx.sandbox, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      refresh_token: narrower.body.refresh_token,
    });
    expect(full.body.scope).toBe('offline_access okta.users.read okta.users.manage');
  });

  it('keeps the refresh token when rotation is off', async () => {
    const sandbox = await startSandbox({ oauth: { refreshTokenRotation: false } });
    try {
      const app = publicApp(sandbox);
      const admin = findUser(sandbox.org, ADMIN_LOGIN)!;
      const { refresh_token } = sandbox.oauth.issueAccessToken({
        clientId: app.clientId,
        scopes: ['offline_access', 'okta.users.read'],
        userId: admin.id,
      });
      const form = { grant_type: 'refresh_token', client_id: app.clientId, refresh_token: refresh_token! };
      expect((await tokenRequest(sandbox, form)).body.refresh_token).toBe(refresh_token);
      expect((await tokenRequest(sandbox, form)).status).toBe(200);
      expect(sandbox.requestViolations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("binds a DPoP public client's refresh token to its key", async () => {
    const app = publicApp(ctx.sandbox, { dpop: true });
    const key = ecKeyPair();
    const pkce = pkcePair();
    const code = await codeFor(ctx.sandbox, app.clientId, 'offline_access okta.users.read', {
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    const htu = ctx.sandbox.oauth.tokenUrl;
    const nonce = (
      await tokenRequest(
        ctx.sandbox,
        { grant_type: 'authorization_code', client_id: app.clientId, code, redirect_uri: REDIRECT },
        {
          dpop: dpopProof(key, { htm: 'POST', htu }),
        },
      )
    ).headers.get('dpop-nonce')!;
    const tokens = await tokenRequest(
      ctx.sandbox,
      {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code,
        redirect_uri: REDIRECT,
        code_verifier: pkce.verifier,
      },
      { dpop: dpopProof(key, { htm: 'POST', htu, nonce }) },
    );
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'DPoP' } });
    const form = {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      refresh_token: tokens.body.refresh_token,
    };
    const otherKey = await tokenRequest(ctx.sandbox, form, {
      dpop: dpopProof(ecKeyPair(), { htm: 'POST', htu, nonce }),
    });
    expect(otherKey).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof' } });
    const sameKey = await tokenRequest(ctx.sandbox, form, {
      dpop: dpopProof(key, { htm: 'POST', htu, nonce }),
    });
    expect(sameKey).toMatchObject({ status: 200, body: { token_type: 'DPoP' } });
  });
});

describe('authorize: refusals', () => {
  it('answers an unknown client or an unregistered redirect URI directly, never redirecting', async () => {
    const app = publicApp(ctx.sandbox);
    const query = {
      response_type: 'code',
      scope: 'okta.users.read',
      state: 's',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    };
    const unknown = await authorizeRedirect(ctx.sandbox, {
      ...query,
      client_id: '0oaNoSuchApp00000000',
      redirect_uri: REDIRECT,
    });
    expect(unknown).toMatchObject({ status: 400, location: undefined, body: { error: 'invalid_client' } });
    const elsewhere = await authorizeRedirect(ctx.sandbox, {
      ...query,
      client_id: app.clientId,
      redirect_uri: 'https://evil.example/cb',
    });
    expect(elsewhere).toMatchObject({ status: 400, location: undefined, body: { error: 'invalid_request' } });
  });

  it('redirects OAuth errors with the state: scopes not granted, no PKCE for a public client, an unknown user', async () => {
    const app = publicApp(ctx.sandbox);
    const base = { client_id: app.clientId, response_type: 'code', redirect_uri: REDIRECT, state: 'keep-me' };
    const pkce = { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...base, ...pkce, scope: 'okta.groups.manage' }, 'invalid_scope'],
      [{ ...base, ...pkce, scope: 'profile okta.users.read' }, 'access_denied'],
      [{ ...base, scope: 'okta.users.read' }, 'invalid_request'],
      [{ ...base, ...pkce, scope: 'okta.users.read', login_hint: 'nobody@example.com' }, 'access_denied'],
      [{ ...base, ...pkce, scope: 'okta.users.read', response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [query, error] of cases) {
      const answer = await authorizeRedirect(ctx.sandbox, query);
      expect(answer.status, error).toBe(302);
      expect(answer.location!.searchParams.get('error')).toBe(error);
      expect(answer.location!.searchParams.get('state')).toBe('keep-me');
      expect(answer.location!.searchParams.get('code')).toBeNull();
    }
    expect(ctx.sandbox.requestViolations).toEqual([]);
    // Okta requires state; the description says so, and the sandbox holds requests to it.
    const { state: _, ...noState } = { ...base, ...pkce, scope: 'okta.users.read' };
    expect(await authorizeRedirect(ctx.sandbox, noState)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('required query parameter "state" missing'),
    ]);
  });
});

describe('userinfo and discovery', () => {
  it('refuses an API token (401), a client-credentials token and an openid-only token (403), without a body', async () => {
    const url = '/oauth2/v1/userinfo';
    const ssws = await call(ctx.sandbox, 'GET', url, { authorization: `SSWS ${ctx.sandbox.token}` });
    expect(ssws).toMatchObject({ status: 401, body: undefined });
    expect(ssws.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const service = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: [ecKeyPair().publicJwk],
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
    });
    const machine = ctx.sandbox.oauth.issueAccessToken({
      clientId: service.clientId,
      scopes: ['okta.users.read'],
    });
    const refused = await call(ctx.sandbox, 'GET', url, { authorization: `Bearer ${machine.access_token}` });
    expect(refused).toMatchObject({ status: 403, body: undefined });
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri="${ctx.sandbox.url}/oauth2/v1/authorize", realm="${ctx.sandbox.url}", scope="openid", ` +
        'error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone", resource="/oauth2/v1/userinfo"',
    );
    const app = publicApp(ctx.sandbox);
    const admin = findUser(ctx.sandbox.org, ADMIN_LOGIN)!;
    const openidOnly = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['openid'],
      userId: admin.id,
    });
    expect(
      (await call(ctx.sandbox, 'GET', url, { authorization: `Bearer ${openidOnly.access_token}` })).status,
    ).toBe(403);
    const noOpenid = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['email'],
      userId: admin.id,
    });
    expect(
      (await call(ctx.sandbox, 'GET', url, { authorization: `Bearer ${noOpenid.access_token}` })).status,
    ).toBe(403);
    const emailOnly = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['openid', 'email'],
      userId: admin.id,
    });
    expect(
      (await call(ctx.sandbox, 'GET', url, { authorization: `Bearer ${emailOnly.access_token}` })).body,
    ).toEqual({
      sub: admin.id,
      email: ADMIN_LOGIN,
      email_verified: true,
    });
  });

  it('publishes its OpenID configuration and keys, as the description documents them', async () => {
    const config = await call(ctx.sandbox, 'GET', '/.well-known/openid-configuration', {});
    expect(config).toMatchObject({
      status: 200,
      body: {
        issuer: ctx.sandbox.url,
        token_endpoint: ctx.sandbox.oauth.tokenUrl,
        authorization_endpoint: ctx.sandbox.oauth.authorizeUrl,
        userinfo_endpoint: ctx.sandbox.oauth.userinfoUrl,
        dpop_signing_alg_values_supported: expect.arrayContaining(['ES256', 'RS256']),
      },
    });
    const keys = await call(ctx.sandbox, 'GET', config.body.jwks_uri.replace(ctx.sandbox.url, ''), {});
    expect(keys.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(
      (await call(ctx.sandbox, 'GET', '/.well-known/openid-configuration?client_id=0oaUnknown', {})).status,
    ).toBe(400);
    // useSandbox fails the test if an answer broke Okta's OAuth description.
  });
});
