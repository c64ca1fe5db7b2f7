/**
 * Realistic Okta objects for the users, credentials and sessions actions' nock answers. The
 * "fixtures-users look like Okta answers" tests in test/actions/users-more.test.ts hold each to Okta's
 * response schema.
 */
const ORG = 'https://acme.okta.com';
const USER_ID = '00ub0oNGTSWTBKOLGLNR';

const FACTOR_PROFILES: Record<string, { provider: string; profile: Record<string, unknown> }> = {
  sms: { provider: 'OKTA', profile: { phoneNumber: '+14155550111' } },
  call: { provider: 'OKTA', profile: { phoneNumber: '+14155550113' } },
  push: {
    provider: 'OKTA',
    profile: {
      credentialId: 'jane.doe@example.com',
      deviceType: 'SmartPhone_IPhone',
      name: "Jane's iPhone",
      platform: 'IOS',
      version: '17.4.1',
    },
  },
  'token:software:totp': { provider: 'OKTA', profile: { credentialId: 'jane.doe@example.com' } },
  signed_nonce: { provider: 'OKTA', profile: { name: "Jane's iPhone", platform: 'IOS' } },
  webauthn: {
    provider: 'FIDO',
    profile: {
      credentialId: 'l3Br0n-7H3g047FqE1x3mP5sW9yKqX2vNcT8rZ0aB4d',
      authenticatorName: 'YubiKey 5 NFC',
    },
  },
};

/** An enrolled factor of the given type (sms by default), as GET /api/v1/users/{id}/factors lists it. */
export function fakeFactor(overrides: { id?: string; factorType?: string; [field: string]: unknown } = {}) {
  const factorType = overrides.factorType ?? 'sms';
  const id = overrides.id ?? 'mbl1nz9JHJGHWRKMTLHP';
  const kind = FACTOR_PROFILES[factorType] ?? { provider: 'OKTA', profile: {} };
  const self = `${ORG}/api/v1/users/${USER_ID}/factors/${id}`;
  return {
    id,
    factorType,
    provider: kind.provider,
    vendorName: kind.provider,
    status: 'ACTIVE',
    created: '2025-04-02T10:00:00.000Z',
    lastUpdated: '2025-04-02T10:00:00.000Z',
    profile: kind.profile,
    _links: {
      self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
      verify: { href: `${self}/verify`, hints: { allow: ['POST'] } },
      user: { href: `${ORG}/api/v1/users/${USER_ID}`, hints: { allow: ['GET'] } },
    },
    ...overrides,
  };
}

/** A consent grant, as GET /api/v1/users/{userId}/grants lists it (with expand=scope when `scopeName`). */
export function fakeGrant(overrides: { id?: string; scopeName?: string; [field: string]: unknown } = {}) {
  const { scopeName, ...rest } = overrides;
  const id = rest.id ?? 'oag3ih1zrm1cBFOiq0h6';
  const clientId = '0oa1expensePortal001';
  const scopeId = 'scp5yu8kLOnDzo7lh0g4';
  return {
    id,
    status: 'ACTIVE',
    created: '2025-05-10T12:00:00.000Z',
    lastUpdated: '2025-05-10T12:00:00.000Z',
    createdBy: { id: USER_ID, type: 'User' },
    issuer: `${ORG}/oauth2/aus5sandboxDefault01`,
    clientId,
    userId: USER_ID,
    scopeId,
    source: 'END_USER',
    ...(scopeName ? { _embedded: { scope: { id: scopeName } } } : {}),
    _links: {
      self: { href: `${ORG}/api/v1/users/${USER_ID}/grants/${id}`, hints: { allow: ['GET', 'DELETE'] } },
      app: { href: `${ORG}/api/v1/apps/${clientId}`, title: 'Expense Portal' },
      client: { href: `${ORG}/oauth2/v1/clients/${clientId}`, title: 'Expense Portal' },
      scope: {
        href: `${ORG}/api/v1/authorizationServers/aus5sandboxDefault01/scopes/${scopeId}`,
        title: scopeName ?? 'openid',
      },
      user: { href: `${ORG}/api/v1/users/${USER_ID}` },
      authorizationServer: { href: `${ORG}/api/v1/authorizationServers/aus5sandboxDefault01` },
    },
    ...rest,
  };
}

/** One app on a user's dashboard, as GET /api/v1/users/{id}/appLinks lists it. */
export function fakeAppLink(overrides: { label?: string; [field: string]: unknown } = {}) {
  return {
    id: USER_ID,
    label: 'Salesforce.com',
    linkUrl: `${ORG}/home/salesforce/0oa1salesforce000001/46`,
    logoUrl: 'https://ok12static.oktacdn.com/assets/img/logos/salesforce_logo.png',
    appName: 'salesforce',
    appInstanceId: '0oa1salesforce000001',
    appAssignmentId: '0ua1salesforceJane01',
    credentialsSetup: false,
    hidden: false,
    sortOrder: 0,
    ...overrides,
  };
}

/** A standard admin role assignment, as GET /api/v1/users/{userId}/roles lists it. */
export function fakeRoleAssignment(overrides: { type?: string; [field: string]: unknown } = {}) {
  const id = 'ra1b8aahBZuGJRRa30g4';
  return {
    id,
    label: 'Help Desk Administrator',
    type: 'HELP_DESK_ADMIN',
    status: 'ACTIVE',
    created: '2025-06-01T09:00:00.000Z',
    lastUpdated: '2025-06-01T09:00:00.000Z',
    assignmentType: 'USER',
    _links: {
      assignee: { href: `${ORG}/api/v1/users/${USER_ID}` },
    },
    ...overrides,
  };
}

/** How a user is blocked, as GET /api/v1/users/{id}/blocks lists it. */
export function fakeBlock(appliesTo: 'ANY_DEVICES' | 'UNKNOWN_DEVICES' = 'UNKNOWN_DEVICES') {
  return { type: 'DEVICE_BASED', appliesTo };
}
