/**
 * The sandbox's org authorization server, token endpoint: client authentication (client_secret_basic,
 * private_key_jwt with RSA and EC keys), the client credentials grant's scopes, and DPoP (RFC 9449) with
 * Okta's nonce challenge. Plain fetch and node:crypto: no plugin code.
 */
import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_OAUTH_CLIENT, type Sandbox } from '../../src/sandbox/index.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import {
  basicAuth,
  call,
  clientAssertion,
  dpopProof,
  ecKeyPair,
  type KeyPair,
  rsaKeyPair,
  tokenRequest,
} from './oauth-client.js';

const ctx = useSandbox();
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let rsa: KeyPair;
let ec: KeyPair;
let stranger: KeyPair;
beforeAll(() => {
  rsa = rsaKeyPair('rsa-key-1');
  ec = ecKeyPair('ec-key-1');
  stranger = ecKeyPair('ec-key-1'); // same kid, another key: what a forged assertion would look like
});

function serviceApp(sandbox: Sandbox, options: { dpop?: boolean; admin?: boolean; scopes?: string[] } = {}) {
  return sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: [rsa.publicJwk, ec.publicJwk],
    grantTypes: ['client_credentials'],
    scopes: options.scopes ?? ['okta.users.read', 'okta.groups.manage'],
    dpop: options.dpop ?? false,
    admin: options.admin ?? true,
  });
}

function withAssertion(sandbox: Sandbox, clientId: string, key: KeyPair, claims = {}, header = {}) {
  return {
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion(sandbox, clientId, key, claims, header),
  };
}

describe('token endpoint: private_key_jwt', () => {
  it.each([
    ['an RSA key (RS256)', () => rsa],
    ['an EC P-256 key (ES256)', () => ec],
  ])('issues a Bearer token for client credentials signed with %s', async (_, key) => {
    const app = serviceApp(ctx.sandbox);
    const answer = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, key()),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      scope: 'okta.users.read',
    });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const users = await call(ctx.sandbox, 'GET', '/api/v1/users?limit=2', {
      authorization: `Bearer ${answer.body.access_token}`,
    });
    expect(users.status).toBe(200);
    expect(users.body).toHaveLength(2);
    expect(ctx.sandbox.requestViolations).toEqual([]);
  });

  it('refuses an assertion signed by another key, with 401 invalid_client', async () => {
    const app = serviceApp(ctx.sandbox);
    const answer = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, stranger),
    });
    expect(answer).toMatchObject({
      status: 401,
      body: { error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' },
    });
  });

  it('takes an assertion once: the same jti again is refused', async () => {
    const app = serviceApp(ctx.sandbox);
    const form = {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, ec),
    };
    expect((await tokenRequest(ctx.sandbox, form)).status).toBe(200);
    expect(await tokenRequest(ctx.sandbox, form)).toMatchObject({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'The client_assertion token has already been used.',
      },
    });
  });

  it('refuses a wrong audience, an expired assertion and one that lives longer than an hour', async () => {
    const app = serviceApp(ctx.sandbox);
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ aud: `${ctx.sandbox.url}/oauth2/default/v1/token` }, 'The audience claim for client_assertion'],
      [{ iat: now - 600, exp: now - 10 }, 'The client_assertion token is expired.'],
      [{ exp: now + 7200 }, 'expires more than one hour after it was issued'],
      [{ iss: 'someone-else' }, 'must both be the client_id'],
    ];
    for (const [claims, description] of cases) {
      const answer = await tokenRequest(ctx.sandbox, {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        ...withAssertion(ctx.sandbox, app.clientId, rsa, claims),
      });
      expect(answer.status, JSON.stringify(claims)).toBe(401);
      expect(answer.body.error).toBe('invalid_client');
      expect(answer.body.error_description).toContain(description);
    }
  });

  it('answers an unknown client, a wrong assertion type and two credentials at once as Okta does', async () => {
    const app = serviceApp(ctx.sandbox);
    const unknown = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, '0oaNoSuchClient00000', rsa),
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wrongType = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, rsa),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    });
    expect(wrongType).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'The `client_assertion_type` is invalid.' },
    });
    const both = await tokenRequest(
      ctx.sandbox,
      {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        ...withAssertion(ctx.sandbox, app.clientId, rsa),
      },
      { authorization: basicAuth(app.clientId, 'secret') },
    );
    expect(both).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect((await tokenRequest(ctx.sandbox, { grant_type: 'client_credentials', scope: 'x' })).body).toEqual({
      error: 'invalid_client',
      error_description: 'No client credentials found',
    });
  });

  it('serves the documented default service app, whose private key is published for the sandbox', async () => {
    const key: KeyPair = {
      privateKey: createPrivateKey({ key: { ...DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk }, format: 'jwk' }),
      publicJwk: { kty: 'EC', kid: DEFAULT_SANDBOX_OAUTH_CLIENT.keyId },
      alg: 'ES256',
    };
    const answer = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.manage okta.groups.read okta.logs.read',
      ...withAssertion(ctx.sandbox, DEFAULT_SANDBOX_OAUTH_CLIENT.clientId, key),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.scope).toBe('okta.users.manage okta.groups.read okta.logs.read');
    const granted = ctx.sandbox.oauth.client(DEFAULT_SANDBOX_OAUTH_CLIENT.clientId)!.scopes;
    expect(granted).toEqual(
      expect.arrayContaining(['okta.users.read', 'okta.users.manage', 'okta.devices.manage']),
    );
  });
});

describe('token endpoint: client secrets', () => {
  it('refuses client credentials from an app with a client secret, as the org authorization server does', async () => {
    const app = ctx.sandbox.oauth.addClient({
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read'],
    });
    expect(app.clientId).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    const answer = await tokenRequest(
      ctx.sandbox,
      { grant_type: 'client_credentials', scope: 'okta.users.read' },
      { authorization: basicAuth(app.clientId, app.clientSecret!) },
    );
    expect(answer).toMatchObject({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description:
          'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.',
      },
    });
  });

  it('takes a client secret for client credentials from an API service integration, as Okta does (form-encoded in the Basic header)', async () => {
    const sandbox = ctx.sandbox;
    const app = sandbox.oauth.addClient({
      clientSecret: 'sandbox secret: with spaces & a colon',
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['client_credentials'],
      scopes: ['okta.users.read', 'okta.apps.read'],
      apiServiceIntegration: true,
    });
    const form = { grant_type: 'client_credentials', scope: 'okta.users.read okta.apps.read' };
    const good = await tokenRequest(sandbox, form, {
      authorization: basicAuth(app.clientId, app.clientSecret!),
    });
    expect(good).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer', scope: 'okta.users.read okta.apps.read' },
    });
    const bad = await tokenRequest(sandbox, form, { authorization: basicAuth(app.clientId, 'not it') });
    expect(bad).toMatchObject({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'The client secret supplied for a confidential client is invalid.',
      },
    });
    const unknown = await tokenRequest(sandbox, form, {
      authorization: basicAuth('0oaNobodyNobody12345', 'x'),
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // A key-based app cannot fall back to a secret.
    const keyApp = serviceApp(sandbox);
    expect(
      (await tokenRequest(sandbox, form, { authorization: basicAuth(keyApp.clientId, 'anything') })).body
        .error,
    ).toBe('invalid_client');
  });
});

describe('token endpoint: grants and scopes', () => {
  it('grants only scopes granted to the app, and none without a scope', async () => {
    const app = serviceApp(ctx.sandbox);
    const ask = (scope: string) =>
      tokenRequest(ctx.sandbox, {
        grant_type: 'client_credentials',
        scope,
        ...withAssertion(ctx.sandbox, app.clientId, ec),
      });
    expect(await ask('okta.users.read okta.apps.read')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope', error_description: expect.stringContaining('okta.apps.read') },
    });
    expect(await ask('')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'No scopes were requested.' },
    });
    expect(await ask('openid okta.users.read')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect((await ask('okta.groups.manage okta.users.read')).body.scope).toBe(
      'okta.groups.manage okta.users.read',
    );
    // Each of these requests was well-formed: the refusals are Okta's, not the description's.
    expect(ctx.sandbox.requestViolations).toEqual([]);
  });

  it("refuses a grant the app does not have, an unknown grant, and a request that breaks Okta's description", async () => {
    const app = serviceApp(ctx.sandbox);
    const unauthorized = await tokenRequest(ctx.sandbox, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      ...withAssertion(ctx.sandbox, app.clientId, ec),
    });
    expect(unauthorized).toMatchObject({
      status: 400,
      body: {
        error: 'unauthorized_client',
        error_description:
          'The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].',
      },
    });
    const password = await tokenRequest(ctx.sandbox, {
      grant_type: 'password',
      username: 'a',
      password: 'b',
      scope: 'openid',
      ...withAssertion(ctx.sandbox, app.clientId, ec),
    });
    expect(password).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(ctx.sandbox.requestViolations).toEqual([]);

    // The description requires scope for client_credentials; leaving it out is the client's bug.
    const noScope = await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      ...withAssertion(ctx.sandbox, app.clientId, ec),
    });
    expect(noScope).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringMatching(/POST \/oauth2\/v1\/token \(token\) body: must have required property 'scope'/),
    ]);
    // So is a JSON body: the token endpoint takes a form.
    const json = await fetch(ctx.sandbox.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', scope: 'okta.users.read' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining(
        'body sent as application/json, the operation takes application/x-www-form-urlencoded',
      ),
    ]);
  });

  it('logs each grant as app.oauth2.token.grant.access_token, done by the app', async () => {
    const app = serviceApp(ctx.sandbox);
    await tokenRequest(ctx.sandbox, {
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, ec),
    });
    const grant = ctx.sandbox.org.log.events.at(-1)!;
    expect(grant).toMatchObject({
      eventType: 'app.oauth2.token.grant.access_token',
      actor: { id: app.clientId, type: 'PublicClientApp' },
    });
  });
});

describe('token endpoint: DPoP', () => {
  it('asks for a proof, then for its nonce, then binds the token to the proof key', async () => {
    const app = serviceApp(ctx.sandbox, { dpop: true });
    const proofKey = ecKeyPair();
    const form = () => ({
      grant_type: 'client_credentials',
      scope: 'okta.users.read',
      ...withAssertion(ctx.sandbox, app.clientId, rsa),
    });
    const missing = await tokenRequest(ctx.sandbox, form());
    expect(missing).toMatchObject({
      status: 400,
      body: { error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT header is missing.' },
    });
    const htu = ctx.sandbox.oauth.tokenUrl;
    const noNonce = await tokenRequest(ctx.sandbox, form(), {
      dpop: dpopProof(proofKey, { htm: 'POST', htu }),
    });
    expect(noNonce).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    const nonce = noNonce.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[\w-]{20,}$/);
    const granted = await tokenRequest(ctx.sandbox, form(), {
      dpop: dpopProof(proofKey, { htm: 'POST', htu, nonce: nonce! }),
    });
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'DPoP', scope: 'okta.users.read' } });

    // A stale nonce: after two rotations the first one is no longer taken, and the new one is offered.
    ctx.sandbox.oauth.rotateDpopNonce();
    const previous = await tokenRequest(ctx.sandbox, form(), {
      dpop: dpopProof(proofKey, { htm: 'POST', htu, nonce: nonce! }),
    });
    expect(previous.status).toBe(200);
    ctx.sandbox.oauth.rotateDpopNonce();
    const stale = await tokenRequest(ctx.sandbox, form(), {
      dpop: dpopProof(proofKey, { htm: 'POST', htu, nonce: nonce! }),
    });
    expect(stale).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    expect(stale.headers.get('dpop-nonce')).not.toBe(nonce);
  });

  it('refuses proofs for another URL or method, with a private key inside, or sent twice', async () => {
    const app = serviceApp(ctx.sandbox, { dpop: true });
    const proofKey = rsaKeyPair();
    const htu = ctx.sandbox.oauth.tokenUrl;
    const first = await tokenRequest(
      ctx.sandbox,
      {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        ...withAssertion(ctx.sandbox, app.clientId, ec),
      },
      { dpop: dpopProof(proofKey, { htm: 'POST', htu }) },
    );
    const nonce = first.headers.get('dpop-nonce')!;
    const attempt = (proof: string) =>
      tokenRequest(
        ctx.sandbox,
        {
          grant_type: 'client_credentials',
          scope: 'okta.users.read',
          ...withAssertion(ctx.sandbox, app.clientId, ec),
        },
        { dpop: proof },
      );
    const leaked = {
      ...proofKey,
      publicJwk: proofKey.privateKey.export({ format: 'jwk' }) as KeyPair['publicJwk'],
    };
    const forged: KeyPair = { ...rsaKeyPair(), publicJwk: proofKey.publicJwk };
    const refusals: Array<[string, string]> = [
      [dpopProof(forged, { htm: 'POST', htu, nonce }), 'signature is invalid'],
      [
        dpopProof(proofKey, { htm: 'POST', htu: `${ctx.sandbox.url}/oauth2/v1/authorize`, nonce }),
        "'htu' claim",
      ],
      [dpopProof(proofKey, { htm: 'GET', htu, nonce }), "'htm' claim"],
      [
        dpopProof(proofKey, { htm: 'POST', htu, nonce }, { iat: Math.floor(Date.now() / 1000) - 600 }),
        "'iat' claim",
      ],
      [dpopProof(leaked, { htm: 'POST', htu, nonce }), "'jwk' header"],
      ['not.a.jwt', 'cannot be parsed'],
    ];
    for (const [proof, description] of refusals) {
      const answer = await attempt(proof);
      expect(answer.status, description).toBe(400);
      expect(answer.body.error).toBe('invalid_dpop_proof');
      expect(answer.body.error_description).toContain(description);
    }
    const once = dpopProof(proofKey, { htm: 'POST', htu, nonce });
    expect((await attempt(once)).status).toBe(200);
    expect(await attempt(once)).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof' } });
  });

  it('ignores a proof sent to an app that does not require DPoP (Bearer token)', async () => {
    const app = serviceApp(ctx.sandbox);
    const answer = await tokenRequest(
      ctx.sandbox,
      {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        ...withAssertion(ctx.sandbox, app.clientId, ec),
      },
      { dpop: dpopProof(ecKeyPair(), { htm: 'POST', htu: ctx.sandbox.oauth.tokenUrl }) },
    );
    expect(answer).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });
});
