/** Realistic Okta objects for nock answers; test/fixtures.test.ts holds them to Okta's response schemas. */
const ORG = 'https://acme.okta.com';

export function fakeUser(
  overrides: {
    id?: string;
    status?: string;
    profile?: Record<string, unknown>;
    [field: string]: unknown;
  } = {},
) {
  const id = overrides.id ?? '00ub0oNGTSWTBKOLGLNR';
  const { profile, ...rest } = overrides;
  return {
    id,
    status: 'ACTIVE',
    created: '2025-04-01T09:30:00.000Z',
    activated: '2025-04-01T09:31:00.000Z',
    statusChanged: '2025-04-01T09:31:00.000Z',
    lastLogin: '2026-11-20T08:02:11.000Z',
    lastUpdated: '2026-10-02T14:12:45.000Z',
    passwordChanged: '2025-04-01T09:31:00.000Z',
    type: { id: 'oty1nq3s6bX7cRqW00g4' },
    profile: {
      login: 'jane.doe@example.com',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      department: 'Engineering',
      costCenter: 'CC-4410',
      ...profile,
    },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${ORG}/api/v1/users/${id}` } },
    ...rest,
  };
}

export function fakeGroup(
  overrides: { id?: string; type?: string; profile?: Record<string, unknown>; [field: string]: unknown } = {},
) {
  const id = overrides.id ?? '00g1emaKYZTWRYYRRTSK';
  const { profile, ...rest } = overrides;
  return {
    id,
    created: '2024-02-12T10:00:00.000Z',
    lastUpdated: '2026-03-01T10:00:00.000Z',
    lastMembershipUpdated: '2026-11-01T10:00:00.000Z',
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: 'Engineering', description: 'All engineers', ...profile },
    _links: { self: { href: `${ORG}/api/v1/groups/${id}` } },
    ...rest,
  };
}

export function fakeDevice(
  overrides: {
    id?: string;
    status?: string;
    profile?: Record<string, unknown>;
    [field: string]: unknown;
  } = {},
) {
  const id = overrides.id ?? 'guo4a5u7JHHhjXrMK0g4';
  const { profile, ...rest } = overrides;
  return {
    id,
    status: 'ACTIVE',
    created: '2025-06-10T08:00:00.000Z',
    lastUpdated: '2026-11-02T08:00:00.000Z',
    profile: {
      displayName: "Jane's MacBook Pro",
      platform: 'MACOS',
      manufacturer: 'APPLE',
      model: 'MacBookPro18,1',
      osVersion: '15.1.0',
      serialNumber: 'C02XK1ABJG5J',
      registered: true,
      secureHardwarePresent: true,
      ...profile,
    },
    resourceId: id,
    resourceType: 'UDDevice',
    resourceDisplayName: { value: "Jane's MacBook Pro", sensitive: false },
    _links: {
      self: { href: `${ORG}/api/v1/devices/${id}`, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      users: { href: `${ORG}/api/v1/devices/${id}/users`, hints: { allow: ['GET'] } },
    },
    ...rest,
  };
}
