import { describe, expect, it } from 'vitest';
import {
  onApiTokenRevoked,
  registerApiToken,
  securityOf,
} from '../../src/sandbox/resources/security/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { ADMIN_LOGIN } from '../../src/sandbox/seed.js';
import { type RawAnswer, sandboxClient, takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const context = useSandbox();

interface Zone {
  id: string;
  name: string;
  type: string;
  usage: string;
  status: string;
  system: boolean;
  gateways?: Array<{ type: string; value: string }> | null;
  proxies?: Array<{ type: string; value: string }> | null;
  [key: string]: unknown;
}

async function zones(query = ''): Promise<Zone[]> {
  const answer = await context.api.get(`/api/v1/zones${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function zoneNamed(name: string): Promise<Zone> {
  const zone = (await zones()).find((z) => z.name === name);
  expect(zone, name).toBeDefined();
  return zone!;
}

/** The zone as a client would PUT it back: without the read-only parts. */
function editable(zone: Zone): Record<string, unknown> {
  const { id, created, lastUpdated, system, _links, ...rest } = zone;
  return rest;
}

function nextLink(answer: RawAnswer): string | undefined {
  const href = /<([^>]+)>; rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
  return href?.replace(context.sandbox.url, '');
}

function expectValidationError(answer: RawAnswer, causeFragment: string) {
  expect(answer.status).toBe(400);
  expect(answer.body.errorCode).toBe('E0000001');
  expect(
    answer.body.errorCauses.map((cause: { errorSummary: string }) => cause.errorSummary).join('\n'),
  ).toContain(causeFragment);
}

function eventTypes(): string[] {
  return context.sandbox.org.log.eventTypes();
}

describe('listNetworkZones', () => {
  it("lists the system zones and the admin's zone in creation order, unpaged by default", async () => {
    const answer = await context.api.get('/api/v1/zones');
    expect(answer.status).toBe(200);
    expect(answer.body.map((zone: Zone) => [zone.name, zone.type, zone.usage, zone.system])).toEqual([
      ['LegacyIpZone', 'IP', 'POLICY', true],
      ['BlockedIpZone', 'IP', 'BLOCKLIST', true],
      ['DefaultEnhancedDynamicZone', 'DYNAMIC_V2', 'BLOCKLIST', true],
      ['Branch Offices', 'IP', 'POLICY', false],
    ]);
    expect(answer.headers.get('link')).toContain('rel="self"');
    expect(nextLink(answer)).toBeUndefined();
    const [legacy, , dynamic] = answer.body as Zone[];
    expect(legacy!.gateways).toContainEqual({ type: 'CIDR', value: '203.0.113.0/24' });
    expect(legacy!.proxies).toHaveLength(1);
    expect(legacy!.id).toMatch(/^nzo/);
    expect(dynamic).toMatchObject({
      status: 'INACTIVE',
      ipServiceCategories: { include: ['ALL_ANONYMIZERS'], exclude: [] },
    });
    expect((dynamic!._links as Record<string, unknown>).activate).toBeDefined();
  });

  it('filters on usage, system and id, as Okta supports', async () => {
    const blocklists = await zones(`?filter=${encodeURIComponent('usage eq "BLOCKLIST"')}`);
    expect(blocklists.map((z) => z.name)).toEqual(['BlockedIpZone', 'DefaultEnhancedDynamicZone']);
    const custom = await zones(`?filter=${encodeURIComponent('system eq false')}`);
    expect(custom.map((z) => z.name)).toEqual(['Branch Offices']);
    const all = await zones();
    const byIds = await zones(
      `?filter=${encodeURIComponent(`(id eq "${all[0]!.id}" or id eq "${all[3]!.id}")`)}`,
    );
    expect(byIds.map((z) => z.name)).toEqual(['LegacyIpZone', 'Branch Offices']);
  });

  it('refuses a filter on an attribute Okta does not filter on with 400 E0000031', async () => {
    const answer = await context.api.get(`/api/v1/zones?filter=${encodeURIComponent('type eq "IP"')}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('E0000031');
  });

  it('pages with limit and after; limit=-1 means every zone', async () => {
    const first = await context.api.get('/api/v1/zones?limit=3');
    expect(first.body).toHaveLength(3);
    const next = nextLink(first);
    expect(next).toBeDefined();
    const second = await context.api.get(next!);
    expect(second.body.map((zone: Zone) => zone.name)).toEqual(['Branch Offices']);
    expect(nextLink(second)).toBeUndefined();
    expect(await zones('?limit=-1')).toHaveLength(4);
  });
});

describe('getNetworkZone', () => {
  it('answers the zone, or 404 E0000007 naming a NetworkZone', async () => {
    const blocked = await zoneNamed('BlockedIpZone');
    const answer = await context.api.get(`/api/v1/zones/${blocked.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(blocked);
    const missing = await context.api.get('/api/v1/zones/nzo0000000000unknown');
    expect(missing.status).toBe(404);
    expect(missing.body.errorCode).toBe('E0000007');
    expect(missing.body.errorSummary).toBe(
      'Not found: Resource not found: nzo0000000000unknown (NetworkZone)',
    );
  });
});

describe('replaceNetworkZone', () => {
  it('appends and removes blocklist addresses (what block/unblock IP do), logging zone.update', async () => {
    const blocked = await zoneNamed('BlockedIpZone');
    const added = { type: 'RANGE', value: '192.0.2.10-192.0.2.20' };
    const put = await context.api.put(`/api/v1/zones/${blocked.id}`, {
      ...editable(blocked),
      gateways: [...(blocked.gateways ?? []), added],
    });
    expect(put.status).toBe(200);
    expect(put.body.gateways).toContainEqual(added);
    expect((await context.api.get(`/api/v1/zones/${blocked.id}`)).body.gateways).toContainEqual(added);
    expect(eventTypes()).toContain('zone.update');

    const removed = await context.api.put(`/api/v1/zones/${blocked.id}`, {
      ...editable(blocked),
      gateways: blocked.gateways,
    });
    expect(removed.body.gateways).toEqual(blocked.gateways);
  });

  it('accepts single addresses, ranges and CIDR blocks of IPv4 and IPv6', async () => {
    const legacy = await zoneNamed('LegacyIpZone');
    const gateways = [
      { type: 'RANGE', value: '203.0.113.7' },
      { type: 'RANGE', value: '2001:db8::1-2001:db8::ff' },
      { type: 'CIDR', value: '2001:db8:1::/64' },
      { type: 'CIDR', value: '198.51.100.0/24' },
    ];
    const answer = await context.api.put(`/api/v1/zones/${legacy.id}`, { ...editable(legacy), gateways });
    expect(answer.status).toBe(200);
    expect(answer.body.gateways).toEqual(gateways);
  });

  it.each([
    [{ type: 'RANGE', value: '300.1.1.1' }, 'is not a valid IP address or range'],
    [{ type: 'CIDR', value: '10.0.0.0/33' }, 'is not a valid CIDR block'],
    [{ type: 'CIDR', value: '10.0.0.1' }, 'is not a valid CIDR block'],
    [{ type: 'RANGE', value: '10.0.0.9-10.0.0.1' }, 'starts after it ends'],
    [{ type: 'RANGE', value: '10.0.0.1-2001:db8::1' }, 'mixes IPv4 and IPv6'],
    [{ type: 'SUBNET', value: '10.0.0.0/8' }, 'type: must be CIDR or RANGE'],
  ])('refuses the gateway %j with 400 E0000001', async (gateway, cause) => {
    const blocked = await zoneNamed('BlockedIpZone');
    const answer = await context.api.put(`/api/v1/zones/${blocked.id}`, {
      ...editable(blocked),
      gateways: [gateway],
    });
    expectValidationError(answer, `gateways[0]: `);
    expectValidationError(answer, cause);
  });

  it("refuses to change a zone's type, or a system zone's usage", async () => {
    const legacy = await zoneNamed('LegacyIpZone');
    expectValidationError(
      await context.api.put(`/api/v1/zones/${legacy.id}`, { ...editable(legacy), type: 'DYNAMIC' }),
      'type cannot be changed',
    );
    expectValidationError(
      await context.api.put(`/api/v1/zones/${legacy.id}`, { ...editable(legacy), usage: 'BLOCKLIST' }),
      'cannot be changed',
    );
  });

  it("turns an admin's zone into a blocklist (zone.make_blacklist), where proxies are not allowed", async () => {
    const branch = await zoneNamed('Branch Offices');
    const withProxy = await context.api.put(`/api/v1/zones/${branch.id}`, {
      ...editable(branch),
      usage: 'BLOCKLIST',
      proxies: [{ type: 'RANGE', value: '198.51.100.250' }],
    });
    expectValidationError(withProxy, 'Proxies cannot be set');
    const answer = await context.api.put(`/api/v1/zones/${branch.id}`, {
      ...editable(branch),
      usage: 'BLOCKLIST',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.usage).toBe('BLOCKLIST');
    expect(eventTypes()).toEqual(expect.arrayContaining(['zone.update', 'zone.make_blacklist']));
  });

  it("enforces Okta's entry limits: at least one address in an admin's zone, at most 150", async () => {
    const branch = await zoneNamed('Branch Offices');
    expectValidationError(
      await context.api.put(`/api/v1/zones/${branch.id}`, { ...editable(branch), gateways: [] }),
      'at least one gateway or proxy',
    );
    const many = Array.from({ length: 151 }, (_, i) => ({
      type: 'RANGE',
      value: `10.0.${i >> 8}.${i & 255}`,
    }));
    expectValidationError(
      await context.api.put(`/api/v1/zones/${branch.id}`, { ...editable(branch), gateways: many }),
      'at most 150',
    );
    // A system zone may hold far more.
    const legacy = await zoneNamed('LegacyIpZone');
    const accepted = await context.api.put(`/api/v1/zones/${legacy.id}`, {
      ...editable(legacy),
      gateways: many,
    });
    expect(accepted.status).toBe(200);
  });

  it('refuses a name another zone has', async () => {
    const branch = await zoneNamed('Branch Offices');
    expectValidationError(
      await context.api.put(`/api/v1/zones/${branch.id}`, { ...editable(branch), name: 'LegacyIpZone' }),
      'already exists',
    );
  });

  it('lets the DefaultEnhancedDynamicZone change its IP service categories only', async () => {
    const dynamic = await zoneNamed('DefaultEnhancedDynamicZone');
    const categories = { include: ['ALL_ANONYMIZERS', 'NORD_VPN'], exclude: ['APPLE_ICLOUD_RELAY_PROXY'] };
    const answer = await context.api.put(`/api/v1/zones/${dynamic.id}`, {
      ...editable(dynamic),
      ipServiceCategories: categories,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.ipServiceCategories).toEqual(categories);
    expect(answer.body.status).toBe('INACTIVE');

    expectValidationError(
      await context.api.put(`/api/v1/zones/${dynamic.id}`, { ...editable(dynamic), name: 'Anonymizers' }),
      'cannot be renamed',
    );
    expectValidationError(
      await context.api.put(`/api/v1/zones/${dynamic.id}`, {
        ...editable(dynamic),
        locations: { include: [{ country: 'US' }], exclude: [] },
      }),
      'locations cannot be added',
    );
    expectValidationError(
      await context.api.put(`/api/v1/zones/${dynamic.id}`, {
        ...editable(dynamic),
        ipServiceCategories: { include: ['FREE_WIFI'], exclude: [] },
      }),
      'is not an IP service category',
    );
  });

  it('answers 400 from the API description for a body without a name, and 404 for an unknown zone', async () => {
    const blocked = await zoneNamed('BlockedIpZone');
    const { name, ...nameless } = editable(blocked);
    const invalid = await context.api.put(`/api/v1/zones/${blocked.id}`, nameless);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errorSummary).toBe('Api validation failed: replaceNetworkZone');
    const missing = await context.api.put('/api/v1/zones/nzo0000000000unknown', editable(blocked));
    expect(missing.status).toBe(404);
    expect(missing.body.errorSummary).toContain('(NetworkZone)');
    expect(takeRequestViolations(context.sandbox)).toEqual([
      expect.stringContaining("(replaceNetworkZone) body: must have required property 'name'"),
    ]);
  });
});

describe('API tokens', () => {
  function adminId(): string {
    return findUser(context.sandbox.org, ADMIN_LOGIN)!.id;
  }

  it('lists the metadata of the tokens the sandbox accepts, never the token itself', async () => {
    context.sandbox.addToken('00AutomationTokenForTests000000000000000');
    const answer = await context.api.get('/api/v1/api-tokens');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      expect.objectContaining({
        name: 'Sandbox admin token',
        userId: adminId(),
        clientName: 'Okta API',
        tokenWindow: 'P30D',
        network: { connection: 'ANYWHERE' },
      }),
      expect.objectContaining({ name: 'Sandbox API token', userId: adminId() }),
    ]);
    expect(answer.body[0].id).toMatch(/^00T/);
    expect(new Date(answer.body[0].expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify(answer.body)).not.toContain(context.sandbox.token);
    expect(JSON.stringify(answer.body)).not.toContain('00AutomationTokenForTests');
  });

  it('revokes a token: gone from the list, refused from then on with 401 E0000011, system.api_token.revoke logged', async () => {
    const other = '00AutomationTokenForTests000000000000000';
    context.sandbox.addToken(other);
    expect((await sandboxClient(context.sandbox, other).get('/api/v1/zones')).status).toBe(200);
    const listed = (await context.api.get('/api/v1/api-tokens')).body as Array<{ id: string; name: string }>;
    const answer = await context.api.delete(`/api/v1/api-tokens/${listed[1]!.id}`);
    expect(answer.status).toBe(204);
    expect(await sandboxClient(context.sandbox, other).get('/api/v1/zones')).toMatchObject({
      status: 401,
      body: { errorCode: 'E0000011' },
    });
    expect((await context.api.get('/api/v1/api-tokens')).body.map((t: { name: string }) => t.name)).toEqual([
      'Sandbox admin token',
    ]);
    expect(eventTypes()).toContain('system.api_token.revoke');
    expect(JSON.stringify(context.sandbox.org.log.events)).not.toContain(other);
  });

  it('answers 404 E0000007 for an unknown token', async () => {
    const answer = await context.api.delete('/api/v1/api-tokens/00T0000000000unknown');
    expect(answer.status).toBe(404);
    expect(answer.body.errorSummary).toBe('Not found: Resource not found: 00T0000000000unknown (ApiToken)');
  });

  it("revokes a user's tokens when the user is deactivated (a token dies with its admin)", async () => {
    const refused: string[] = [];
    onApiTokenRevoked(context.sandbox.org, (secret) => refused.push(secret));
    const jane = (await context.api.get('/api/v1/users/jane.doe@example.com')).body.id;
    registerApiToken(context.sandbox.org, 'janes-token', { userId: jane, name: "Jane's script" });
    await context.api.post(`/api/v1/users/${jane}/lifecycle/deactivate`);
    expect(refused).toEqual(['janes-token']);
    await context.api.delete(`/api/v1/users/${jane}`);
    const owners = [...securityOf(context.sandbox.org).apiTokens.values()].map((token) => token.userId);
    expect(owners).not.toContain(jane);
  });
});

describe('listIdentityProviders', () => {
  it('lists the Google and SAML identity providers without their secrets', async () => {
    const answer = await context.api.get('/api/v1/idps');
    expect(answer.status).toBe(200);
    expect(answer.body.map((idp: { name: string; type: string }) => [idp.name, idp.type])).toEqual([
      ['Google Workspace', 'GOOGLE'],
      ['Partner SAML IdP', 'SAML2'],
    ]);
    const [google, saml] = answer.body;
    expect(google.protocol.type).toBe('OIDC');
    expect(google.protocol.credentials.client.client_secret).toBeUndefined();
    expect(google._links.authorize.templated).toBe(true);
    expect(saml.protocol.type).toBe('SAML2');
    expect(saml._links.metadata.href).toBe(`${context.sandbox.url}/api/v1/idps/${saml.id}/metadata.xml`);
  });

  it('filters on type and on the start of the name (q, any case)', async () => {
    const names = async (query: string) =>
      (await context.api.get(`/api/v1/idps${query}`)).body.map((idp: { name: string }) => idp.name);
    expect(await names('?type=GOOGLE')).toEqual(['Google Workspace']);
    expect(await names('?type=SAML2')).toEqual(['Partner SAML IdP']);
    expect(await names('?type=FACEBOOK')).toEqual([]);
    expect(await names('?q=goo')).toEqual(['Google Workspace']);
    expect(await names('?q=PARTNER')).toEqual(['Partner SAML IdP']);
    expect(await names('?q=saml')).toEqual([]);
  });

  it('pages with limit and the next link', async () => {
    const first = await context.api.get('/api/v1/idps?limit=1');
    expect(first.body.map((idp: { name: string }) => idp.name)).toEqual(['Google Workspace']);
    const second = await context.api.get(nextLink(first)!);
    expect(second.body.map((idp: { name: string }) => idp.name)).toEqual(['Partner SAML IdP']);
    expect(nextLink(second)).toBeUndefined();
  });

  it('answers 400 for an unknown type or a limit above 200', async () => {
    expect((await context.api.get('/api/v1/idps?type=MYSPACE')).status).toBe(400);
    expect((await context.api.get('/api/v1/idps?limit=201')).status).toBe(400);
    expect(takeRequestViolations(context.sandbox)).toEqual([
      'GET /api/v1/idps (listIdentityProviders) query parameter "type": must be equal to one of the allowed values',
      'GET /api/v1/idps (listIdentityProviders) query parameter "limit": must be <= 200',
    ]);
  });
});
