import { describe, expect, it } from 'vitest';
import { normalizeApiToken, resolveConnection } from '../src/connection/connection.js';
import { execute, manifest, testConnection } from '../src/index.js';
import { recordedRequests, TOKEN } from './helpers/okta-mock.js';

describe('the api_token connection', () => {
  it('marks the token as a secret in its schema', () => {
    const schema = manifest.connections.api_token?.schema as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.properties.apiToken).toMatchObject({
      writeOnly: true,
      format: 'password',
      'x-secret': true,
    });
    expect(schema.properties.apiAddress?.['x-secret']).toBeUndefined();
  });

  it('accepts the token with an SSWS prefix or stray whitespace', () => {
    expect(normalizeApiToken(`SSWS ${TOKEN}`)).toEqual({ ok: true, value: TOKEN });
    expect(normalizeApiToken(`  ${TOKEN}\n`)).toEqual({ ok: true, value: TOKEN });
  });

  it.each([
    ['', /is empty/],
    ['Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig', /OAuth access token/],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', /OAuth access token/],
    ['00abc def', /spaces or line breaks/],
    ['00abc\u00e9', /characters an Okta API token never has/],
  ])('refuses %j', (raw, reason) => {
    const result = normalizeApiToken(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('refuses an unknown type, an unknown field and a bad address, naming each', async () => {
    const unknownType = await execute('get-user', {
      connection: { type: 'oauth', apiAddress: 'acme.okta.com' },
      input: { user: 'x' },
    });
    expect(unknownType).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_CONNECTION',
        details: [{ path: 'type', message: expect.stringContaining('api_token') }],
      },
    });

    for (const type of ['constructor', '__proto__', 'toString']) {
      const inherited = await execute('get-user', {
        connection: { type, apiAddress: 'acme.okta.com', apiToken: TOKEN },
        input: {} as never,
      });
      expect(inherited, type).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CONNECTION', details: [{ path: 'type' }] },
      });
    }

    const typo = await execute('get-user', {
      connection: { type: 'api_token', apiAdress: 'acme.okta.com', apiToken: TOKEN },
      input: { user: 'x' },
    });
    expect(typo).toMatchObject({ ok: false, error: { code: 'INVALID_CONNECTION' } });
    if (!typo.ok) {
      expect(typo.error.details).toEqual(
        expect.arrayContaining([
          { path: 'apiAddress', message: 'is required' },
          { path: 'apiAdress', message: expect.stringContaining('did you mean "apiAddress"?') },
        ]),
      );
    }

    const http = await testConnection({
      type: 'api_token',
      apiAddress: 'http://acme.okta.com',
      apiToken: TOKEN,
    });
    expect(http).toMatchObject({
      ok: false,
      details: { code: 'INVALID_CONNECTION', problems: [{ path: 'apiAddress' }] },
    });
    expect(http.message).toContain('"apiAddress" uses http://');
    expect(recordedRequests()).toHaveLength(0);
  });

  it('never repeats the token in a connection error, even a malformed one', async () => {
    const results = [
      await execute('get-user', {
        connection: { type: 'api_token', apiAddress: 'nope', apiToken: TOKEN },
        input: {} as never,
      }),
      await execute('get-user', {
        connection: { type: 'api_token', apiAddress: 'acme.okta.com', apiToken: `${TOKEN} x` },
        input: {} as never,
      }),
      await execute('get-user', { connection: { type: 'other', apiToken: TOKEN }, input: {} as never }),
      await testConnection({ type: 'api_token', apiAddress: TOKEN, apiToken: TOKEN }),
    ];
    for (const result of results)
      expect(JSON.stringify(result).toLowerCase()).not.toContain(TOKEN.toLowerCase());
  });
});

describe('resolved connections are memoized, never reused for another connection', () => {
  const raw = { type: 'api_token', apiAddress: 'acme.okta.com', apiToken: TOKEN };

  it('gives the same resolution for the same connection, a new one for any change', async () => {
    const first = await resolveConnection({ ...raw });
    expect(await resolveConnection({ ...raw })).toBe(first);
    const otherToken = await resolveConnection({ ...raw, apiToken: `${TOKEN.slice(0, -1)}X` });
    expect(otherToken).not.toBe(first);
    expect(otherToken.fingerprint).not.toBe(first.fingerprint);
    const otherOrg = await resolveConnection({ ...raw, apiAddress: 'globex.okta.com' });
    expect(otherOrg.orgUrl).toBe('https://globex.okta.com');
  });

  it("keys on the host's options too: a loopback address allowed once is not allowed later", async () => {
    const local = { ...raw, apiAddress: 'http://127.0.0.1:8080' };
    expect((await resolveConnection(local, { allowLoopback: true })).orgUrl).toBe('http://127.0.0.1:8080');
    await expect(resolveConnection(local)).rejects.toMatchObject({
      envelope: { code: 'INVALID_CONNECTION' },
    });
  });

  it('a connection object changed in place (a refreshed token stored into it) is resolved anew', async () => {
    const kept = { ...raw };
    const first = await resolveConnection(kept);
    expect(await resolveConnection(kept)).toBe(first);
    kept.apiToken = `${TOKEN.slice(0, -1)}Y`;
    const after = await resolveConnection(kept);
    expect(after).not.toBe(first);
    expect(after.fingerprint).not.toBe(first.fingerprint);
    kept.apiToken = TOKEN;
    expect(await resolveConnection(kept)).toBe(first);
  });

  it('a list changed in place (a scope added to the same array) is resolved anew', async () => {
    const kept = {
      type: 'oauth_client_secret',
      apiAddress: 'acme.okta.com',
      clientId: '0oa1clientid',
      clientSecret: 'a-client-secret-that-is-long-enough-0000',
      scopes: ['okta.users.read'],
    };
    const first = await resolveConnection(kept);
    expect(await resolveConnection(kept)).toBe(first);
    kept.scopes.push('okta.groups.read');
    const after = await resolveConnection(kept);
    expect(after).not.toBe(first);
    expect(after.fingerprint).not.toBe(first.fingerprint);
  });

  it('does not remember a refusal as a resolution', async () => {
    const bad = { ...raw, apiAddress: 'http://acme.okta.com' };
    await expect(resolveConnection(bad)).rejects.toMatchObject({ envelope: { code: 'INVALID_CONNECTION' } });
    await expect(resolveConnection(bad)).rejects.toMatchObject({ envelope: { code: 'INVALID_CONNECTION' } });
  });
});
