/**
 * Realistic Okta objects of the realms, user types, security and event hook actions, for nock answers;
 * test/actions/security.test.ts holds each to Okta's published response schema.
 */
const ORG = 'https://acme.okta.com';

type Overrides = { id?: string; [field: string]: unknown };

export function fakeRealm(overrides: Overrides & { profile?: Record<string, unknown> } = {}) {
  const id = overrides.id ?? 'guo1bfiNtSnZYILxO0g4';
  const { profile, ...rest } = overrides;
  return {
    id,
    isDefault: false,
    created: '2025-09-01T10:00:00.000Z',
    lastUpdated: '2026-02-03T10:00:00.000Z',
    profile: { name: 'Partners', realmType: 'PARTNER', domains: ['partners.example.com'], ...profile },
    _links: { self: { href: `${ORG}/api/v1/realms/${id}` } },
    ...rest,
  };
}

export function fakeUserType(overrides: Overrides = {}) {
  const id = overrides.id ?? 'oty1nq3s6bX7cRqW00g4';
  return {
    id,
    name: 'contractor',
    displayName: 'Contractor',
    description: 'External staff on a fixed-term contract',
    default: false,
    createdBy: '00u1adminAAAAAAAAAAA',
    lastUpdatedBy: '00u1adminAAAAAAAAAAA',
    created: '2025-03-01T10:00:00.000Z',
    lastUpdated: '2025-03-01T10:00:00.000Z',
    _links: {
      self: { href: `${ORG}/api/v1/meta/types/user/${id}` },
      schema: { href: `${ORG}/api/v1/meta/schemas/user/osc${id.slice(3)}` },
    },
    ...overrides,
  };
}

/** An IP zone; addresses from the documentation ranges (RFC 5737, RFC 3849). */
export function fakeIpZone(overrides: Overrides = {}) {
  const id = overrides.id ?? 'nzowc1U5Jh5xuAK0o0g3';
  return {
    type: 'IP',
    id,
    name: 'BlockedIpZone',
    status: 'ACTIVE',
    usage: 'BLOCKLIST',
    system: true,
    created: '2024-01-10T10:00:00.000Z',
    lastUpdated: '2026-05-01T10:00:00.000Z',
    gateways: [
      { type: 'RANGE', value: '192.0.2.66' },
      { type: 'CIDR', value: '2001:db8:bad::/48' },
    ],
    proxies: null,
    _links: {
      self: { href: `${ORG}/api/v1/zones/${id}`, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      deactivate: { href: `${ORG}/api/v1/zones/${id}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
    },
    ...overrides,
  };
}

export function fakeDynamicZone(overrides: Overrides = {}) {
  const id = overrides.id ?? 'nzo1dynamicZone00g41';
  return {
    type: 'DYNAMIC_V2',
    id,
    name: 'DefaultEnhancedDynamicZone',
    status: 'INACTIVE',
    usage: 'BLOCKLIST',
    system: true,
    created: '2024-01-10T10:00:00.000Z',
    lastUpdated: '2024-01-10T10:00:00.000Z',
    locations: { include: [], exclude: [] },
    ipServiceCategories: { include: ['ALL_ANONYMIZERS'], exclude: [] },
    asns: { include: [], exclude: [] },
    _links: { self: { href: `${ORG}/api/v1/zones/${id}` } },
    ...overrides,
  };
}

export function fakeApiToken(overrides: Overrides = {}) {
  const id = overrides.id ?? '00Tabcdefg1234567890';
  const userId = String(overrides.userId ?? '00ub0oNGTSWTBKOLGLNR');
  return {
    id,
    name: 'SIEM export',
    userId,
    clientName: 'Okta API',
    created: '2026-10-01T10:00:00.000Z',
    lastUpdated: '2026-11-01T10:00:00.000Z',
    expiresAt: '2026-12-01T10:00:00.000Z',
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
    _links: {
      self: { href: `${ORG}/api/v1/api-tokens/${id}`, hints: { allow: ['GET', 'DELETE'] } },
      user: { href: `${ORG}/api/v1/users/${userId}`, hints: { allow: ['GET'] } },
    },
    ...overrides,
  };
}

/** An OIDC identity provider with the client secret Okta includes in its answers. */
export function fakeOidcIdentityProvider(overrides: Overrides = {}) {
  const id = overrides.id ?? '0oa62bfdjnK55Z5x80h7';
  return {
    id,
    type: 'GOOGLE',
    issuerMode: 'DYNAMIC',
    name: 'Google Workspace',
    status: 'ACTIVE',
    created: '2025-01-10T10:00:00.000Z',
    lastUpdated: '2025-01-10T10:00:00.000Z',
    protocol: {
      type: 'OIDC',
      endpoints: {
        authorization: { url: 'https://accounts.google.com/o/oauth2/auth', binding: 'HTTP-REDIRECT' },
        token: { url: 'https://www.googleapis.com/oauth2/v3/token', binding: 'HTTP-POST' },
      },
      scopes: ['openid', 'email', 'profile'],
      credentials: {
        client: {
          client_id: '771230960148-acme.apps.googleusercontent.com',
          client_secret: 'GOCSPX-FixtureClientSecret0001',
        },
      },
    },
    policy: {
      provisioning: {
        action: 'AUTO',
        profileMaster: false,
        groups: { action: 'NONE' },
        conditions: { deprovisioned: { action: 'NONE' }, suspended: { action: 'NONE' } },
      },
      accountLink: { action: 'AUTO' },
      subject: { userNameTemplate: { template: 'idpuser.email' }, matchType: 'USERNAME' },
      maxClockSkew: 0,
    },
    properties: null,
    _links: { users: { href: `${ORG}/api/v1/idps/${id}/users`, hints: { allow: ['GET'] } } },
    ...overrides,
  };
}

export function fakeEventHook(overrides: Overrides = {}) {
  const id = overrides.id ?? 'who8vt36qfNpCGz9H1e6';
  return {
    id,
    status: 'ACTIVE',
    verificationStatus: 'VERIFIED',
    name: 'SIEM user lifecycle feed',
    description: 'Forwards user lifecycle events to the security team',
    created: '2025-06-01T10:00:00.000Z',
    createdBy: '00u1adminAAAAAAAAAAA',
    lastUpdated: '2025-06-01T10:00:00.000Z',
    events: {
      type: 'EVENT_TYPE',
      items: ['user.lifecycle.create', 'user.lifecycle.deactivate'],
      filter: null,
    },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: 'https://siem.example.com/okta/events',
        headers: [{ key: 'X-Source', value: 'okta' }],
        method: 'POST',
        authScheme: { type: 'HEADER', key: 'Authorization' },
      },
    },
    _links: {
      self: { href: `${ORG}/api/v1/eventHooks/${id}` },
      verify: { href: `${ORG}/api/v1/eventHooks/${id}/lifecycle/verify`, hints: { allow: ['POST'] } },
      deactivate: { href: `${ORG}/api/v1/eventHooks/${id}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
    },
    ...overrides,
  };
}

export function fakeLogEvent(overrides: Overrides & { published?: string } = {}) {
  return {
    uuid: 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a',
    published: '2026-11-20T08:15:00.000Z',
    eventType: 'user.session.start',
    version: '0',
    severity: 'INFO',
    displayMessage: 'User login to Okta',
    actor: {
      id: '00ub0oNGTSWTBKOLGLNR',
      type: 'User',
      alternateId: 'jane.doe@example.com',
      displayName: 'Jane Doe',
    },
    client: { ipAddress: '198.51.100.23', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
    outcome: { result: 'SUCCESS' },
    target: [],
    transaction: { type: 'WEB', id: 'ZxYwVuTsRqPoNmLkJiHg' },
    ...overrides,
  };
}
