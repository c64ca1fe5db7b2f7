/**
 * Realistic Okta objects of the groups, group rules and admin roles family for nock answers;
 * test/actions/groups-more.test.ts holds them to Okta's response schemas.
 */
const ORG = 'https://acme.okta.com';

export function fakeGroupRule(
  overrides: {
    id?: string;
    status?: string;
    name?: string;
    expression?: string;
    groupIds?: string[];
    excludedUserIds?: string[];
    [field: string]: unknown;
  } = {},
) {
  const {
    id = '0pr3f7zMZZHPgUoWO0g4',
    name = 'Engineering to VPN Users',
    expression = 'user.department=="Engineering"',
    groupIds = ['00g1emaKYZTWRYYRRTSK'],
    excludedUserIds = [],
    ...rest
  } = overrides;
  return {
    type: 'group_rule',
    id,
    status: 'INACTIVE',
    name,
    created: '2026-01-12T09:15:00.000Z',
    lastUpdated: '2026-01-12T09:15:00.000Z',
    conditions: {
      people: { users: { exclude: excludedUserIds }, groups: { exclude: [] } },
      expression: { value: expression, type: 'urn:okta:expression:1.0' },
    },
    actions: { assignUserToGroups: { groupIds } },
    ...rest,
  };
}

/** A standard role assignment (SUPER_ADMIN, HELP_DESK_ADMIN, ...) as GET/POST /users/{id}/roles answer it. */
export function fakeStandardRoleAssignment(
  overrides: { id?: string; type?: string; label?: string; userId?: string; [field: string]: unknown } = {},
) {
  const {
    id = 'ra1b8aahBZuGJRRa30g4',
    type = 'HELP_DESK_ADMIN',
    label = 'Help Desk Administrator',
    userId = '00ub0oNGTSWTBKOLGLNR',
    ...rest
  } = overrides;
  return {
    id,
    label,
    type,
    status: 'ACTIVE',
    created: '2026-02-03T10:00:00.000Z',
    lastUpdated: '2026-02-03T10:00:00.000Z',
    assignmentType: 'USER',
    _links: { assignee: { href: `${ORG}/api/v1/users/${userId}` } },
    ...rest,
  };
}

/** A custom role assignment: the role and the resource set it is bound to. */
export function fakeCustomRoleAssignment(
  overrides: {
    id?: string;
    role?: string;
    resourceSet?: string;
    label?: string;
    userId?: string;
    [field: string]: unknown;
  } = {},
) {
  const {
    id = 'irb1q92TFAHzySt3x0g4',
    role = 'cr0Yq6IJxGIr0ouum0g3',
    resourceSet = 'iamoJDFKaJxGIr0oamd9g',
    label = 'Help Desk Tier 2',
    userId = '00ub0oNGTSWTBKOLGLNR',
    ...rest
  } = overrides;
  return {
    id,
    label,
    type: 'CUSTOM',
    status: 'ACTIVE',
    created: '2026-02-03T10:00:00.000Z',
    lastUpdated: '2026-02-03T10:00:00.000Z',
    assignmentType: 'USER',
    'resource-set': resourceSet,
    role,
    _links: {
      assignee: { href: `${ORG}/api/v1/users/${userId}` },
      'resource-set': { href: `${ORG}/api/v1/iam/resource-sets/${resourceSet}` },
      role: { href: `${ORG}/api/v1/iam/roles/${role}` },
      permissions: { href: `${ORG}/api/v1/iam/roles/${role}/permissions` },
      member: { href: `${ORG}/api/v1/iam/resource-sets/${resourceSet}/bindings/${role}/members/${id}` },
    },
    ...rest,
  };
}

/** A custom role as GET /api/v1/iam/roles lists it. */
export function fakeCustomRole(overrides: { id?: string; label?: string; [field: string]: unknown } = {}) {
  const { id = 'cr0Yq6IJxGIr0ouum0g3', label = 'Help Desk Tier 2', ...rest } = overrides;
  return {
    id,
    label,
    description: 'Resets passwords and unlocks accounts of support staff',
    created: '2025-11-04T16:20:00.000Z',
    lastUpdated: '2025-11-04T16:20:00.000Z',
    _links: {
      self: { href: `${ORG}/api/v1/iam/roles/${id}` },
      permissions: { href: `${ORG}/api/v1/iam/roles/${id}/permissions` },
    },
    ...rest,
  };
}

/** A bookmark app, as GET /api/v1/groups/{id}/apps lists it. */
export function fakeBookmarkApp(overrides: { id?: string; label?: string; [field: string]: unknown } = {}) {
  const { id = '0oa1gjh63g214q0Hq0g4', label = 'Engineering Wiki', ...rest } = overrides;
  return {
    id,
    name: 'bookmark',
    label,
    status: 'ACTIVE',
    created: '2025-03-10T12:00:00.000Z',
    lastUpdated: '2026-01-05T12:00:00.000Z',
    signOnMode: 'BOOKMARK',
    accessibility: { selfService: false },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { login: true } },
    features: [],
    settings: {
      app: { requestIntegration: false, url: 'https://wiki.example.com' },
      notes: { admin: 'Owned by the platform team', enduser: null },
    },
    _links: {
      self: { href: `${ORG}/api/v1/apps/${id}` },
      users: { href: `${ORG}/api/v1/apps/${id}/users` },
      groups: { href: `${ORG}/api/v1/apps/${id}/groups` },
    },
    ...rest,
  };
}
