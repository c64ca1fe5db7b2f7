/**
 * Realistic Okta apps, app users, group assignments and device users for nock answers; the tests of the
 * applications and devices family hold each one to Okta's response schemas.
 */
import { fakeGroup, fakeUser } from './fixtures.js';

const ORG = 'https://acme.okta.com';

/** A SAML 2.0 app (Salesforce) that provisions users, as GET /api/v1/apps/{appId} answers it. */
export function fakeSamlApp(overrides: { id?: string; status?: string; [field: string]: unknown } = {}) {
  const id = overrides.id ?? '0oa1gjh63g214q0Hq0g4';
  return {
    id,
    orn: `orn:okta:idp:00o1n8sbwArJ7OQRw406:apps:salesforce:${id}`,
    name: 'salesforce',
    label: 'Salesforce.com',
    status: 'ACTIVE',
    lastUpdated: '2026-09-14T10:21:09.000Z',
    created: '2024-05-02T16:40:12.000Z',
    accessibility: { selfService: false },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      hide: { iOS: false, web: false },
      appLinks: { login: true },
    },
    features: ['IMPORT_NEW_USERS', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION'],
    signOnMode: 'SAML_2_0',
    credentials: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      signing: { kid: 'mXtzOtml09Dg1ZCeKxTRBo3KrQuBWFkJ5oxhVagjTzo' },
    },
    settings: {
      app: { instanceType: 'PRODUCTION', integrationType: 'STANDARD' },
      notifications: { vpn: { network: { connection: 'DISABLED' } } },
      implicitAssignment: false,
      notes: {},
      signOn: {
        ssoAcsUrl: 'https://acme.my.salesforce.com/?so=00D000000000001',
        audience: 'https://acme.my.salesforce.com',
        recipient: 'https://acme.my.salesforce.com/?so=00D000000000001',
        destination: 'https://acme.my.salesforce.com/?so=00D000000000001',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
        subjectNameIdTemplate: '${user.userName}',
        subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        responseSigned: true,
        assertionSigned: true,
        signatureAlgorithm: 'RSA_SHA256',
        digestAlgorithm: 'SHA256',
        honorForceAuthn: true,
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        requestCompressed: false,
        allowMultipleAcsEndpoints: false,
        acsEndpoints: [],
        attributeStatements: [],
        slo: { enabled: false },
      },
    },
    _links: {
      appLinks: [{ name: 'login', href: `${ORG}/home/salesforce/${id}/24`, type: 'text/html' }],
      groups: { href: `${ORG}/api/v1/apps/${id}/groups` },
      users: { href: `${ORG}/api/v1/apps/${id}/users` },
      deactivate: { href: `${ORG}/api/v1/apps/${id}/lifecycle/deactivate` },
    },
    ...overrides,
  };
}

/** A Secure Web Authentication app whose users keep their own username and password. */
export function fakeSwaApp(overrides: { id?: string; status?: string; [field: string]: unknown } = {}) {
  const id = overrides.id ?? '0oa9pay63g214q0Hq0g4';
  return {
    id,
    name: 'template_swa',
    label: 'Legacy Payroll',
    status: 'ACTIVE',
    lastUpdated: '2026-02-01T08:00:00.000Z',
    created: '2023-11-20T08:00:00.000Z',
    accessibility: { selfService: false },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      hide: { iOS: false, web: false },
      appLinks: { login: true },
    },
    features: [],
    signOnMode: 'BROWSER_PLUGIN',
    credentials: {
      scheme: 'EDIT_USERNAME_AND_PASSWORD',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's expression language, not a JS template.
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      revealPassword: false,
      signing: {},
    },
    settings: {
      app: {
        url: 'https://payroll.example.com/login.aspx',
        usernameField: '#username',
        passwordField: '#password',
        buttonField: 'button[type=submit]',
      },
      notifications: { vpn: { network: { connection: 'DISABLED' } } },
      implicitAssignment: false,
      notes: {},
    },
    _links: {
      appLinks: [{ name: 'login', href: `${ORG}/home/template_swa/${id}/31`, type: 'text/html' }],
      users: { href: `${ORG}/api/v1/apps/${id}/users` },
      deactivate: { href: `${ORG}/api/v1/apps/${id}/lifecycle/deactivate` },
    },
    ...overrides,
  };
}

/** A user's assignment to an app, as GET /api/v1/apps/{appId}/users/{userId} answers it. */
export function fakeAppUser(
  overrides: {
    id?: string;
    appId?: string;
    scope?: 'USER' | 'GROUP';
    groupId?: string;
    credentials?: Record<string, unknown>;
    profile?: Record<string, unknown>;
    [field: string]: unknown;
  } = {},
) {
  const {
    id = '00ub0oNGTSWTBKOLGLNR',
    appId = '0oa1gjh63g214q0Hq0g4',
    groupId,
    profile,
    ...rest
  } = overrides;
  const scope = overrides.scope ?? 'USER';
  return {
    id,
    externalId: '005Hs00000AbCdEfGh',
    created: '2025-04-02T09:00:00.000Z',
    lastUpdated: '2026-10-02T14:12:45.000Z',
    scope,
    status: 'PROVISIONED',
    statusChanged: '2025-04-02T09:00:05.000Z',
    passwordChanged: null,
    syncState: 'SYNCHRONIZED',
    lastSync: '2026-10-02T14:12:45.000Z',
    credentials: { userName: 'jane.doe@example.com' },
    profile: {
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      role: 'Sales',
      profile: 'Standard User',
      ...profile,
    },
    _links: {
      app: { href: `${ORG}/api/v1/apps/${appId}` },
      user: { href: `${ORG}/api/v1/users/${id}` },
      ...(scope === 'GROUP'
        ? { group: { href: `${ORG}/api/v1/groups/${groupId ?? '00g1emaKYZTWRYYRRTSK'}` } }
        : {}),
    },
    ...rest,
  };
}

/** A group's assignment to an app, as GET /api/v1/apps/{appId}/groups answers each one. */
export function fakeAppGroup(
  overrides: { id?: string; appId?: string; priority?: number; profile?: Record<string, unknown> } = {},
) {
  const id = overrides.id ?? '00g1emaKYZTWRYYRRTSK';
  const appId = overrides.appId ?? '0oa1gjh63g214q0Hq0g4';
  return {
    id,
    lastUpdated: '2026-01-15T12:00:00.000Z',
    priority: overrides.priority ?? 0,
    profile: overrides.profile ?? { role: 'Sales', profile: 'Standard User' },
    _links: {
      app: { href: `${ORG}/api/v1/apps/${appId}` },
      self: { href: `${ORG}/api/v1/apps/${appId}/groups/${id}` },
      group: { href: `${ORG}/api/v1/groups/${id}` },
    },
  };
}

/** A group assignment with its group embedded (expand=group). */
export function fakeAppGroupWithGroup(overrides: Parameters<typeof fakeAppGroup>[0] = {}) {
  const assignment = fakeAppGroup(overrides);
  return { ...assignment, _embedded: { group: fakeGroup({ id: assignment.id }) } };
}

/** One user of a device, as GET /api/v1/devices/{deviceId}/users answers each one. */
export function fakeDeviceUser(
  overrides: { user?: ReturnType<typeof fakeUser>; [field: string]: unknown } = {},
) {
  const { user = fakeUser(), ...rest } = overrides;
  return {
    created: '2025-06-10T08:05:00.000Z',
    managementStatus: 'MANAGED',
    screenLockType: 'BIOMETRIC',
    user,
    ...rest,
  };
}
