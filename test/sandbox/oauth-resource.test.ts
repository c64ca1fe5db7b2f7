/**
 * The Management API as an OAuth resource server: access tokens instead of API tokens, scope enforcement
 * from Okta's description, expiry and revocation, DPoP-bound tokens (RFC 9449 7), who a token acts as,
 * and what the served-request records keep. Plain fetch and node:crypto: no plugin code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { ADMIN_LOGIN } from '../../src/sandbox/seed.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { call, dpopProof, ecKeyPair, type KeyPair, rsaKeyPair } from './oauth-client.js';

const ctx = useSandbox();
const JANE = 'jane.doe@example.com';
const NEW_USER = {
  profile: {
    login: 'oauth.new@example.com',
    email: 'oauth.new@example.com',
    firstName: 'Oauth',
    lastName: 'New',
  },
};

function serviceToken(sandbox: Sandbox, scopes: string[], options: { admin?: boolean } = {}) {
  const app = sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: [ecKeyPair().publicJwk],
    grantTypes: ['client_credentials'],
    scopes,
    admin: options.admin ?? true,
  });
  return { app, ...sandbox.oauth.issueAccessToken({ clientId: app.clientId, scopes }) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('resource server: scopes', () => {
  it('lets okta.users.read read a user but not create one: 403 E0000006 with the insufficient_scope challenge', async () => {
    const { access_token } = serviceToken(ctx.sandbox, ['okta.users.read']);
    expect((await call(ctx.sandbox, 'GET', `/api/v1/users/${JANE}`, bearer(access_token))).status).toBe(200);
    const create = await call(
      ctx.sandbox,
      'POST',
      '/api/v1/users?activate=false',
      bearer(access_token),
      NEW_USER,
    );
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({
      errorCode: 'E0000006',
      errorSummary: 'You do not have permission to perform the requested action',
    });
    expect(create.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri="${ctx.sandbox.url}/oauth2/v1/authorize", realm="${ctx.sandbox.url}", ` +
        'scope="okta.users.manage", error="insufficient_scope", ' +
        'error_description="The access token provided does not contain the required scopes.", resource="/api/v1/users"',
    );
    expect(findUser(ctx.sandbox.org, NEW_USER.profile.login)).toBeUndefined();
  });

  it("takes okta.users.manage for okta.users.read, but not another resource's scope", async () => {
    const { access_token } = serviceToken(ctx.sandbox, ['okta.users.manage']);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users?limit=1', bearer(access_token))).status).toBe(200);
    const created = await call(
      ctx.sandbox,
      'POST',
      '/api/v1/users?activate=false',
      bearer(access_token),
      NEW_USER,
    );
    expect(created.status).toBe(200);
    const groups = await call(ctx.sandbox, 'GET', '/api/v1/groups', bearer(access_token));
    expect(groups.status).toBe(403);
    expect(groups.headers.get('www-authenticate')).toContain('scope="okta.groups.read"');
  });

  it('refuses a service app without an admin role (403) whatever its scopes', async () => {
    const { access_token } = serviceToken(ctx.sandbox, ['okta.users.read'], { admin: false });
    const answer = await call(ctx.sandbox, 'GET', '/api/v1/users', bearer(access_token));
    expect(answer).toMatchObject({ status: 403, body: { errorCode: 'E0000006' } });
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });
});

describe('resource server: who a token acts as', () => {
  it("acts as the user of a user token: me is that user, and admin rights are the user's roles", async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://host.example/callback'],
      scopes: ['okta.users.read', 'okta.users.manage'],
    });
    const admin = findUser(ctx.sandbox.org, ADMIN_LOGIN)!;
    const jane = findUser(ctx.sandbox.org, JANE)!;
    const asAdmin = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['okta.users.read'],
      userId: admin.id,
    });
    const asJane = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['okta.users.read'],
      userId: jane.id,
    });
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(asAdmin.access_token))).body.id).toBe(
      admin.id,
    );
    // Jane holds no admin role: like an API token whose admin lost the role.
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(asJane.access_token))).status).toBe(
      403,
    );
    await sandboxClient(ctx.sandbox).post(`/api/v1/users/${jane.id}/roles`, { type: 'READ_ONLY_ADMIN' });
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(asJane.access_token))).body.id).toBe(
      jane.id,
    );
  });

  it("acts as the app for client credentials: me names no user (404), and changes are logged as the app's", async () => {
    const { app, access_token } = serviceToken(ctx.sandbox, ['okta.users.manage']);
    expect(await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(access_token))).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: me (User)' },
    });
    await call(ctx.sandbox, 'POST', '/api/v1/users?activate=false', bearer(access_token), NEW_USER);
    const created = ctx.sandbox.org.log.events.find((event) => event.eventType === 'user.lifecycle.create')!;
    expect(created.actor).toMatchObject({ id: app.clientId, type: 'PublicClientApp' });
    // An API token's changes are still the admin's.
    await sandboxClient(ctx.sandbox).post(`/api/v1/users/${JANE}/lifecycle/suspend`);
    const suspended = ctx.sandbox.org.log.events.find(
      (event) => event.eventType === 'user.lifecycle.suspend',
    )!;
    expect(suspended.actor.alternateId).toBe(ADMIN_LOGIN);
  });
});

describe('resource server: expired, revoked and unknown tokens', () => {
  it('answers an expired token with 401 E0000011 and the invalid_token challenge', async () => {
    const { access_token } = serviceToken(ctx.sandbox, ['okta.users.read']);
    ctx.sandbox.oauth.expireAccessTokens();
    const answer = await call(ctx.sandbox, 'GET', '/api/v1/users', bearer(access_token));
    expect(answer).toMatchObject({
      status: 401,
      body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' },
    });
    expect(answer.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri="${ctx.sandbox.url}/oauth2/v1/authorize", realm="${ctx.sandbox.url}", ` +
        'scope="okta.users.read", error="invalid_token", error_description="The token has expired.", resource="/api/v1/users"',
    );
  });

  it("answers a revoked or unknown token as invalid, and revokes a user's tokens when an admin asks", async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://host.example/callback'],
      scopes: ['okta.users.read'],
    });
    const admin = findUser(ctx.sandbox.org, ADMIN_LOGIN)!;
    const token = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['okta.users.read'],
      userId: admin.id,
    });
    const service = serviceToken(ctx.sandbox, ['okta.users.read']);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(token.access_token))).status).toBe(200);
    // DELETE /sessions?oauthTokens=true revokes the user's OAuth tokens (and only the user's).
    await sandboxClient(ctx.sandbox).delete(`/api/v1/users/${admin.id}/sessions?oauthTokens=true`);
    const revoked = await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(token.access_token));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain(
      'error_description="The access token is invalid."',
    );
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users', bearer(service.access_token))).status).toBe(200);
    ctx.sandbox.oauth.removeClient(service.app.clientId);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users', bearer(service.access_token))).status).toBe(401);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users', bearer('made-up'))).status).toBe(401);
  });

  it("revokes a user's tokens when the user is deactivated", async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://host.example/callback'],
      scopes: ['okta.users.read'],
    });
    const jane = findUser(ctx.sandbox.org, JANE)!;
    await sandboxClient(ctx.sandbox).post(`/api/v1/users/${jane.id}/roles`, { type: 'READ_ONLY_ADMIN' });
    const token = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['okta.users.read'],
      userId: jane.id,
    });
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users/me', bearer(token.access_token))).status).toBe(200);
    await sandboxClient(ctx.sandbox).post(`/api/v1/users/${jane.id}/lifecycle/deactivate`);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users?limit=1', bearer(token.access_token))).status).toBe(
      401,
    );
  });

  it('still takes the API token, and records each request by scheme and hash, never the token', async () => {
    const { app, access_token } = serviceToken(ctx.sandbox, ['okta.users.read']);
    expect((await ctx.api.get('/api/v1/users/me')).status).toBe(200);
    await call(ctx.sandbox, 'GET', '/api/v1/users?limit=1', bearer(access_token));
    const [ssws, oauth] = ctx.sandbox.served.slice(-2);
    expect(ssws).toMatchObject({
      authScheme: 'SSWS',
      tokenHash: expect.stringMatching(/^[0-9a-f]{12}$/),
      status: 200,
    });
    expect(oauth).toMatchObject({
      authScheme: 'Bearer',
      operationId: 'listUsers',
      clientId: app.clientId,
      tokenHash: expect.stringMatching(/^[0-9a-f]{12}$/),
      status: 200,
    });
    expect(oauth!.tokenHash).not.toBe(ssws!.tokenHash);
    const recorded = JSON.stringify(ctx.sandbox.served);
    expect(recorded).not.toContain(access_token);
    expect(recorded).not.toContain(ctx.sandbox.token);
  });
});

describe('resource server: DPoP-bound tokens', () => {
  let proofKey: KeyPair;
  let otherKey: KeyPair;
  beforeAll(() => {
    proofKey = ecKeyPair();
    otherKey = rsaKeyPair();
  });

  function boundToken() {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: [ecKeyPair().publicJwk],
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
      dpop: true,
    });
    const answer = ctx.sandbox.oauth.issueAccessToken({
      clientId: app.clientId,
      scopes: ['okta.users.read'],
      dpopJwk: proofKey.publicJwk,
    });
    expect(answer.token_type).toBe('DPoP');
    return answer.access_token;
  }

  const withProof = (token: string, key: KeyPair, htu: string, extra: Record<string, unknown> = {}) => ({
    authorization: `DPoP ${token}`,
    dpop: dpopProof(key, { htm: 'GET', htu, accessToken: token }, extra),
  });

  it('takes the token with a proof from its key, and refuses it as Bearer, with another key, or for another token', async () => {
    const token = boundToken();
    const htu = `${ctx.sandbox.url}/api/v1/users`;
    expect(
      (await call(ctx.sandbox, 'GET', '/api/v1/users?limit=1', withProof(token, proofKey, htu))).status,
    ).toBe(200);

    const asBearer = await call(ctx.sandbox, 'GET', '/api/v1/users', bearer(token));
    expect(asBearer.status).toBe(400);
    expect(asBearer.headers.get('www-authenticate')).toMatch(
      /^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", authorization_uri=.*error="invalid_dpop_proof"/,
    );
    // Forged: names the bound key in its header, but was signed by another one.
    const forged: KeyPair = { ...ecKeyPair(), publicJwk: proofKey.publicJwk };
    const cases: Array<[Record<string, string>, string]> = [
      [withProof(token, otherKey, htu), 'does not match the key the access token is bound to'],
      [withProof(token, forged, htu), 'The DPoP proof JWT signature is invalid.'],
      [withProof(token, proofKey, htu, { ath: 'x'.repeat(43) }), "'ath' claim"],
      [withProof(token, proofKey, `${ctx.sandbox.url}/api/v1/groups`), "'htu' claim"],
      [{ authorization: `DPoP ${token}` }, 'The DPoP proof JWT header is missing.'],
    ];
    for (const [headers, description] of cases) {
      const answer = await call(ctx.sandbox, 'GET', '/api/v1/users', headers);
      expect(answer.status, description).toBe(400);
      expect(answer.headers.get('www-authenticate')).toContain(description);
    }
    // A proof is good once.
    const once = withProof(token, proofKey, htu);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users', once)).status).toBe(200);
    expect((await call(ctx.sandbox, 'GET', '/api/v1/users', once)).status).toBe(400);
  });

  it('compares htu with the percent-decoded path, as Okta does (a %40 in htu is refused)', async () => {
    const token = boundToken();
    const path = `/api/v1/users/${encodeURIComponent(JANE)}`;
    const encoded = await call(
      ctx.sandbox,
      'GET',
      path,
      withProof(token, proofKey, `${ctx.sandbox.url}${path}`),
    );
    expect(encoded.status).toBe(400);
    expect(encoded.headers.get('www-authenticate')).toContain(
      "'htu' claim in the DPoP proof JWT is invalid.",
    );
    const decoded = await call(
      ctx.sandbox,
      'GET',
      path,
      withProof(token, proofKey, `${ctx.sandbox.url}/api/v1/users/${JANE}`),
    );
    expect(decoded).toMatchObject({ status: 200, body: { profile: { login: JANE } } });
  });

  it('refuses the DPoP scheme for a token that is not bound', async () => {
    const { access_token } = serviceToken(ctx.sandbox, ['okta.users.read']);
    const answer = await call(
      ctx.sandbox,
      'GET',
      '/api/v1/users',
      withProof(access_token, proofKey, `${ctx.sandbox.url}/api/v1/users`),
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
