/**
 * One working input per action against a fresh, seeded sandbox (the manifest's examples name objects of
 * an imaginary org). Each example may first put the org in the state it needs, through Okta's API or the
 * sandbox's records. `secret` goes into every input field that takes a secret (passwords, a hook's auth
 * value, a password in a raw API call), so a test can look for it everywhere the plugin could leak it.
 *
 * The type makes the list complete: an action added to the manifest without an example here does not
 * type-check.
 */
import { expect } from 'vitest';
import type { ActionKey, ActionTypes } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { credentialsOf } from '../../src/sandbox/resources/credentials/model.js';
import { eventHooksOf } from '../../src/sandbox/resources/event-hooks/model.js';
import { groupRulesOf } from '../../src/sandbox/resources/group-rules/model.js';
import { realmsOf } from '../../src/sandbox/resources/realms/model.js';
import { registerApiToken, securityOf } from '../../src/sandbox/resources/security/model.js';
import { userTypesOf } from '../../src/sandbox/resources/user-types/model.js';
import { sandboxClient } from './sandbox.js';
import { appIdOf, deviceIdsOf, groupIdOf, userIdOf } from './sandbox-data.js';

export const JANE = 'jane.doe@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const AMARA = 'amara.okafor@example.com';
const DIEGO = 'diego.garcia@example.com';
const PRIYA = 'priya.patel@example.com';
const ADMIN = 'sandbox.admin@example.com';

export type Example<Key extends ActionKey> = (
  sandbox: Sandbox,
) => ActionTypes[Key]['input'] | Promise<ActionTypes[Key]['input']>;

export type Examples = { [Key in ActionKey]: Example<Key> };

/** Sends a setup request with the sandbox's own token and checks it worked. */
async function setUp(sandbox: Sandbox, method: 'post' | 'put', path: string, body?: unknown) {
  const answer = await sandboxClient(sandbox)[method](path, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

const janesDevice = (sandbox: Sandbox) => deviceIdsOf(sandbox, JANE)[0]!;
const seededRuleId = (sandbox: Sandbox) =>
  [...groupRulesOf(sandbox.org).byId.values()].find((rule) => rule.name === 'Sales VPN access')!.id;
const seededHookId = (sandbox: Sandbox) =>
  [...eventHooksOf(sandbox.org).byId.values()].find((hook) => hook.name === 'SIEM user lifecycle feed')!.id;
const partnersRealm = (sandbox: Sandbox) =>
  [...realmsOf(sandbox.org).byId.values()].find((realm) => realm.profile.name === 'Partners')!.id;
const contractorType = (sandbox: Sandbox) =>
  [...userTypesOf(sandbox.org).values()].find((type) => type.name === 'contractor')!.id;
const blockedZone = (sandbox: Sandbox) =>
  [...securityOf(sandbox.org).zones.values()].find((zone) => zone.name === 'BlockedIpZone')!.id;
const factorOf = (sandbox: Sandbox, login: string, factorType: string) =>
  (credentialsOf(sandbox.org).factors.get(userIdOf(sandbox, login)) ?? []).find(
    (f) => f.factorType === factorType,
  )!.id;

export function sandboxExamples(secret: string): Examples {
  return {
    // Users
    'get-user': () => ({ user: JANE }),
    'list-users': () => ({ search: 'profile.department eq "Engineering"', maxItems: 5 }),
    'find-user': () => ({ email: JANE }),
    'list-user-groups': () => ({ user: JANE }),
    'list-user-apps': () => ({ user: JANE }),
    'list-user-blocks': () => ({ user: AMARA }),
    'list-user-factors': () => ({ user: LUKAS }),
    'list-user-roles': () => ({ user: ADMIN }),
    'list-user-grants': () => ({ user: LUKAS, includeScopeDetails: true }),
    // Needs an end user's OAuth token: with an API token it answers UNSUPPORTED, sending nothing.
    'get-user-info': () => ({}),
    'create-user': () => ({
      profile: { email: 'canary.user@example.com', firstName: 'Canary', lastName: 'User' },
      password: secret,
      activate: true,
    }),
    'update-user': () => ({ user: JANE, profile: { title: 'Staff Engineer' } }),
    'replace-user': () => ({
      user: JANE,
      profile: { login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe', department: 'Finance' },
    }),
    'delete-user': () => ({ user: LUKAS }),
    // User lifecycle
    'activate-user': () => ({ user: PRIYA }),
    'reactivate-user': async (sandbox) => {
      await setUp(
        sandbox,
        'post',
        `/api/v1/users/${userIdOf(sandbox, PRIYA)}/lifecycle/activate?sendEmail=true`,
      );
      return { user: PRIYA, sendEmail: true };
    },
    'deactivate-user': () => ({ user: MEI }),
    'suspend-user': () => ({ user: JANE }),
    'unsuspend-user': () => ({ user: DIEGO }),
    'unlock-user': () => ({ user: AMARA }),
    // Credentials and factors
    'reset-password': () => ({ user: JANE, sendEmail: true }),
    'expire-password': () => ({ user: JANE }),
    'set-password': () => ({ user: JANE, password: secret }),
    'reset-factors': () => ({ user: JANE }),
    'reset-factor': (sandbox) => ({ user: MEI, factorId: factorOf(sandbox, MEI, 'sms') }),
    // Sessions
    'clear-user-sessions': () => ({ user: LUKAS }),
    'revoke-user-grants': () => ({ user: LUKAS }),
    // Groups
    'list-groups': () => ({ name: 'Eng' }),
    'get-group': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Finance') }),
    'create-group': () => ({ name: 'Canary Group', description: 'Made by the canary test' }),
    'update-group': (sandbox) => ({
      groupId: groupIdOf(sandbox, 'Engineering'),
      description: 'Engineers and SREs',
    }),
    'delete-group': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Contractors') }),
    'list-group-members': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Engineering') }),
    'add-user-to-group': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Finance'), user: JANE }),
    'remove-user-from-group': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Engineering'), user: JANE }),
    'list-group-apps': (sandbox) => ({ groupId: groupIdOf(sandbox, 'Engineering') }),
    // Group rules
    'list-group-rules': () => ({ includeGroupNames: true }),
    'get-group-rule': (sandbox) => ({ ruleId: seededRuleId(sandbox) }),
    'create-group-rule': (sandbox) => ({
      name: 'Engineering to Contractors',
      expression: 'user.department == "Engineering"',
      groupIds: [groupIdOf(sandbox, 'Contractors')],
    }),
    'activate-group-rule': (sandbox) => ({ ruleId: seededRuleId(sandbox) }),
    'deactivate-group-rule': async (sandbox) => {
      await setUp(sandbox, 'post', `/api/v1/groups/rules/${seededRuleId(sandbox)}/lifecycle/activate`);
      return { ruleId: seededRuleId(sandbox) };
    },
    'delete-group-rule': (sandbox) => ({ ruleId: seededRuleId(sandbox) }),
    // Applications
    'list-apps': () => ({}),
    'get-app': (sandbox) => ({ appId: appIdOf(sandbox, 'Slack') }),
    'activate-app': (sandbox) => ({ appId: appIdOf(sandbox, 'Engineering Wiki (retired)') }),
    'deactivate-app': (sandbox) => ({ appId: appIdOf(sandbox, 'Slack') }),
    'list-app-users': (sandbox) => ({ appId: appIdOf(sandbox, 'Salesforce.com') }),
    'assign-user-to-app': (sandbox) => ({
      appId: appIdOf(sandbox, 'Legacy Payroll'),
      user: JANE,
      userName: 'jdoe',
      password: secret,
    }),
    'get-app-user': (sandbox) => ({ appId: appIdOf(sandbox, 'Salesforce.com'), user: MEI }),
    'update-app-user': (sandbox) => ({
      appId: appIdOf(sandbox, 'Legacy Payroll'),
      user: LUKAS,
      password: secret,
    }),
    'unassign-user-from-app': (sandbox) => ({ appId: appIdOf(sandbox, 'Legacy Payroll'), user: LUKAS }),
    'list-app-groups': (sandbox) => ({ appId: appIdOf(sandbox, 'Salesforce.com') }),
    'assign-group-to-app': (sandbox) => ({
      appId: appIdOf(sandbox, 'GitHub Enterprise Cloud'),
      groupId: groupIdOf(sandbox, 'Contractors'),
    }),
    'unassign-group-from-app': (sandbox) => ({
      appId: appIdOf(sandbox, 'IT Help Desk'),
      groupId: groupIdOf(sandbox, 'Support'),
    }),
    // Devices
    'list-devices': () => ({}),
    'get-device': (sandbox) => ({ deviceId: janesDevice(sandbox) }),
    'activate-device': async (sandbox) => {
      // Read first: deactivating a device unlinks it from its users.
      const deviceId = janesDevice(sandbox);
      await setUp(sandbox, 'post', `/api/v1/devices/${deviceId}/lifecycle/deactivate`);
      return { deviceId };
    },
    'deactivate-device': (sandbox) => ({ deviceId: janesDevice(sandbox) }),
    'suspend-device': (sandbox) => ({ deviceId: janesDevice(sandbox) }),
    'unsuspend-device': async (sandbox) => {
      await setUp(sandbox, 'post', `/api/v1/devices/${janesDevice(sandbox)}/lifecycle/suspend`);
      return { deviceId: janesDevice(sandbox) };
    },
    'delete-device': (sandbox) => ({ deviceId: janesDevice(sandbox), deactivateFirst: true }),
    'list-device-users': (sandbox) => ({ deviceId: janesDevice(sandbox) }),
    // Roles
    'assign-role-to-user': () => ({ user: AMARA, roleType: 'HELP_DESK_ADMIN' }),
    'unassign-role-from-user': async (sandbox) => {
      await setUp(sandbox, 'post', `/api/v1/users/${userIdOf(sandbox, JANE)}/roles`, { type: 'USER_ADMIN' });
      return { user: JANE, roleType: 'USER_ADMIN' };
    },
    'list-roles': () => ({}),
    // Realms
    'list-realms': () => ({}),
    'get-realm': (sandbox) => ({ realmId: partnersRealm(sandbox) }),
    'create-realm': () => ({
      name: 'Acme Logistics',
      realmType: 'PARTNER',
      domains: ['acme-logistics.example.com'],
    }),
    'update-realm': (sandbox) => ({ realmId: partnersRealm(sandbox), name: 'Partners (EMEA)' }),
    'delete-realm': (sandbox) => ({ realmId: partnersRealm(sandbox) }),
    // User types
    'list-user-types': () => ({}),
    'get-user-type': () => ({ typeId: 'default' }),
    'create-user-type': () => ({
      name: 'vendor',
      displayName: 'Vendor',
      description: 'Staff of our vendors',
    }),
    'update-user-type': (sandbox) => ({
      typeId: contractorType(sandbox),
      displayName: 'External contractor',
    }),
    'replace-user-type': (sandbox) => ({ typeId: contractorType(sandbox), displayName: 'Contractor' }),
    'delete-user-type': (sandbox) => ({ typeId: contractorType(sandbox) }),
    // Security
    'list-log-events': () => ({}),
    'list-network-zones': () => ({}),
    'get-network-zone': (sandbox) => ({ zoneId: blockedZone(sandbox) }),
    'block-ip-addresses': () => ({ addresses: ['203.0.113.45', '198.51.100.0/24'] }),
    'unblock-ip-addresses': () => ({ addresses: ['192.0.2.66'] }),
    'list-api-tokens': () => ({}),
    'revoke-api-token': (sandbox) => ({
      // Another admin's token, not the one the connection uses.
      apiTokenId: registerApiToken(sandbox.org, '00JanesOwnAutomationToken000000000000000', {
        userId: userIdOf(sandbox, JANE),
        name: "Jane's automation",
      }).id,
    }),
    'list-identity-providers': () => ({}),
    // Event hooks
    'list-event-hooks': () => ({}),
    'create-event-hook': () => ({
      name: 'Deprovisioning feed',
      uri: 'https://hr.example.com/okta/deprovisioned',
      eventTypes: ['user.lifecycle.deactivate'],
      authHeaderName: 'X-Api-Key',
      authHeaderValue: secret,
    }),
    // The sandbox reaches only loopback: the hook is unreachable, and the output says why.
    'verify-event-hook': async (sandbox) => {
      const hook = await setUp(sandbox, 'post', '/api/v1/eventHooks', {
        name: 'Unreachable receiver',
        events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
        channel: { type: 'HTTP', version: '1.0.0', config: { uri: 'https://unreachable.example.com/hook' } },
      });
      return { eventHookId: hook.id };
    },
    'activate-event-hook': async (sandbox) => {
      await setUp(sandbox, 'post', `/api/v1/eventHooks/${seededHookId(sandbox)}/lifecycle/deactivate`);
      return { eventHookId: seededHookId(sandbox) };
    },
    'deactivate-event-hook': (sandbox) => ({ eventHookId: seededHookId(sandbox) }),
    'delete-event-hook': (sandbox) => ({ eventHookId: seededHookId(sandbox), deactivateFirst: true }),
    // Advanced: a raw call that carries a password in its body.
    'call-okta-api': () => ({
      method: 'POST',
      path: '/api/v1/users',
      query: { activate: true },
      body: {
        profile: {
          login: 'raw.call@example.com',
          email: 'raw.call@example.com',
          firstName: 'Raw',
          lastName: 'Call',
        },
        credentials: { password: { value: secret } },
      },
    }),
    'offboard-user': () => ({ user: JANE }),
  };
}
