/**
 * One valid request per operation the sandbox serves, on the seeded org: each answer must be a success Okta
 * would send. The contract walk and the fidelity test (held to Okta's response examples) share them.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import type { RawAnswer, sandboxClient } from '../helpers/sandbox.js';

export type Api = ReturnType<typeof sandboxClient>;
export type Sample = (api: Api, sandbox: Sandbox) => Promise<RawAnswer>;

export const JANE = 'jane.doe@example.com';
export const first = async (api: Api, path: string): Promise<{ id: string } & Record<string, unknown>> => {
  const answer = await api.get(path);
  const items = Array.isArray(answer.body) ? answer.body : answer.body.roles;
  return items[0];
};
export const userId = async (api: Api, login = JANE) =>
  (await api.get(`/api/v1/users/${encodeURIComponent(login)}`)).body.id as string;
export const groupId = async (api: Api, name: string) =>
  (await api.get(`/api/v1/groups?q=${encodeURIComponent(name)}`)).body[0].id as string;
export const appId = async (api: Api, label: string) =>
  (await api.get(`/api/v1/apps?q=${encodeURIComponent(label)}`)).body[0].id as string;
export const newUser = async (api: Api, activate = true) =>
  (
    await api.post(`/api/v1/users?activate=${activate}`, {
      profile: {
        login: 'walk.user@example.com',
        email: 'walk.user@example.com',
        firstName: 'Walk',
        lastName: 'User',
      },
      credentials: { password: { value: 'Walk-Passw0rd!' } },
    })
  ).body.id as string;
export const hookBody = (uri = 'https://hooks.example.com/okta') => ({
  name: 'Walk hook',
  events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
  channel: { type: 'HTTP', version: '1.0.0', config: { uri } },
});

/** One valid request per operation, on the seeded org: the answer must be a success Okta would send. */
export const samples: Record<string, Sample> = {
  listUsers: (api) =>
    api.get(
      `/api/v1/users?search=${encodeURIComponent('profile.department eq "Sales"')}&sortBy=profile.lastName&limit=5`,
    ),
  createUser: (api) =>
    api.post('/api/v1/users?activate=false', {
      profile: { login: 'c@example.com', email: 'c@example.com', firstName: 'C', lastName: 'D' },
    }),
  getUser: (api) => api.get('/api/v1/users/me'),
  updateUser: async (api) =>
    api.post(`/api/v1/users/${await userId(api)}`, { profile: { title: 'Staff Engineer' } }),
  replaceUser: async (api) =>
    api.put(`/api/v1/users/${await userId(api)}`, {
      profile: { login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe' },
    }),
  deleteUser: async (api) => api.delete(`/api/v1/users/${await userId(api)}`),
  activateUser: async (api) =>
    api.post(`/api/v1/users/${await newUser(api, false)}/lifecycle/activate?sendEmail=false`),
  reactivateUser: async (api) => {
    const id = (
      await api.post('/api/v1/users?activate=true', {
        profile: { login: 'r@example.com', email: 'r@example.com', firstName: 'R', lastName: 'S' },
      })
    ).body.id;
    return api.post(`/api/v1/users/${id}/lifecycle/reactivate?sendEmail=false`);
  },
  deactivateUser: async (api) => api.post(`/api/v1/users/${await userId(api)}/lifecycle/deactivate`),
  suspendUser: async (api) => api.post(`/api/v1/users/${await userId(api)}/lifecycle/suspend`),
  unsuspendUser: async (api) =>
    api.post(`/api/v1/users/${await userId(api, 'diego.garcia@example.com')}/lifecycle/unsuspend`),
  unlockUser: async (api) => api.post(`/api/v1/users/${await userId(api)}/lifecycle/unlock`),
  resetPassword: async (api) =>
    api.post(`/api/v1/users/${await userId(api)}/lifecycle/reset_password?sendEmail=false`),
  expirePassword: async (api) => api.post(`/api/v1/users/${await userId(api)}/lifecycle/expire_password`),
  expirePasswordWithTempPassword: async (api) =>
    api.post(`/api/v1/users/${await userId(api)}/lifecycle/expire_password_with_temp_password`),
  resetFactors: async (api) => api.post(`/api/v1/users/${await userId(api)}/lifecycle/reset_factors`),
  listUserGroups: (api) => api.get(`/api/v1/users/${encodeURIComponent(JANE)}/groups`),
  listAppLinks: (api) => api.get(`/api/v1/users/${encodeURIComponent(JANE)}/appLinks`),
  listUserBlocks: async (api) =>
    api.get(`/api/v1/users/${await userId(api, 'amara.okafor@example.com')}/blocks`),
  listFactors: async (api) => api.get(`/api/v1/users/${await userId(api)}/factors`),
  unenrollFactor: async (api) => {
    const id = await userId(api);
    const factor = (await api.get(`/api/v1/users/${id}/factors`)).body[0];
    return api.delete(`/api/v1/users/${id}/factors/${factor.id}`);
  },
  revokeUserSessions: async (api) =>
    api.delete(`/api/v1/users/${await userId(api)}/sessions?oauthTokens=true`),
  listUserGrants: async (api) =>
    api.get(`/api/v1/users/${await userId(api, 'sandbox.admin@example.com')}/grants?expand=scope`),
  revokeUserGrants: async (api) =>
    api.delete(`/api/v1/users/${await userId(api, 'sandbox.admin@example.com')}/grants`),
  listAssignedRolesForUser: async (api) =>
    api.get(`/api/v1/users/${await userId(api, 'sandbox.admin@example.com')}/roles`),
  assignRoleToUser: async (api) =>
    api.post(`/api/v1/users/${await userId(api)}/roles`, { type: 'HELP_DESK_ADMIN' }),
  unassignRoleFromUser: async (api) => {
    const id = await userId(api);
    const assigned = (await api.post(`/api/v1/users/${id}/roles`, { type: 'READ_ONLY_ADMIN' })).body;
    return api.delete(`/api/v1/users/${id}/roles/${assigned.id}`);
  },
  listRoles: (api) => api.get('/api/v1/iam/roles'),
  listGroups: (api) => api.get('/api/v1/groups?expand=stats&limit=3'),
  addGroup: (api) =>
    api.post('/api/v1/groups', { profile: { name: 'Walkers', description: 'Contract walk' } }),
  getGroup: async (api) => api.get(`/api/v1/groups/${await groupId(api, 'Finance')}`),
  replaceGroup: async (api) =>
    api.put(`/api/v1/groups/${await groupId(api, 'Finance')}`, {
      profile: { name: 'Finance', description: 'Money' },
    }),
  deleteGroup: async (api) => api.delete(`/api/v1/groups/${await groupId(api, 'Contractors')}`),
  listGroupUsers: async (api) => api.get(`/api/v1/groups/${await groupId(api, 'Engineering')}/users?limit=1`),
  assignUserToGroup: async (api) =>
    api.put(`/api/v1/groups/${await groupId(api, 'Finance')}/users/${await userId(api)}`),
  unassignUserFromGroup: async (api) =>
    api.delete(`/api/v1/groups/${await groupId(api, 'Engineering')}/users/${await userId(api)}`),
  listAssignedApplicationsForGroup: async (api) =>
    api.get(`/api/v1/groups/${await groupId(api, 'Engineering')}/apps`),
  listGroupRules: (api) => api.get('/api/v1/groups/rules?expand=groupIdToGroupNameMap'),
  createGroupRule: async (api) =>
    api.post('/api/v1/groups/rules', {
      name: 'Engineers get VPN',
      type: 'group_rule',
      conditions: {
        expression: { type: 'urn:okta:expression:1.0', value: 'user.department=="Engineering"' },
      },
      actions: { assignUserToGroups: { groupIds: [await groupId(api, 'VPN Users')] } },
    }),
  getGroupRule: async (api) =>
    api.get(`/api/v1/groups/rules/${(await first(api, '/api/v1/groups/rules')).id}`),
  activateGroupRule: async (api) =>
    api.post(`/api/v1/groups/rules/${(await first(api, '/api/v1/groups/rules')).id}/lifecycle/activate`),
  deactivateGroupRule: async (api) =>
    api.post(`/api/v1/groups/rules/${(await first(api, '/api/v1/groups/rules')).id}/lifecycle/deactivate`),
  deleteGroupRule: async (api) =>
    api.delete(`/api/v1/groups/rules/${(await first(api, '/api/v1/groups/rules')).id}?removeUsers=true`),
  listApplications: (api) => api.get('/api/v1/apps?limit=2'),
  getApplication: async (api) => api.get(`/api/v1/apps/${await appId(api, 'Slack')}`),
  activateApplication: async (api) =>
    api.post(`/api/v1/apps/${await appId(api, 'Engineering Wiki')}/lifecycle/activate`),
  deactivateApplication: async (api) =>
    api.post(`/api/v1/apps/${await appId(api, 'Slack')}/lifecycle/deactivate`),
  listApplicationUsers: async (api) =>
    api.get(`/api/v1/apps/${await appId(api, 'Salesforce')}/users?expand=user`),
  assignUserToApplication: async (api) =>
    api.post(`/api/v1/apps/${await appId(api, 'Legacy Payroll')}/users`, {
      id: await userId(api),
      scope: 'USER',
      credentials: { userName: 'jdoe', password: { value: 'Payr0ll-Pass!' } },
    }),
  getApplicationUser: async (api) =>
    api.get(`/api/v1/apps/${await appId(api, 'Slack')}/users/${await userId(api)}`),
  updateApplicationUser: async (api) =>
    api.post(
      `/api/v1/apps/${await appId(api, 'Legacy Payroll')}/users/${await userId(api, 'lukas.weber@example.com')}`,
      { credentials: { userName: 'lukas.w' } },
    ),
  unassignUserFromApplication: async (api) =>
    api.delete(
      `/api/v1/apps/${await appId(api, 'Legacy Payroll')}/users/${await userId(api, 'lukas.weber@example.com')}`,
    ),
  listApplicationGroupAssignments: async (api) =>
    api.get(`/api/v1/apps/${await appId(api, 'Salesforce')}/groups?expand=group`),
  assignGroupToApplication: async (api) =>
    api.put(`/api/v1/apps/${await appId(api, 'Slack')}/groups/${await groupId(api, 'Finance')}`, {
      priority: 0,
    }),
  unassignApplicationFromGroup: async (api) =>
    api.delete(`/api/v1/apps/${await appId(api, 'GitHub')}/groups/${await groupId(api, 'Engineering')}`),
  listUserDevices: async (api) => api.get(`/api/v1/users/${await userId(api)}/devices`),
  listDevices: (api) => api.get('/api/v1/devices?expand=userSummary&limit=2'),
  getDevice: async (api) => api.get(`/api/v1/devices/${(await first(api, '/api/v1/devices')).id}`),
  activateDevice: async (api) => {
    const id = (await first(api, '/api/v1/devices')).id;
    await api.post(`/api/v1/devices/${id}/lifecycle/deactivate`);
    return api.post(`/api/v1/devices/${id}/lifecycle/activate`);
  },
  deactivateDevice: async (api) =>
    api.post(`/api/v1/devices/${(await first(api, '/api/v1/devices')).id}/lifecycle/deactivate`),
  suspendDevice: async (api) =>
    api.post(`/api/v1/devices/${(await first(api, '/api/v1/devices')).id}/lifecycle/suspend`),
  unsuspendDevice: async (api) => {
    const id = (await first(api, '/api/v1/devices')).id;
    await api.post(`/api/v1/devices/${id}/lifecycle/suspend`);
    return api.post(`/api/v1/devices/${id}/lifecycle/unsuspend`);
  },
  deleteDevice: async (api) => {
    const id = (await first(api, '/api/v1/devices')).id;
    await api.post(`/api/v1/devices/${id}/lifecycle/deactivate`);
    return api.delete(`/api/v1/devices/${id}`);
  },
  listDeviceUsers: async (api) =>
    api.get(`/api/v1/devices/${(await first(api, '/api/v1/devices')).id}/users`),
  listRealms: (api) => api.get(`/api/v1/realms?search=${encodeURIComponent('profile.name co "Part"')}`),
  createRealm: (api) => api.post('/api/v1/realms', { profile: { name: 'Suppliers' } }),
  getRealm: async (api) => api.get(`/api/v1/realms/${(await first(api, '/api/v1/realms')).id}`),
  replaceRealm: async (api) => {
    const partners = (
      await api.get(`/api/v1/realms?search=${encodeURIComponent('profile.name eq "Partners"')}`)
    ).body[0];
    return api.put(`/api/v1/realms/${partners.id}`, { profile: { name: 'Partner companies' } });
  },
  deleteRealm: async (api) => {
    const partners = (
      await api.get(`/api/v1/realms?search=${encodeURIComponent('profile.name eq "Partners"')}`)
    ).body[0];
    return api.delete(`/api/v1/realms/${partners.id}`);
  },
  listUserTypes: (api) => api.get('/api/v1/meta/types/user'),
  createUserType: (api) =>
    api.post('/api/v1/meta/types/user', {
      name: 'partner',
      displayName: 'Partner',
      description: 'Partner staff',
    }),
  getUserType: (api) => api.get('/api/v1/meta/types/user/default'),
  updateUserType: async (api) => {
    const contractor = (await api.get('/api/v1/meta/types/user')).body.find(
      (t: { name: string }) => t.name === 'contractor',
    );
    return api.post(`/api/v1/meta/types/user/${contractor.id}`, { description: 'External contractors' });
  },
  replaceUserType: async (api) => {
    const contractor = (await api.get('/api/v1/meta/types/user')).body.find(
      (t: { name: string }) => t.name === 'contractor',
    );
    return api.put(`/api/v1/meta/types/user/${contractor.id}`, {
      name: 'contractor',
      displayName: 'Contractor',
      description: 'Contractors',
    });
  },
  deleteUserType: async (api) => {
    const contractor = (await api.get('/api/v1/meta/types/user')).body.find(
      (t: { name: string }) => t.name === 'contractor',
    );
    return api.delete(`/api/v1/meta/types/user/${contractor.id}`);
  },
  listLogEvents: (api) =>
    api.get(
      `/api/v1/logs?since=2000-01-01T00:00:00.000Z&until=${new Date(Date.now() + 1000).toISOString()}&sortOrder=DESCENDING`,
    ),
  listNetworkZones: (api) => api.get(`/api/v1/zones?filter=${encodeURIComponent('usage eq "BLOCKLIST"')}`),
  getNetworkZone: async (api) => api.get(`/api/v1/zones/${(await first(api, '/api/v1/zones')).id}`),
  replaceNetworkZone: async (api) => {
    const blocked = (await api.get(`/api/v1/zones?filter=${encodeURIComponent('usage eq "BLOCKLIST"')}`))
      .body[0];
    const {
      id: _id,
      created: _c,
      lastUpdated: _l,
      _links,
      system: _s,
      status: _status,
      ...writable
    } = blocked;
    return api.put(`/api/v1/zones/${blocked.id}`, {
      ...writable,
      gateways: [...(blocked.gateways ?? []), { type: 'CIDR', value: '203.0.113.0/24' }],
    });
  },
  listApiTokens: (api) => api.get('/api/v1/api-tokens'),
  revokeApiToken: async (api) =>
    api.delete(`/api/v1/api-tokens/${(await first(api, '/api/v1/api-tokens')).id}`),
  listIdentityProviders: (api) => api.get('/api/v1/idps?type=SAML2'),
  listEventHooks: (api) => api.get('/api/v1/eventHooks'),
  createEventHook: (api) => api.post('/api/v1/eventHooks', hookBody()),
  replaceEventHook: async (api) => {
    const hook = (await api.post('/api/v1/eventHooks', hookBody())).body;
    return api.put(`/api/v1/eventHooks/${hook.id}`, {
      ...hookBody(),
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.deactivate'] },
    });
  },
  verifyEventHook: async (api, sandbox) => {
    const hook = (await api.post('/api/v1/eventHooks', hookBody(`${sandbox.url}/api/v1/nothing`))).body;
    // The sandbox is not a hook endpoint: the verification fails the way Okta reports it.
    return api.post(`/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
  },
  activateEventHook: async (api) => {
    const hook = (await api.post('/api/v1/eventHooks', hookBody())).body;
    await api.post(`/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`);
    return api.post(`/api/v1/eventHooks/${hook.id}/lifecycle/activate`);
  },
  deactivateEventHook: async (api) =>
    api.post(`/api/v1/eventHooks/${(await first(api, '/api/v1/eventHooks')).id}/lifecycle/deactivate`),
  deleteEventHook: async (api) => {
    const id = (await first(api, '/api/v1/eventHooks')).id;
    await api.post(`/api/v1/eventHooks/${id}/lifecycle/deactivate`);
    return api.delete(`/api/v1/eventHooks/${id}`);
  },
  getUserSchema: (api) => api.get('/api/v1/meta/schemas/user/default'),
  getGroupSchema: (api) => api.get('/api/v1/meta/schemas/group/default'),
  // An OpenID Connect app: its base attributes (the claims) include the name Okta's example has.
  getApplicationUserSchema: async (api) =>
    api.get(`/api/v1/meta/schemas/apps/${await appId(api, 'Expense Portal')}/default`),
};

/** Operations whose sample is expected to be refused, and why. */
export const EXPECTED_REFUSALS: Record<string, number> = { verifyEventHook: 400 };
