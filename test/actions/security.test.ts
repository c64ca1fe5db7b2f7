import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeUser } from '../helpers/fixtures.js';
import {
  fakeApiToken,
  fakeDynamicZone,
  fakeEventHook,
  fakeIpZone,
  fakeLogEvent,
  fakeOidcIdentityProvider,
  fakeRealm,
  fakeUserType,
} from '../helpers/fixtures-security.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';
import { oktaApiDescription } from '../helpers/openapi.js';

const BLOCKLIST = fakeIpZone();
const POLICY_ZONE = fakeIpZone({
  id: 'nzo1policyZone000g41',
  name: 'Branch Offices',
  usage: 'POLICY',
  system: false,
  gateways: [{ type: 'CIDR', value: '198.51.100.128/25' }],
});
const ADMIN = fakeUser({ id: '00u1adminAAAAAAAAAAA', profile: { login: 'it.admin@example.com' } });

const bodyOf = (index: number) => JSON.parse(recordedRequests()[index]?.body ?? 'null');
const methods = () => recordedRequests().map((r) => r.method);

describe('fixtures of this family look like Okta answers', () => {
  const description = oktaApiDescription();

  it('match the response schemas', () => {
    expect(description.checkResponse('getRealm', 200, fakeRealm())).toEqual([]);
    expect(description.checkResponse('listRealms', 200, [fakeRealm()])).toEqual([]);
    expect(description.checkResponse('getUserType', 200, fakeUserType())).toEqual([]);
    expect(description.checkResponse('listUserTypes', 200, [fakeUserType({ default: true })])).toEqual([]);
    expect(description.checkResponse('getNetworkZone', 200, fakeIpZone())).toEqual([]);
    expect(description.checkResponse('listNetworkZones', 200, [fakeIpZone(), fakeDynamicZone()])).toEqual([]);
    expect(description.checkResponse('listApiTokens', 200, [fakeApiToken()])).toEqual([]);
    expect(description.checkResponse('listIdentityProviders', 200, [fakeOidcIdentityProvider()])).toEqual([]);
    expect(description.checkResponse('listEventHooks', 200, [fakeEventHook()])).toEqual([]);
    expect(description.checkResponse('listLogEvents', 200, [fakeLogEvent()])).toEqual([]);
  });

  it('the checker refuses a broken one', () => {
    expect(description.checkResponse('getNetworkZone', 200, fakeIpZone({ usage: 'SOMETIMES' }))).not.toEqual(
      [],
    );
  });
});

describe('list-log-events', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T09:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('always sends a bounded window (the last hour by default), so Okta never answers as a poll', async () => {
    const queries: Array<Record<string, unknown>> = [];
    oktaMock()
      .get('/api/v1/logs')
      .query((q) => {
        queries.push(q);
        return true;
      })
      .reply(200, [fakeLogEvent()]);
    const result = await execute('list-log-events', { connection, input: {} });
    expect(result).toMatchObject({
      ok: true,
      output: {
        count: 1,
        nextCursor: null,
        since: '2026-11-20T08:00:00.000Z',
        until: '2026-11-20T09:00:00.000Z',
        events: [{ eventType: 'user.session.start' }],
      },
    });
    expect(queries[0]).toEqual({
      since: '2026-11-20T08:00:00.000Z',
      until: '2026-11-20T09:00:00.000Z',
      sortOrder: 'ASCENDING',
      limit: '200',
    });
  });

  it('quotes the event type into the filter and passes keywords', async () => {
    const queries: Array<Record<string, unknown>> = [];
    oktaMock()
      .get('/api/v1/logs')
      .query((q) => {
        queries.push(q);
        return true;
      })
      .reply(200, []);
    const result = await execute('list-log-events', {
      connection,
      input: {
        since: '2026-11-19T00:00:00Z',
        until: '2026-11-20T00:00:00Z',
        eventType: 'user.session.start',
        filter: 'outcome.result eq "FAILURE"',
        keywords: '  jane.doe@example.com   Chrome ',
        sortOrder: 'DESCENDING',
        maxItems: 5000,
      },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 0 } });
    expect(queries[0]).toEqual({
      since: '2026-11-19T00:00:00.000Z',
      until: '2026-11-20T00:00:00.000Z',
      filter: '(eventType eq "user.session.start") and (outcome.result eq "FAILURE")',
      q: 'jane.doe@example.com Chrome',
      sortOrder: 'DESCENDING',
      limit: '1000',
    });
  });

  it('refuses a window that ends before it starts, before any request', async () => {
    const result = await execute('list-log-events', {
      connection,
      input: { since: '2026-11-20T10:00:00Z', until: '2026-11-20T09:00:00Z' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'since' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses more than 10 keywords, before any request', async () => {
    const result = await execute('list-log-events', {
      connection,
      input: { keywords: 'a b c d e f g h i j k' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'keywords' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('follows the log as a polling query: no until, stops when caught up, always a cursor to read on', async () => {
    const queries: Array<Record<string, string>> = [];
    const pollLink = (after: string) => ({
      link: `<${ORG}/api/v1/logs?since=2026-11-20T08%3A00%3A00.000Z&sortOrder=ASCENDING&limit=2&after=${after}>; rel="next"`,
    });
    oktaMock()
      .get('/api/v1/logs')
      .query((q) => {
        queries.push(q as Record<string, string>);
        return true;
      })
      .times(3)
      .reply((uri) => {
        const after = new URL(uri, ORG).searchParams.get('after');
        // A full page, then a short one (caught up): Okta's polling answers always link onwards.
        if (!after)
          return [200, [fakeLogEvent({ uuid: 'e1' }), fakeLogEvent({ uuid: 'e2' })], pollLink('p1')];
        if (after === 'p1') return [200, [fakeLogEvent({ uuid: 'e3' })], pollLink('p2')];
        return [200, [], pollLink('p2')];
      });
    const first = await execute('list-log-events', { connection, input: { follow: true, limit: 2 } });
    expect(first).toMatchObject({
      ok: true,
      output: { count: 3, until: null, since: '2026-11-20T08:00:00.000Z' },
    });
    if (!first.ok) return;
    expect(first.output.events.map((e) => e.uuid)).toEqual(['e1', 'e2', 'e3']);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toEqual({ since: '2026-11-20T08:00:00.000Z', sortOrder: 'ASCENDING', limit: '2' });
    expect(first.output.nextCursor).toEqual(expect.any(String));
    // Nothing new: the poll reads one empty page and still hands back a cursor.
    const again = await execute('list-log-events', {
      connection,
      input: { cursor: first.output.nextCursor ?? '', limit: 2 },
    });
    expect(again).toMatchObject({ ok: true, output: { count: 0, nextCursor: expect.any(String) } });
    expect(queries[2]).toMatchObject({ after: 'p2' });
  });

  it('refuses follow with until or newest first, before any request', async () => {
    const withUntil = await execute('list-log-events', {
      connection,
      input: { follow: true, until: '2026-11-20T09:00:00Z' },
    });
    expect(withUntil).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'until' }] },
    });
    const newestFirst = await execute('list-log-events', {
      connection,
      input: { follow: true, sortOrder: 'DESCENDING' },
    });
    expect(newestFirst).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'sortOrder' }] },
    });
    const tooOld = await execute('list-log-events', {
      connection,
      input: { follow: true, since: '2026-08-01T00:00:00Z' },
    });
    expect(tooOld).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'since' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('reports Okta refusing a filter', async () => {
    oktaMock()
      .get('/api/v1/logs')
      .query(true)
      .reply(400, oktaError('E0000031', 'Invalid search criteria.', ['Invalid filter: near "eqq"']));
    const result = await execute('list-log-events', { connection, input: { filter: 'eventType eqq "x"' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', okta: { errorCode: 'E0000031' } },
    });
  });
});

describe('list-network-zones and get-network-zone', () => {
  it('lists the blocklist zones through a filter, without a page size (Okta answers all)', async () => {
    oktaMock()
      .get('/api/v1/zones')
      .query({ filter: 'usage eq "BLOCKLIST"' })
      .reply(200, [BLOCKLIST, fakeDynamicZone()]);
    const result = await execute('list-network-zones', { connection, input: { usage: 'BLOCKLIST' } });
    expect(result).toMatchObject({ ok: true, output: { count: 2, nextCursor: null } });
    if (!result.ok) return;
    expect(result.output.zones[1]).toMatchObject({ ipServiceCategories: { include: ['ALL_ANONYMIZERS'] } });
  });

  it('maps 403 when listing', async () => {
    oktaMock()
      .get('/api/v1/zones')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-network-zones', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('gets one zone', async () => {
    oktaMock().get(`/api/v1/zones/${BLOCKLIST.id}`).reply(200, BLOCKLIST);
    const result = await execute('get-network-zone', { connection, input: { zoneId: BLOCKLIST.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: BLOCKLIST.id,
        type: 'IP',
        usage: 'BLOCKLIST',
        system: true,
        zone: { gateways: BLOCKLIST.gateways },
      },
    });
  });

  it('maps 404 for an unknown zone', async () => {
    oktaMock()
      .get(`/api/v1/zones/${BLOCKLIST.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${BLOCKLIST.id} (NetworkZone)`));
    const result = await execute('get-network-zone', { connection, input: { zoneId: BLOCKLIST.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('block-ip-addresses', () => {
  const blocklists = (zones: unknown[]) =>
    oktaMock().get('/api/v1/zones').query({ filter: 'usage eq "BLOCKLIST"' }).reply(200, zones);
  const answerPut = () =>
    oktaMock()
      .put(`/api/v1/zones/${BLOCKLIST.id}`)
      .reply(200, (_uri, body) => ({ ...BLOCKLIST, ...(body as object) }));

  it("appends to the org's system blocklist zone, keeping every entry and the zone's settings", async () => {
    const custom = fakeIpZone({ id: 'nzo1customBlock00g41', name: 'Attackers', system: false });
    blocklists([fakeDynamicZone(), custom, BLOCKLIST]);
    answerPut();
    const result = await execute('block-ip-addresses', {
      connection,
      input: { addresses: ['203.0.113.45', '198.51.100.0/24'] },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        zoneId: BLOCKLIST.id,
        zoneName: 'BlockedIpZone',
        added: ['203.0.113.45', '198.51.100.0/24'],
        alreadyBlocked: [],
        entryCount: 4,
        changed: true,
      },
    });
    expect(bodyOf(1)).toEqual({
      type: 'IP',
      name: 'BlockedIpZone',
      usage: 'BLOCKLIST',
      status: 'ACTIVE',
      gateways: [
        { type: 'RANGE', value: '192.0.2.66' },
        { type: 'CIDR', value: '2001:db8:bad::/48' },
        { type: 'RANGE', value: '203.0.113.45' },
        { type: 'CIDR', value: '198.51.100.0/24' },
      ],
    });
  });

  it('leaves covered addresses out, however they are written; all covered sends nothing', async () => {
    oktaMock().get(`/api/v1/zones/${BLOCKLIST.id}`).reply(200, BLOCKLIST);
    const result = await execute('block-ip-addresses', {
      connection,
      input: {
        zoneId: BLOCKLIST.id,
        addresses: ['192.0.2.66/32', '2001:DB8:BAD:0::7', '2001:db8:bad:ff00::/56'],
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        changed: false,
        added: [],
        alreadyBlocked: [
          { address: '192.0.2.66/32', blockedBy: '192.0.2.66' },
          { address: '2001:DB8:BAD:0::7', blockedBy: '2001:db8:bad::/48' },
          { address: '2001:db8:bad:ff00::/56', blockedBy: '2001:db8:bad::/48' },
        ],
      },
    });
    expect(methods()).toEqual(['GET']);
  });

  it('adds a wider range once and reports the narrower address it covers', async () => {
    oktaMock().get(`/api/v1/zones/${BLOCKLIST.id}`).reply(200, BLOCKLIST);
    answerPut();
    const result = await execute('block-ip-addresses', {
      connection,
      input: { zoneId: BLOCKLIST.id, addresses: ['198.51.100.7', '198.51.100.0/24', '198.51.100.7'] },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        added: ['198.51.100.0/24'],
        alreadyBlocked: [{ address: '198.51.100.7', blockedBy: '198.51.100.0/24' }],
      },
    });
  });

  it('refuses invalid addresses, naming each, before any request', async () => {
    const result = await execute('block-ip-addresses', {
      connection,
      input: { addresses: ['203.0.113.300', '10.0.0.5/24', '192.0.2.1/33', 'fe80::1%eth0'] },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'addresses' }] },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('"203.0.113.300" is not an IP address');
    expect(result.error.message).toContain('did you mean 10.0.0.0/24?');
    expect(result.error.message).toContain('"192.0.2.1/33" has an invalid prefix length');
    expect(result.error.message).toContain('fe80::1%eth0');
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a zone that is not a blocklist as CONFLICT', async () => {
    oktaMock().get(`/api/v1/zones/${POLICY_ZONE.id}`).reply(200, POLICY_ZONE);
    const result = await execute('block-ip-addresses', {
      connection,
      input: { zoneId: POLICY_ZONE.id, addresses: ['203.0.113.45'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Branch Offices');
    expect(methods()).toEqual(['GET']);
  });

  it('refuses a dynamic blocklist zone as CONFLICT', async () => {
    const dynamic = fakeDynamicZone();
    oktaMock().get(`/api/v1/zones/${dynamic.id}`).reply(200, dynamic);
    const result = await execute('block-ip-addresses', {
      connection,
      input: { zoneId: dynamic.id, addresses: ['203.0.113.45'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('never picks an inactive blocklist silently, and says when there is none', async () => {
    blocklists([fakeIpZone({ status: 'INACTIVE' })]);
    const inactive = await execute('block-ip-addresses', {
      connection,
      input: { addresses: ['203.0.113.45'] },
    });
    expect(inactive).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    blocklists([fakeDynamicZone()]);
    const none = await execute('block-ip-addresses', { connection, input: { addresses: ['203.0.113.45'] } });
    expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(methods()).toEqual(['GET', 'GET']);
  });

  it("reports Okta's refusal of the new zone (400) as invalid input", async () => {
    oktaMock().get(`/api/v1/zones/${BLOCKLIST.id}`).reply(200, BLOCKLIST);
    oktaMock()
      .put(`/api/v1/zones/${BLOCKLIST.id}`)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: gateways', [
          'gateways: This zone can hold at most 1000 gateway and proxy entries',
        ]),
      );
    const result = await execute('block-ip-addresses', {
      connection,
      input: { zoneId: BLOCKLIST.id, addresses: ['203.0.113.45'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
  });
});

describe('unblock-ip-addresses', () => {
  const zone = fakeIpZone({
    gateways: [
      { type: 'RANGE', value: '192.0.2.66' },
      { type: 'CIDR', value: '2001:db8:bad::/48' },
      { type: 'RANGE', value: '203.0.113.10-203.0.113.20' },
      { type: 'CIDR', value: '198.51.100.0/24' },
      { type: 'RANGE', value: '198.51.100.7' },
    ],
  });

  it('removes exactly the given entries, keeps the rest, and names what stays blocked', async () => {
    oktaMock().get(`/api/v1/zones/${zone.id}`).reply(200, zone);
    oktaMock()
      .put(`/api/v1/zones/${zone.id}`)
      .reply(200, (_uri, body) => ({ ...zone, ...(body as object) }));
    const result = await execute('unblock-ip-addresses', {
      connection,
      input: {
        zoneId: zone.id,
        addresses: ['192.0.2.66/32', '198.51.100.7', '2001:db8:bad::1', '203.0.113.99'],
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        removed: ['192.0.2.66', '198.51.100.7'],
        stillBlocked: [
          { address: '198.51.100.7', blockedBy: '198.51.100.0/24' },
          { address: '2001:db8:bad::1', blockedBy: '2001:db8:bad::/48' },
        ],
        notBlocked: ['203.0.113.99'],
        entryCount: 3,
        changed: true,
      },
    });
    expect(bodyOf(1).gateways).toEqual([
      { type: 'CIDR', value: '2001:db8:bad::/48' },
      { type: 'RANGE', value: '203.0.113.10-203.0.113.20' },
      { type: 'CIDR', value: '198.51.100.0/24' },
    ]);
  });

  it('sends nothing when no given address is an entry of the zone', async () => {
    oktaMock().get(`/api/v1/zones/${zone.id}`).reply(200, zone);
    const result = await execute('unblock-ip-addresses', {
      connection,
      input: { zoneId: zone.id, addresses: ['203.0.113.15', '192.0.2.1'] },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        changed: false,
        removed: [],
        notBlocked: ['192.0.2.1'],
        stillBlocked: [{ address: '203.0.113.15', blockedBy: '203.0.113.10-203.0.113.20' }],
      },
    });
    expect(methods()).toEqual(['GET']);
  });

  it('maps 404 for an unknown zone', async () => {
    oktaMock()
      .get(`/api/v1/zones/${zone.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${zone.id} (NetworkZone)`));
    const result = await execute('unblock-ip-addresses', {
      connection,
      input: { zoneId: zone.id, addresses: ['192.0.2.66'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses an invalid address before any request', async () => {
    const result = await execute('unblock-ip-addresses', { connection, input: { addresses: ['not-an-ip'] } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('list-api-tokens', () => {
  it('lists token metadata', async () => {
    oktaMock().get('/api/v1/api-tokens').reply(200, [fakeApiToken()]);
    const result = await execute('list-api-tokens', { connection, input: {} });
    expect(result).toMatchObject({
      ok: true,
      output: { count: 1, nextCursor: null, tokens: [{ id: '00Tabcdefg1234567890', name: 'SIEM export' }] },
    });
  });

  it('maps 403', async () => {
    oktaMock()
      .get('/api/v1/api-tokens')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-api-tokens', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('revoke-api-token', () => {
  const OTHER = fakeApiToken();
  const OWN = fakeApiToken({ id: '00Townadmintoken0001', name: 'Automation', userId: ADMIN.id });

  it("revokes another admin's token", async () => {
    oktaMock().get('/api/v1/api-tokens').reply(200, [OTHER, OWN]);
    oktaMock().get('/api/v1/users/me').reply(200, ADMIN);
    oktaMock().delete(`/api/v1/api-tokens/${OTHER.id}`).reply(204);
    const result = await execute('revoke-api-token', { connection, input: { apiTokenId: OTHER.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: OTHER.id, name: 'SIEM export', ownAdminToken: false, revoked: true, changed: true },
    });
  });

  it("refuses the connection admin's only token: it is the connection's own", async () => {
    oktaMock().get('/api/v1/api-tokens').reply(200, [OTHER, OWN]);
    oktaMock().get('/api/v1/users/me').reply(200, ADMIN);
    const result = await execute('revoke-api-token', { connection, input: { apiTokenId: OWN.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('it is the token this connection uses');
    expect(methods()).toEqual(['GET', 'GET']);
  });

  it('revokes a token of the same admin when allowed', async () => {
    oktaMock().get('/api/v1/api-tokens').reply(200, [OWN]);
    oktaMock().get('/api/v1/users/me').reply(200, ADMIN);
    oktaMock().delete(`/api/v1/api-tokens/${OWN.id}`).reply(204);
    const result = await execute('revoke-api-token', {
      connection,
      input: { apiTokenId: OWN.id, allowOwnAdminToken: true },
    });
    expect(result).toMatchObject({ ok: true, output: { ownAdminToken: true, changed: true } });
  });

  it('says NOT_FOUND for a token not in the list, or changed false with missingOk', async () => {
    oktaMock().get('/api/v1/api-tokens').times(2).reply(200, [OTHER]);
    const missing = await execute('revoke-api-token', { connection, input: { apiTokenId: OWN.id } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const tolerated = await execute('revoke-api-token', {
      connection,
      input: { apiTokenId: OWN.id, missingOk: true },
    });
    expect(tolerated).toMatchObject({ ok: true, output: { name: null, changed: false } });
  });

  it('maps a 403 on the revoke', async () => {
    oktaMock().get('/api/v1/api-tokens').reply(200, [OTHER]);
    oktaMock().get('/api/v1/users/me').reply(200, ADMIN);
    oktaMock()
      .delete(`/api/v1/api-tokens/${OTHER.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('revoke-api-token', { connection, input: { apiTokenId: OTHER.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('list-identity-providers', () => {
  it('filters by name and type and never returns a client secret', async () => {
    oktaMock()
      .get('/api/v1/idps')
      .query({ q: 'Goo', type: 'GOOGLE', limit: '200' })
      .reply(200, [fakeOidcIdentityProvider()], {
        link: `<${ORG}/api/v1/idps?q=Goo&type=GOOGLE&limit=200>; rel="self"`,
      });
    const result = await execute('list-identity-providers', {
      connection,
      input: { name: 'Goo', type: 'GOOGLE' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        count: 1,
        identityProviders: [
          {
            name: 'Google Workspace',
            protocol: { credentials: { client: { client_id: expect.any(String) } } },
          },
        ],
      },
    });
    expect(JSON.stringify(result)).not.toContain('GOCSPX-FixtureClientSecret0001');
  });

  it('refuses an unknown type before any request', async () => {
    const result = await execute('list-identity-providers', {
      connection,
      input: { type: 'google' } as never,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'type' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps 403', async () => {
    oktaMock()
      .get('/api/v1/idps')
      .query(true)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-identity-providers', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
