import { describe, expect, it } from 'vitest';
import { normalizeApiAddress } from '../src/connection/api-address.js';

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
    ['login.acme.com', 'https://login.acme.com'],
    // "-admin" is the admin console only on Okta's own domains.
    ['sso-admin.acme.com', 'https://sso-admin.acme.com'],
    ['https://acme.okta.com:443/', 'https://acme.okta.com'],
  ];
  for (const [raw, orgUrl] of accepted) {
    it(`${JSON.stringify(raw)} -> ${orgUrl}`, () => {
      expect(normalizeApiAddress(raw)).toMatchObject({ ok: true, orgUrl });
    });
  }
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
