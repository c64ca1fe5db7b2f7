/**
 * OAuth 2.0 connections with nock: what goes to the token endpoint (client_secret_basic, private_key_jwt,
 * refresh with rotation, DPoP with its nonce), what goes with each API request, how tokens are cached and
 * shared, and how token errors are reported. Token requests are answered by a plain nock scope (Okta's
 * OAuth description is checked against them end to end in test/sandbox/oauth-connections.test.ts); API
 * requests go through oktaMock() and are held to the management API description as usual.
 */

import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { oauthChallenge } from '../src/errors/map-error.js';
import { execute, scopesFor, testConnection } from '../src/index.js';
import { findAction } from '../src/manifest/manifest.js';
import { adviseForCredentials } from '../src/oauth/advice.js';
import { createAuthorizer } from '../src/oauth/authorizer.js';
import type { TokenTransport } from '../src/oauth/token-endpoint.js';
import { fakeUser } from './helpers/fixtures.js';
import { ORG, oktaError, oktaMock, recordedRequests } from './helpers/okta-mock.js';

const JANE = fakeUser();
const TOKEN_URL = `${ORG}/oauth2/v1/token`;
const CLIENT_ID = '0oa1ab2cd3EF4gh5ij6k7';
const CLIENT_SECRET = 'CanaryClientSecret-9Hq2Lx7Vb4Nm1Zr8Tw3Ys6Kd';
const SCOPES = ['okta.users.manage', 'okta.groups.read'];

const clientSecretConnection = {
  type: 'oauth_client_secret',
  apiAddress: 'acme.okta.com',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  scopes: SCOPES,
};

interface TokenCall {
  headers: Record<string, string | string[] | undefined>;
  form: URLSearchParams;
}

/** Answers the token endpoint with `answers` in turn, recording every call. */
function tokenEndpoint(...answers: Array<[number, object, Record<string, string>?]>) {
  const calls: TokenCall[] = [];
  let next = 0;
  nock(ORG)
    .post('/oauth2/v1/token')
    .times(answers.length)
    .reply(function (_uri, body) {
      calls.push({ headers: { ...this.req.headers }, form: new URLSearchParams(String(body)) });
      const [status, json, headers] = answers[Math.min(next++, answers.length - 1)]!;
      return [status, json, { 'content-type': 'application/json', ...headers }];
    });
  return calls;
}

const bearer = (token: string, expiresIn = 3600, scope = SCOPES.join(' ')) =>
  [200, { token_type: 'Bearer', access_token: token, expires_in: expiresIn, scope }] as [number, object];

const getJane = (connection: object, options = {}) =>
  execute('get-user', { connection, input: { user: 'jane.doe@example.com' } }, options);

function decodeJwt(jwt: string) {
  const [header, claims, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(claims!, 'base64url').toString()),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature!, 'base64url'),
  };
}

function verifiesWith(jwt: string, key: KeyObject): boolean {
  const { header, signingInput, signature } = decodeJwt(jwt);
  const hash = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }[header.alg as string];
  return verify(
    hash!,
    Buffer.from(signingInput),
    {
      key,
      ...(String(header.alg).startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}),
    },
    signature,
  );
}

describe('oauth_client_secret', () => {
  it('gets a token with client_secret_basic and the scopes, then sends it as Bearer', async () => {
    const calls = tokenEndpoint(bearer('at-one'));
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const result = await getJane({ ...clientSecretConnection, clientId: '0oaFirstTokenClient01' });
    expect(result).toMatchObject({ ok: true, output: { id: JANE.id }, meta: { requests: 2 } });
    expect(calls[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`0oaFirstTokenClient01:${CLIENT_SECRET}`).toString('base64')}`,
    );
    expect(Object.fromEntries(calls[0]!.form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'okta.users.manage okta.groups.read',
    });
    expect(recordedRequests()[0]?.headers.authorization).toBe('Bearer at-one');
  });

  it('reuses the token until shortly before it expires; concurrent runs share one token request', async () => {
    const calls = tokenEndpoint(bearer('at-shared'));
    oktaMock().get('/api/v1/users/jane.doe%40example.com').times(6).reply(200, JANE);
    // Clients (and their tokens) are kept per connection across runs: a connection of its own here.
    const connection = { ...clientSecretConnection, clientId: '0oaSharedTokenClient1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => getJane(connection)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await getJane(connection)).toMatchObject({ ok: true, meta: { requests: 1 } });
    expect(calls).toHaveLength(1);
    expect(new Set(recordedRequests().map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer at-shared']),
    );
  });

  it('asks for a new token when the cached one is about to expire', async () => {
    const calls = tokenEndpoint(bearer('at-short', 30), bearer('at-next'));
    oktaMock().get('/api/v1/users/jane.doe%40example.com').times(2).reply(200, JANE);
    const connection = { ...clientSecretConnection, clientId: '0oaExpiringClient0001' };
    await getJane(connection);
    await getJane(connection);
    expect(calls).toHaveLength(2);
    expect(recordedRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer at-short',
      'Bearer at-next',
    ]);
  });

  it('after a 401 on the API, gets a new token once and tries again', async () => {
    const calls = tokenEndpoint(bearer('at-revoked'), bearer('at-fresh'));
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(401, oktaError('E0000011', 'Invalid token provided'), {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The token is no longer valid."',
      });
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    expect(await getJane({ ...clientSecretConnection, clientId: '0oaRevokedClient00001' })).toMatchObject({
      ok: true,
      meta: { requests: 4 },
    });
    expect(calls).toHaveLength(2);
  });

  it.each([
    [
      401,
      'invalid_client',
      'Client authentication failed.',
      'UNAUTHORIZED',
      /client ID and the client secret/,
    ],
    [
      400,
      'invalid_scope',
      'The following scopes are not allowed: [okta.users.manage]',
      'FORBIDDEN',
      /Okta API Scopes/,
    ],
    [
      400,
      'unauthorized_client',
      'The client is not authorized to use the provided grant type.',
      'UNAUTHORIZED',
      /client credentials grant/,
    ],
  ])(
    'reports a token error %i %s as what it is, never as an API token problem',
    async (status, error, description, code, advice) => {
      tokenEndpoint([status, { error, error_description: description }]);
      const result = await getJane({
        ...clientSecretConnection,
        clientId: `0oaTokenError${error}`.slice(0, 20),
      });
      expect(result).toMatchObject({
        ok: false,
        error: { code, retryable: false, okta: { errorCode: error, errorSummary: description } },
        meta: { requests: 1 },
      });
      if (result.ok) return;
      expect(result.error.message).toContain(`(${error}: ${description})`);
      expect(result.error.message).toMatch(advice);
      expect(result.error.message).not.toMatch(/API token/);
      expect(recordedRequests()).toEqual([]);
    },
  );

  it('refuses before sending anything when the scopes asked for do not cover the action', async () => {
    const result = await execute('create-user', {
      connection: { ...clientSecretConnection, scopes: ['okta.users.read'] },
      input: {
        profile: {
          login: 'new.hire@example.com',
          email: 'new.hire@example.com',
          firstName: 'N',
          lastName: 'H',
        },
      },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', retryable: false },
      meta: { requests: 0 },
    });
    if (!result.ok)
      expect(result.error.message).toMatch(/needs the scope okta\.users\.manage.*holds okta\.users\.read/);
  });

  it("words Okta's 403 for an app: the scopes the action needs and an admin role", async () => {
    tokenEndpoint(bearer('at-no-role'));
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await getJane({ ...clientSecretConnection, clientId: '0oaNoAdminRole0000001' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/needs the scope okta\.users\.read .*admin role/);
      expect(result.error.message).not.toMatch(/API token/);
    }
  });

  it('refuses an API token pasted as the client secret, before any request', async () => {
    const result = await getJane({
      ...clientSecretConnection,
      clientSecret: '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_CONNECTION',
        details: [{ path: 'clientSecret', message: expect.stringMatching(/API token/) }],
      },
      meta: { requests: 0 },
    });
  });
});

describe('DPoP', () => {
  it('adds a proof when the app requires it, uses the nonce Okta asks for, and proves every API request', async () => {
    const calls = tokenEndpoint(
      [400, { error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT header is missing.' }],
      [
        400,
        { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' },
        { 'dpop-nonce': 'nonce-1' },
      ],
      [200, { token_type: 'DPoP', access_token: 'at-bound', expires_in: 3600, scope: SCOPES.join(' ') }],
    );
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const result = await getJane({ ...clientSecretConnection, clientId: '0oaDpopBoundApp000001' });
    expect(result).toMatchObject({ ok: true, meta: { requests: 4 } });

    expect(calls[0]!.headers.dpop).toBeUndefined();
    const second = decodeJwt(String(calls[1]!.headers.dpop));
    const third = decodeJwt(String(calls[2]!.headers.dpop));
    expect(second.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(second.header.jwk.d).toBeUndefined(); // the public key only
    expect(second.claims).toMatchObject({ htm: 'POST', htu: TOKEN_URL });
    expect(second.claims.nonce).toBeUndefined();
    expect(third.claims).toMatchObject({ htm: 'POST', htu: TOKEN_URL, nonce: 'nonce-1' });
    expect(third.claims.jti).not.toBe(second.claims.jti);

    const api = recordedRequests()[0]!;
    expect(api.headers.authorization).toBe('DPoP at-bound');
    const proof = decodeJwt(String(api.headers.dpop));
    expect(proof.claims).toMatchObject({
      htm: 'GET',
      // Percent-decoded, as Okta compares it (okta-sdk-nodejs#521).
      htu: `${ORG}/api/v1/users/jane.doe@example.com`,
      ath: createHash('sha256').update('at-bound').digest('base64url'),
    });
    const proofKey = createPublicKey({ key: proof.header.jwk, format: 'jwk' });
    expect(verifiesWith(String(api.headers.dpop), proofKey)).toBe(true);
    // The same key proves the token request and the API request: the token is bound to it.
    expect(proof.header.jwk).toEqual(third.header.jwk);
  });
});

describe('oauth_private_key', () => {
  const keys = {
    RSA: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    EC: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  };

  it.each([
    ['RSA as PEM', 'RSA', (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }).toString(), 'RS256'],
    [
      'RSA as PEM pasted into a single-line field (its line breaks dropped)',
      'RSA',
      (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, ''),
      'RS256',
    ],
    [
      'EC as a JWK',
      'EC',
      (k: KeyObject) => JSON.stringify({ ...k.export({ format: 'jwk' }), kid: 'jwk-kid' }),
      'ES256',
    ],
  ] as const)('signs a client assertion with an %s key', async (_label, kind, format, alg) => {
    const calls = tokenEndpoint(bearer(`at-${kind}`));
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const connection = {
      type: 'oauth_private_key',
      apiAddress: 'acme.okta.com',
      clientId: `0oaPrivateKey${kind}0001`.slice(0, 20),
      privateKey: format(keys[kind].privateKey),
      ...(kind === 'RSA' ? { keyId: 'pem-kid' } : {}),
      scopes: SCOPES,
    };
    expect(await getJane(connection)).toMatchObject({ ok: true });
    const form = calls[0]!.form;
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(calls[0]!.headers.authorization).toBeUndefined();
    const assertion = form.get('client_assertion')!;
    const { header, claims } = decodeJwt(assertion);
    expect(header).toMatchObject({ alg, kid: kind === 'RSA' ? 'pem-kid' : 'jwk-kid' });
    expect(claims).toMatchObject({ iss: connection.clientId, sub: connection.clientId, aud: TOKEN_URL });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
    expect(verifiesWith(assertion, keys[kind].publicKey)).toBe(true);
  });

  it.each([
    ['not a key at all', /neither a PEM private key/],
    [keys.RSA.publicKey.export({ format: 'pem', type: 'spki' }).toString(), /public key/],
    [JSON.stringify(keys.EC.publicKey.export({ format: 'jwk' })), /public JWK/],
    [
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      /RSA or EC/,
    ],
  ])(
    'refuses a private key that cannot be used (%#), naming the field and not quoting it',
    async (privateKey, reason) => {
      const result = await getJane({
        type: 'oauth_private_key',
        apiAddress: 'acme.okta.com',
        clientId: CLIENT_ID,
        privateKey,
        scopes: SCOPES,
      });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_CONNECTION',
          details: [{ path: 'privateKey', message: expect.stringMatching(reason) }],
        },
        meta: { requests: 0 },
      });
    },
  );
});

describe('oauth_access_token', () => {
  const userConnection = {
    type: 'oauth_access_token',
    apiAddress: 'acme.okta.com',
    accessToken: 'user-at-1',
    refreshToken: 'user-rt-1',
    clientId: '0oaWebAppPkce00000001',
  };

  it('sends the given token; on a 401 refreshes once (public client), retries, and hands the new tokens back', async () => {
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(401, oktaError('E0000011', 'Invalid token provided'), {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The token has expired."',
      });
    const calls = tokenEndpoint([
      200,
      {
        token_type: 'Bearer',
        access_token: 'user-at-2',
        refresh_token: 'user-rt-2',
        expires_in: 3600,
        scope: 'openid offline_access okta.users.read',
      },
    ]);
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const result = await getJane(userConnection);
    expect(result).toMatchObject({
      ok: true,
      meta: {
        requests: 3,
        connectionUpdate: {
          accessToken: 'user-at-2',
          refreshToken: 'user-rt-2',
          expiresAt: expect.any(String),
        },
      },
    });
    expect(Object.fromEntries(calls[0]!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'user-rt-1',
      client_id: userConnection.clientId,
    });
    expect(recordedRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer user-at-1',
      'Bearer user-at-2',
    ]);
    // The next run on the same connection uses the rotated tokens and has nothing new to hand back.
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const next = await getJane(userConnection);
    expect(next.ok && next.meta.connectionUpdate).toBeFalsy();
    expect(recordedRequests().at(-1)?.headers.authorization).toBe('Bearer user-at-2');
  });

  it('refreshes before sending when the host said the token expired; a confidential client uses Basic', async () => {
    const calls = tokenEndpoint([
      200,
      { token_type: 'Bearer', access_token: 'user-at-b', refresh_token: 'user-rt-b', expires_in: 3600 },
    ]);
    oktaMock().get('/api/v1/users/jane.doe%40example.com').times(5).reply(200, JANE);
    const expired = {
      ...userConnection,
      accessToken: 'user-at-old',
      refreshToken: 'user-rt-old',
      clientSecret: 'web-app-secret-0123456789',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => getJane(expired)));
    expect(results.every((r) => r.ok)).toBe(true);
    // Five runs at once, one refresh: a rotated refresh token cannot be used twice.
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toMatch(/^Basic /);
    expect(calls[0]!.form.get('client_id')).toBeNull();
    expect(new Set(recordedRequests().map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer user-at-b']),
    );
  });

  it('without a refresh token, a refused token says the person must reconnect', async () => {
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(401, oktaError('E0000011', 'Invalid token provided'));
    const result = await getJane({
      type: 'oauth_access_token',
      apiAddress: 'acme.okta.com',
      accessToken: 'user-at-lone',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', retryable: false } });
    if (!result.ok) expect(result.error.message).toMatch(/no refresh token: the person must reconnect/);
  });

  it('a refresh token Okta no longer accepts: UNAUTHORIZED invalid_grant, reconnect', async () => {
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(401, oktaError('E0000011', 'Invalid token provided'));
    tokenEndpoint([
      400,
      { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' },
    ]);
    const result = await getJane({ ...userConnection, accessToken: 'user-at-x', refreshToken: 'user-rt-x' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', okta: { errorCode: 'invalid_grant' } },
    });
    if (!result.ok) expect(result.error.message).toMatch(/must reconnect/);
  });

  it('refuses a refresh token without the client id it needs, before anything is sent', async () => {
    const { clientId: _, ...withoutClient } = userConnection;
    const result = await getJane(withoutClient);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CONNECTION' }, meta: { requests: 0 } });
  });

  it("get-user-info reads the userinfo endpoint with the person's token; other connections are refused", async () => {
    nock(ORG).get('/oauth2/v1/userinfo').matchHeader('authorization', 'Bearer user-at-info').reply(200, {
      sub: JANE.id,
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      preferred_username: 'jane.doe@example.com',
    });
    const info = await execute('get-user-info', {
      connection: { type: 'oauth_access_token', apiAddress: 'acme.okta.com', accessToken: 'user-at-info' },
      input: {},
    });
    expect(info).toMatchObject({
      ok: true,
      output: {
        sub: JANE.id,
        name: 'Jane Doe',
        preferredUsername: 'jane.doe@example.com',
        claims: { sub: JANE.id },
      },
    });
    const refused = await execute('get-user-info', { connection: clientSecretConnection, input: {} });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' }, meta: { requests: 0 } });
    // Declared in the manifest for hosts, and enforced by the runtime from there.
    expect(findAction('get-user-info')?.connectionTypes).toEqual(['oauth_access_token']);
    expect(!refused.ok && refused.error.message).toContain(
      'runs only with oauth_access_token connections, and this one is oauth_client_secret',
    );
  });
});

describe('secrets of OAuth connections', () => {
  it('an Okta message quoting the client secret or an access token is redacted', async () => {
    tokenEndpoint(bearer('at-CanaryAccessToken-7Kq2'));
    oktaMock()
      .get('/api/v1/users/jane.doe%40example.com')
      .reply(
        400,
        oktaError(
          'E0000001',
          `Api validation failed: token at-CanaryAccessToken-7Kq2 secret ${CLIENT_SECRET}`,
        ),
      );
    const result = await getJane({ ...clientSecretConnection, clientId: '0oaRedactionCheck0001' });
    expect(JSON.stringify(result)).not.toContain('at-CanaryAccessToken-7Kq2');
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
  });

  it('test-connection reports a token error in its details without the secret', async () => {
    tokenEndpoint([401, { error: 'invalid_client', error_description: 'Client authentication failed.' }]);
    const result = await testConnection({ ...clientSecretConnection, clientId: '0oaTestConnFail00001' });
    expect(result).toMatchObject({
      ok: false,
      details: { code: 'UNAUTHORIZED', okta: { errorCode: 'invalid_client' } },
    });
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
  });

  it('remembers only the latest tokens it obtained for redaction, however long the connection lives', async () => {
    let issued = 0;
    const send: TokenTransport = async () => {
      issued += 1;
      const body = JSON.stringify({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 1 });
      return { status: 200, headers: { get: () => null }, text: async () => body };
    };
    const authorizer = createAuthorizer(
      { kind: 'client_secret', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: SCOPES },
      ORG,
      send,
    );
    // A token that expires within the renewal margin is replaced on every request: one new token each.
    for (let i = 0; i < 50; i++) await authorizer.headersFor('GET', `${ORG}/api/v1/users`);
    expect(issued).toBe(50);
    expect(authorizer.secrets()).toEqual(['token-47', 'token-48', 'token-49', 'token-50']);
  });
});

describe('scopesFor', () => {
  it("is the union of the actions' scopes, without a .read a .manage covers", () => {
    expect(scopesFor(['get-user', 'add-user-to-group'])).toEqual(['okta.groups.manage', 'okta.users.read']);
    expect(scopesFor(['get-user', 'update-user'])).toEqual(['okta.users.manage']);
    expect(() => scopesFor(['get-user', 'no-such-action'])).toThrow(/no-such-action/);
  });
});

describe("Okta's OAuth challenge (WWW-Authenticate) in errors", () => {
  it('reads error, description and scopes, escapes included; an SSWS refusal has none', () => {
    expect(
      oauthChallenge(
        'DPoP algs="RS256 ES256", realm="https://acme.okta.com", scope="okta.users.manage okta.users.read", error="insufficient_scope", error_description="The access token provided does not contain the required \\"scopes\\"."',
      ),
    ).toEqual({
      error: 'insufficient_scope',
      description: 'The access token provided does not contain the required "scopes".',
      scope: ['okta.users.manage', 'okta.users.read'],
    });
    expect(oauthChallenge('Bearer realm="x"')).toBeUndefined();
    expect(oauthChallenge(null)).toBeUndefined();
  });

  it('says a refused DPoP proof is one, not a bad token', () => {
    const advised = adviseForCredentials(
      {
        code: 'UNAUTHORIZED',
        message: 'Okta rejected the API token',
        retryable: false,
        status: 400,
        okta: {
          errorCode: 'E0000011',
          errorSummary: 'Invalid token provided',
          challenge: {
            error: 'invalid_dpop_proof',
            description: "'htu' claim in the DPoP proof JWT is invalid.",
          },
        },
      },
      'oauth_private_key',
      undefined,
      ['okta.users.read'],
    );
    expect(advised.message).toMatch(/refused the DPoP proof .*'htu' claim/);
    expect(advised.message).not.toMatch(/API token/);
  });
});
