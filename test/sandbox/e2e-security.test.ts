/**
 * Realms, user types, security objects, the System Log and event hooks end to end: every action through
 * execute(), the real SDK and real HTTP against the sandbox, which refuses any request that breaks Okta's
 * API description.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { eventHooksOf } from '../../src/sandbox/resources/event-hooks/model.js';
import { realmsOf } from '../../src/sandbox/resources/realms/model.js';
import { registerApiToken, securityOf } from '../../src/sandbox/resources/security/model.js';
import { userTypesOf } from '../../src/sandbox/resources/user-types/model.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions } from '../helpers/sandbox-actions.js';
import { userIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

function realmIdOf(sandbox: Sandbox, name: string): string {
  const realm = [...realmsOf(sandbox.org).byId.values()].find((r) => r.profile.name === name);
  if (!realm) throw new Error(`no sandbox realm ${name}`);
  return realm.id;
}

function userTypeIdOf(sandbox: Sandbox, name: string): string {
  const type = [...userTypesOf(sandbox.org).values()].find((t) => t.name === name);
  if (!type) throw new Error(`no sandbox user type ${name}`);
  return type.id;
}

function zoneOf(sandbox: Sandbox, name: string) {
  const zone = [...securityOf(sandbox.org).zones.values()].find((z) => z.name === name);
  if (!zone) throw new Error(`no sandbox zone ${name}`);
  return zone;
}

/** The seeded hook: ACTIVE and VERIFIED, for a (fictional) SIEM. */
function seededHookId(sandbox: Sandbox): string {
  const hook = [...eventHooksOf(sandbox.org).byId.values()].find(
    (h) => h.name === 'SIEM user lifecycle feed',
  );
  if (!hook) throw new Error('no seeded event hook');
  return hook.id;
}

async function deactivateSeededHook(sandbox: Sandbox): Promise<string> {
  const hookId = seededHookId(sandbox);
  const answer = await sandboxClient(sandbox).post(`/api/v1/eventHooks/${hookId}/lifecycle/deactivate`);
  expect(answer.status).toBe(200);
  return hookId;
}

/** A token of another admin (Jane), which this connection does not use. */
function otherAdminsToken(sandbox: Sandbox): string {
  return registerApiToken(sandbox.org, '00JanesOwnAutomationToken000000000000000', {
    userId: userIdOf(sandbox, 'jane.doe@example.com'),
    name: "Jane's automation",
  }).id;
}

/** Local endpoints that answer Okta's verification challenge, closed after each test. */
const receivers: Server[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function challengeEchoEndpoint(): Promise<string> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ verification: request.headers['x-okta-verification-challenge'] }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  receivers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`;
}

/** An UNVERIFIED hook at a local endpoint (made through the API: the action itself takes HTTPS only). */
async function unverifiedLocalHook(sandbox: Sandbox): Promise<string> {
  const answer = await sandboxClient(sandbox).post('/api/v1/eventHooks', {
    name: 'Local receiver',
    events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
    channel: { type: 'HTTP', version: '1.0.0', config: { uri: await challengeEchoEndpoint() } },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.id;
}

describe('realms, user types, security and event hooks: changes', () => {
  mutationScenarios([
    mutation({
      key: 'create-realm',
      input: async () => ({
        name: 'Acme Logistics',
        realmType: 'PARTNER',
        domains: ['acme-logistics.example.com'],
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'Acme Logistics', realmType: 'PARTNER', isDefault: false });
        expect(realmsOf(sandbox.org).byId.get(output.id)?.profile.domains).toEqual([
          'acme-logistics.example.com',
        ]);
      },
    }),
    mutation({
      key: 'update-realm',
      input: async (sandbox) => ({
        realmId: realmIdOf(sandbox, 'Partners'),
        name: 'Partners (EMEA)',
        domains: [],
      }),
      expectOutput: (output, sandbox) => {
        expect(output.changedFields).toEqual(['name', 'domains']);
        // Okta's PUT replaces the profile: the realm type, not in the input, was sent back and survives.
        expect(realmsOf(sandbox.org).byId.get(output.id)?.profile).toEqual({
          name: 'Partners (EMEA)',
          realmType: 'PARTNER',
          domains: [],
        });
      },
    }),
    mutation({
      key: 'delete-realm',
      input: async (sandbox) => ({ realmId: realmIdOf(sandbox, 'Partners'), missingOk: true }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'Partners', deleted: true });
        expect(realmsOf(sandbox.org).byId.has(output.id)).toBe(false);
      },
    }),
    mutation({
      key: 'create-user-type',
      input: async () => ({ name: 'vendor', displayName: 'Vendor', description: 'Staff of our vendors' }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'vendor', isDefault: false, userType: { default: false } });
        expect(userTypesOf(sandbox.org).get(output.id)?.displayName).toBe('Vendor');
      },
    }),
    mutation({
      key: 'update-user-type',
      input: async (sandbox) => ({
        typeId: userTypeIdOf(sandbox, 'contractor'),
        displayName: 'External contractor',
      }),
      expectOutput: (output, sandbox) => {
        expect(output.changedFields).toEqual(['displayName']);
        expect(userTypesOf(sandbox.org).get(output.id)).toMatchObject({
          displayName: 'External contractor',
          description: 'External staff on a fixed-term contract',
        });
      },
    }),
    mutation({
      key: 'replace-user-type',
      input: async (sandbox) => ({ typeId: userTypeIdOf(sandbox, 'contractor'), displayName: 'Contractor' }),
      expectOutput: (output, sandbox) => {
        expect(output.changedFields).toEqual(['description']);
        expect(userTypesOf(sandbox.org).get(output.id)?.description).toBe('');
      },
    }),
    mutation({
      key: 'delete-user-type',
      input: async (sandbox) => ({ typeId: userTypeIdOf(sandbox, 'contractor'), missingOk: true }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'contractor', deleted: true });
        expect(userTypesOf(sandbox.org).has(output.id)).toBe(false);
      },
    }),
    mutation({
      key: 'block-ip-addresses',
      input: async () => ({ addresses: ['203.0.113.45', '198.51.100.0/24', '192.0.2.66'] }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({
          zoneName: 'BlockedIpZone',
          added: ['203.0.113.45', '198.51.100.0/24'],
          alreadyBlocked: [{ address: '192.0.2.66', blockedBy: '192.0.2.66' }],
          entryCount: 4,
        });
        expect(zoneOf(sandbox, 'BlockedIpZone').gateways?.map((entry) => entry.value)).toEqual([
          '192.0.2.66',
          '2001:db8:bad::/48',
          '203.0.113.45',
          '198.51.100.0/24',
        ]);
      },
    }),
    mutation({
      key: 'unblock-ip-addresses',
      input: async () => ({ addresses: ['192.0.2.66', '2001:db8:bad::5'] }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({
          removed: ['192.0.2.66'],
          stillBlocked: [{ address: '2001:db8:bad::5', blockedBy: '2001:db8:bad::/48' }],
          entryCount: 1,
        });
        expect(zoneOf(sandbox, 'BlockedIpZone').gateways).toEqual([
          { type: 'CIDR', value: '2001:db8:bad::/48' },
        ]);
      },
    }),
    mutation({
      key: 'revoke-api-token',
      input: async (sandbox) => ({ apiTokenId: otherAdminsToken(sandbox), missingOk: true }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: "Jane's automation", ownAdminToken: false, revoked: true });
        expect(securityOf(sandbox.org).apiTokens.has(output.id)).toBe(false);
      },
    }),
    mutation({
      key: 'create-event-hook',
      input: async () => ({
        name: 'Deprovisioning feed',
        uri: 'https://hr.example.com/okta/deprovisioned',
        eventTypes: ['user.lifecycle.deactivate'],
        authHeaderName: 'X-Api-Key',
        authHeaderValue: 'hook-secret-for-the-sandbox-0001',
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ status: 'ACTIVE', verificationStatus: 'UNVERIFIED' });
        expect(JSON.stringify(output)).not.toContain('hook-secret');
        expect(eventHooksOf(sandbox.org).byId.get(output.id)?.authScheme).toEqual({
          type: 'HEADER',
          key: 'X-Api-Key',
          value: 'hook-secret-for-the-sandbox-0001',
        });
      },
    }),
    mutation({
      key: 'verify-event-hook',
      input: async (sandbox) => ({ eventHookId: await unverifiedLocalHook(sandbox) }),
      expectOutput: (output) =>
        expect(output).toMatchObject({ verified: true, verificationStatus: 'VERIFIED' }),
    }),
    mutation({
      key: 'activate-event-hook',
      input: async (sandbox) => ({ eventHookId: await deactivateSeededHook(sandbox) }),
      expectOutput: (output) =>
        expect(output).toMatchObject({
          status: 'ACTIVE',
          previousStatus: 'INACTIVE',
          verificationStatus: 'VERIFIED',
        }),
    }),
    mutation({
      key: 'deactivate-event-hook',
      input: async (sandbox) => ({ eventHookId: seededHookId(sandbox) }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ status: 'INACTIVE', previousStatus: 'ACTIVE' });
        expect(eventHooksOf(sandbox.org).byId.get(output.id)?.status).toBe('INACTIVE');
      },
    }),
    mutation({
      key: 'delete-event-hook',
      input: async (sandbox) => ({
        eventHookId: seededHookId(sandbox),
        deactivateFirst: true,
        missingOk: true,
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ deactivatedFirst: true, deleted: true });
        expect(eventHooksOf(sandbox.org).byId.size).toBe(0);
      },
    }),
  ]);
});

describe('realms, user types, security and event hooks: reads and refusals', () => {
  const ctx = useSandbox();
  const { connection, run, failure } = sandboxActions(ctx);

  it('list-realms and get-realm read the default and the partner realm', async () => {
    const all = await run('list-realms', {});
    expect(all.realms.map((realm) => realm.profile.name)).toEqual(['Default realm', 'Partners']);
    expect((await run('list-realms', { nameContains: 'PART' })).realms.map((r) => r.profile.name)).toEqual([
      'Partners',
    ]);
    expect((await run('list-realms', { realmType: 'PARTNER' })).count).toBe(1);
    const paged = await run('list-realms', { maxItems: 1, limit: 1 });
    expect(paged.count).toBe(1);
    const rest = await run('list-realms', { cursor: paged.nextCursor! });
    expect(rest).toMatchObject({ count: 1, nextCursor: null, realms: [{ profile: { name: 'Partners' } }] });
    expect(await run('get-realm', { realmId: realmIdOf(ctx.sandbox, 'Partners') })).toMatchObject({
      name: 'Partners',
      realmType: 'PARTNER',
      domains: ['partners.example.com'],
      isDefault: false,
    });
  });

  it('delete-realm refuses the default realm and a realm with users, and changes nothing', async () => {
    const defaultRealm = realmsOf(ctx.sandbox.org).defaultId;
    expect(await failure('delete-realm', { realmId: defaultRealm })).toMatchObject({ code: 'CONFLICT' });
    const partners = realmIdOf(ctx.sandbox, 'Partners');
    const created = await ctx.api.post('/api/v1/users?activate=false', {
      profile: {
        login: 'pat.partner@partners.example.com',
        email: 'pat.partner@partners.example.com',
        firstName: 'Pat',
        lastName: 'Partner',
      },
      realmId: partners,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const refused = await failure('delete-realm', { realmId: partners });
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(refused.message).toContain('pat.partner@partners.example.com');
    expect(realmsOf(ctx.sandbox.org).byId.has(partners)).toBe(true);
  });

  it('list-user-types and get-user-type read the default type and the contractor type', async () => {
    const listed = await run('list-user-types', {});
    expect(listed.userTypes.map((type) => type.name)).toEqual(['user', 'contractor']);
    expect(await run('get-user-type', { typeId: 'default' })).toMatchObject({
      name: 'user',
      isDefault: true,
    });
    expect(await run('get-user-type', { typeId: userTypeIdOf(ctx.sandbox, 'contractor') })).toMatchObject({
      displayName: 'Contractor',
      isDefault: false,
    });
  });

  it('delete-user-type refuses the default type and a type a deactivated user still has', async () => {
    expect(await failure('delete-user-type', { typeId: 'default' })).toMatchObject({ code: 'CONFLICT' });
    const contractor = userTypeIdOf(ctx.sandbox, 'contractor');
    const created = await ctx.api.post('/api/v1/users?activate=false', {
      profile: {
        login: 'sam.lee@example.com',
        email: 'sam.lee@example.com',
        firstName: 'Sam',
        lastName: 'Lee',
      },
      type: { id: contractor },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await run('deactivate-user', { user: 'sam.lee@example.com' });
    const refused = await failure('delete-user-type', { typeId: contractor });
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(refused.message).toContain('sam.lee@example.com');
    expect(userTypesOf(ctx.sandbox.org).has(contractor)).toBe(true);
  });

  it('list-log-events reads a bounded window that ends, and finds what an action did', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const realm = await run('create-realm', { name: 'Audit check' });
    const events = await run('list-log-events', {
      since: before,
      eventType: 'realm.lifecycle.create',
      maxItems: 10_000,
    });
    expect(events).toMatchObject({ count: 1, nextCursor: null, since: before });
    expect(events.events[0]).toMatchObject({ target: [{ id: realm.id, type: 'Realm' }] });
    expect((await run('list-log-events', { keywords: 'Audit check' })).count).toBe(1);
    const newestFirst = await run('list-log-events', { since: before, sortOrder: 'DESCENDING' });
    expect(newestFirst.events[0]?.eventType).toBe('realm.lifecycle.create');
  });

  it('list-log-events pages through a window with a cursor, each event once', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) await run('create-realm', { name });
    const until = new Date(Date.now() + 1000).toISOString();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await run('list-log-events', {
        since,
        until,
        maxItems: 2,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.events.map((event) => event.uuid));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('list-network-zones and get-network-zone read the system and admin-made zones', async () => {
    expect((await run('list-network-zones', {})).zones.map((zone) => zone.name)).toEqual([
      'LegacyIpZone',
      'BlockedIpZone',
      'DefaultEnhancedDynamicZone',
      'Branch Offices',
    ]);
    expect((await run('list-network-zones', { usage: 'BLOCKLIST' })).zones.map((zone) => zone.name)).toEqual([
      'BlockedIpZone',
      'DefaultEnhancedDynamicZone',
    ]);
    const legacy = zoneOf(ctx.sandbox, 'LegacyIpZone');
    expect(await run('get-network-zone', { zoneId: legacy.id })).toMatchObject({
      name: 'LegacyIpZone',
      type: 'IP',
      usage: 'POLICY',
      system: true,
      zone: { proxies: [{ type: 'RANGE', value: '198.51.100.250' }] },
    });
  });

  it('block-ip-addresses: a dry run shows the zones list it read to choose the blocklist', async () => {
    const result = await execute(
      'block-ip-addresses',
      { connection: connection(), input: { addresses: ['203.0.113.45'] }, dryRun: true },
      SANDBOX_HOST,
    );
    if (!result.ok) throw new Error(result.error.message);
    const current = (result.output as { current: Record<string, unknown> }).current;
    const listed = Object.entries(current).find(([path]) => path.startsWith('/api/v1/zones?filter='));
    expect(listed?.[1]).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'BlockedIpZone' })]));
  });

  it('block-ip-addresses refuses a policy zone and an enhanced dynamic zone, changing nothing', async () => {
    const version = ctx.sandbox.org.version;
    for (const name of ['Branch Offices', 'DefaultEnhancedDynamicZone']) {
      const refused = await failure('block-ip-addresses', {
        zoneId: zoneOf(ctx.sandbox, name).id,
        addresses: ['203.0.113.45'],
      });
      expect(refused, name).toMatchObject({ code: 'CONFLICT' });
    }
    expect(ctx.sandbox.org.version).toBe(version);
  });

  it('list-api-tokens lists metadata only; revoke-api-token protects the connection, and cuts it when allowed', async () => {
    const listed = await run('list-api-tokens', {});
    expect(listed.tokens.map((token) => token.name)).toEqual(['Sandbox admin token']);
    expect(JSON.stringify(listed)).not.toContain(ctx.sandbox.token);
    const own = listed.tokens[0]!.id;
    const refused = await failure('revoke-api-token', { apiTokenId: own });
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(refused.message).toContain('it is the token this connection uses');
    expect(await run('revoke-api-token', { apiTokenId: own, allowOwnAdminToken: true })).toMatchObject({
      ownAdminToken: true,
      changed: true,
    });
    expect(await failure('list-api-tokens', {})).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('list-identity-providers filters by name and type', async () => {
    expect((await run('list-identity-providers', {})).identityProviders.map((idp) => idp.name)).toEqual([
      'Google Workspace',
      'Partner SAML IdP',
    ]);
    expect(await run('list-identity-providers', { type: 'SAML2' })).toMatchObject({
      count: 1,
      identityProviders: [{ name: 'Partner SAML IdP', protocol: { type: 'SAML2' } }],
    });
    expect((await run('list-identity-providers', { name: 'goo' })).count).toBe(1);
  });

  it('list-event-hooks reads the seeded hook without any secret', async () => {
    const listed = await run('list-event-hooks', {});
    expect(listed).toMatchObject({
      count: 1,
      eventHooks: [{ name: 'SIEM user lifecycle feed', status: 'ACTIVE', verificationStatus: 'VERIFIED' }],
    });
    expect(JSON.stringify(listed)).not.toContain('Bearer');
  });

  it('verify-event-hook reports why an unreachable endpoint failed, changing nothing', async () => {
    const created = await run('create-event-hook', {
      name: 'Unreachable',
      uri: 'https://unreachable.example.com/hook',
      eventTypes: ['user.lifecycle.create'],
    });
    const version = ctx.sandbox.org.version;
    expect(await run('verify-event-hook', { eventHookId: created.id })).toMatchObject({
      verified: false,
      verificationStatus: 'UNVERIFIED',
      failureReason: expect.stringContaining('could not be reached'),
      changed: false,
    });
    expect(ctx.sandbox.org.version).toBe(version);
  });

  it('delete-event-hook with deactivateFirst off refuses an active hook; create-event-hook refuses a 26th active hook', async () => {
    expect(
      await failure('delete-event-hook', { eventHookId: seededHookId(ctx.sandbox), deactivateFirst: false }),
    ).toMatchObject({
      code: 'CONFLICT',
    });
    for (let n = 2; n <= 25; n += 1) {
      await run('create-event-hook', {
        name: `Feed ${n}`,
        uri: `https://siem.example.com/feed/${n}`,
        eventTypes: ['user.session.start'],
      });
    }
    const refused = await failure('create-event-hook', {
      name: 'Feed 26',
      uri: 'https://siem.example.com/feed/26',
      eventTypes: ['user.session.start'],
    });
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(eventHooksOf(ctx.sandbox.org).byId.size).toBe(25);
  });
});
