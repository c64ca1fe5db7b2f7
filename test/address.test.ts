import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { normalizeApiAddress } from '../src/connection/api-address.js';
import { toErrorEnvelope } from '../src/errors/map-error.js';
import { FORBIDDEN_ADDRESS, forbiddenAddressReason, guardedLookup } from '../src/http/address-guard.js';
import { connectionAgent } from '../src/transport/client-factory.js';

describe('apiAddress: accepted as people paste it', () => {
  const accepted: Array<[string, string, boolean?]> = [
    ['acme.okta.com', 'https://acme.okta.com'],
    ['  acme.okta.com  ', 'https://acme.okta.com'],
    ['https://acme.okta.com', 'https://acme.okta.com'],
    ['https://acme.okta.com/', 'https://acme.okta.com'],
    ['https://acme.okta.com/app/UserHome', 'https://acme.okta.com'],
    ['https://acme.okta.com/admin/dashboard#/', 'https://acme.okta.com'],
    ['ACME.OKTA.COM', 'https://acme.okta.com'],
    ['HTTPS://Acme.Okta.Com/', 'https://acme.okta.com'],
    ['acme-admin.okta.com', 'https://acme.okta.com'],
    ['https://acme-admin.okta.com/admin/dashboard', 'https://acme.okta.com'],
    ['acme-admin.oktapreview.com', 'https://acme.oktapreview.com'],
    ['dev-123456.okta.com', 'https://dev-123456.okta.com'],
    ['acme.oktapreview.com', 'https://acme.oktapreview.com'],
    ['acme.okta-emea.com', 'https://acme.okta-emea.com'],
    ['acme.okta-gov.com', 'https://acme.okta-gov.com'],
    ['acme.okta.mil', 'https://acme.okta.mil'],
    ['https://acme.okta.com:443/', 'https://acme.okta.com'],
  ];
  for (const [raw, orgUrl] of accepted) {
    it(`${JSON.stringify(raw)} -> ${orgUrl}`, () => {
      expect(normalizeApiAddress(raw)).toMatchObject({ ok: true, orgUrl });
    });
  }
});

describe('apiAddress: a custom URL domain only when the connection says so', () => {
  it.each([
    ['login.acme.com', 'https://login.acme.com'],
    // "-admin" is the admin console only on Okta's own domains.
    ['sso-admin.acme.com', 'https://sso-admin.acme.com'],
    ['https://id.example.co.uk/', 'https://id.example.co.uk'],
  ])('%s -> %s with customDomain', (raw, orgUrl) => {
    expect(normalizeApiAddress(raw, { customDomain: true })).toMatchObject({ ok: true, orgUrl });
    const refused = normalizeApiAddress(raw);
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.reason).toMatch(/not on an Okta domain.*set customDomain to true/);
  });

  it('an Okta look-alike is not an Okta domain', () => {
    for (const raw of ['acme.okta.com.evil.example', 'acmeokta.com', 'okta.com', 'acme.notokta.com']) {
      expect(normalizeApiAddress(raw)).toMatchObject({ ok: false });
    }
  });

  it('customDomain does not open IP literals, ports, http or loopback', () => {
    const custom = { customDomain: true };
    for (const raw of [
      'https://10.0.0.5',
      '169.254.169.254',
      'https://[fd00::1]/',
      'http://login.acme.com',
      'localhost:3000',
      'login.acme.com:8443',
    ]) {
      expect(normalizeApiAddress(raw, custom)).toMatchObject({ ok: false });
    }
  });
});

describe('apiAddress: refused with the reason', () => {
  const refused: Array<[unknown, RegExp]> = [
    ['', /is empty/],
    ['   ', /is empty/],
    [undefined, /must be text/],
    ['acme', /not a host name/],
    ['acme okta com', /contains spaces/],
    ['https://', /not a web address/],
    ['https://-acme.okta.com', /not a host name/],
    ['acme.okta.123', /not a web address|not a host name/],
    ['https://admin:secret@acme.okta.com', /user name or password/],
    ['https://acme.okta.com/?fromURI=/app', /query/],
    ['http://acme.okta.com', /uses http:\/\//],
    ['ftp://acme.okta.com', /uses ftp/],
    ['https://acme.okta.com:8443', /must not name a port/],
    ['https://10.0.0.5', /IP address/],
    ['169.254.169.254', /IP address/],
    ['https://[fd00::1]/', /IP address/],
    ['http://127.0.0.1:8080', /loopback/],
    ['localhost:3000', /loopback/],
    ['https://[::1]:8443', /loopback/],
  ];
  for (const [raw, reason] of refused) {
    it(`${JSON.stringify(raw)} is refused`, () => {
      const result = normalizeApiAddress(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }
});

describe('apiAddress: loopback only when the host allows it', () => {
  const allow = { allowLoopback: true };
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/api', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
    ['localhost:3000', 'https://localhost:3000'],
  ])('%s -> %s', (raw, orgUrl) => {
    expect(normalizeApiAddress(raw, allow)).toMatchObject({ ok: true, orgUrl, loopback: true });
  });

  it('still refuses plain http to anything that is not loopback', () => {
    expect(normalizeApiAddress('http://acme.okta.com', allow)).toMatchObject({ ok: false });
    expect(normalizeApiAddress('http://10.0.0.5:80', allow)).toMatchObject({ ok: false });
  });
});

describe('where a name resolves: checked at connect time', () => {
  const resolvingTo =
    (...addresses: string[]) =>
    (_host: string, _options: unknown, callback: (error: null, found: LookupAddress[]) => void) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  const lookUp = (lookup: ReturnType<typeof guardedLookup>, options: { all?: boolean } = {}) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      lookup('login.acme.com', options, (error, address) => resolve({ error, address })),
    );

  it.each([
    '169.254.169.254',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '127.0.0.1',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
  ])('refuses %s', async (address) => {
    const { error } = await lookUp(guardedLookup(false, resolvingTo(address)));
    expect(error?.code).toBe(FORBIDDEN_ADDRESS);
    expect(error?.message).toContain(`resolves to ${address}`);
  });

  it('refuses the name if any one of its addresses is not public (no picking the good one)', async () => {
    const { error } = await lookUp(guardedLookup(false, resolvingTo('52.1.2.3', '10.0.0.7')), { all: true });
    expect(error?.code).toBe(FORBIDDEN_ADDRESS);
  });

  it('lets public addresses through, in the form the agent asked for', async () => {
    const one = await lookUp(guardedLookup(false, resolvingTo('52.1.2.3', '2600:1f18::1')));
    expect(one).toEqual({ error: null, address: '52.1.2.3' });
    const all = await lookUp(guardedLookup(false, resolvingTo('52.1.2.3', '2600:1f18::1')), { all: true });
    expect(all.address).toEqual([
      { address: '52.1.2.3', family: 4 },
      { address: '2600:1f18::1', family: 6 },
    ]);
  });

  it('lets loopback through only for a loopback org (a local sandbox)', async () => {
    expect((await lookUp(guardedLookup(true, resolvingTo('127.0.0.1')))).error).toBeNull();
    expect(forbiddenAddressReason('127.0.0.1', true)).toBeUndefined();
    expect(forbiddenAddressReason('10.0.0.1', true)).toMatch(/private/);
  });

  it("the clients' agent resolves names through the guard", async () => {
    // The agent's own lookup is called (nock, active in tests, would bypass a real connection).
    const agent = connectionAgent('https://login.acme.com', resolvingTo('169.254.169.254'));
    const lookup = (agent as unknown as { options: { lookup: ReturnType<typeof guardedLookup> } }).options
      .lookup;
    expect((await lookUp(lookup)).error?.code).toBe(FORBIDDEN_ADDRESS);
    const sandboxAgent = connectionAgent('http://127.0.0.1:8080', resolvingTo('127.0.0.1'));
    const sandboxLookup = (
      sandboxAgent as unknown as { options: { lookup: ReturnType<typeof guardedLookup> } }
    ).options.lookup;
    expect((await lookUp(sandboxLookup)).error).toBeNull();
  });

  it('a refused address is reported as INVALID_CONNECTION, not retryable, saying where it resolved', () => {
    const thrown = Object.assign(
      new Error(
        'request to https://login.acme.com/api/v1/users/me failed, reason: login.acme.com resolves to 169.254.169.254, which is a private, link-local or reserved address (such as a cloud metadata service); okta-actions only connects to public addresses',
      ),
      { name: 'FetchError', type: 'system', code: FORBIDDEN_ADDRESS },
    );
    const envelope = toErrorEnvelope(thrown);
    expect(envelope).toMatchObject({ code: 'INVALID_CONNECTION', retryable: false });
    expect(envelope.message).toContain('resolves to 169.254.169.254');
  });
});
