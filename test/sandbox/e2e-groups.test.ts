/**
 * Groups, group rules and admin roles end to end: every action through execute(), the real SDK and real
 * HTTP against the sandbox, which refuses any request that breaks Okta's API description.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { groupRulesOf } from '../../src/sandbox/resources/group-rules/model.js';
import { groupsOf, memberIds } from '../../src/sandbox/resources/groups/model.js';
import { rolesOf } from '../../src/sandbox/resources/roles/model.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { sandboxActions } from '../helpers/sandbox-actions.js';
import { groupIdOf, userIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

/** The seeded rule: Sales people into VPN Users, INACTIVE. */
function seededRuleId(sandbox: Sandbox): string {
  const rule = [...groupRulesOf(sandbox.org).byId.values()].find((r) => r.name === 'Sales VPN access');
  if (!rule) throw new Error('no seeded group rule');
  return rule.id;
}

async function activateSeededRule(sandbox: Sandbox): Promise<string> {
  const ruleId = seededRuleId(sandbox);
  const answer = await sandboxClient(sandbox).post(`/api/v1/groups/rules/${ruleId}/lifecycle/activate`);
  expect(answer.status).toBe(204);
  return ruleId;
}

function isMember(sandbox: Sandbox, groupName: string, login: string): boolean {
  const group = groupsOf(sandbox.org).byId.get(groupIdOf(sandbox, groupName))!;
  return memberIds(sandbox.org, group).includes(userIdOf(sandbox, login));
}

function rolesOfUser(sandbox: Sandbox, login: string): string[] {
  return (rolesOf(sandbox.org).assignments.get(userIdOf(sandbox, login)) ?? []).map((a) => a.type);
}

describe('groups, group rules and roles: changes', () => {
  mutationScenarios([
    mutation({
      key: 'create-group',
      input: async () => ({
        name: 'Platform Engineering',
        description: 'Engineers of the platform team',
        attributes: { costCenter: 'CC-4420' },
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'Platform Engineering', type: 'OKTA_GROUP' });
        expect(output.group.profile.costCenter).toBe('CC-4420');
        expect(groupsOf(sandbox.org).byId.get(output.id)?.profile.costCenter).toBe('CC-4420');
      },
    }),
    mutation({
      key: 'update-group',
      input: async (sandbox) => ({
        groupId: groupIdOf(sandbox, 'Engineering'),
        description: 'Engineers and SREs',
        attributes: { owner: 'platform-team' },
      }),
      expectOutput: (output, sandbox) => {
        expect(output.changedFields).toEqual(['owner', 'description']);
        // The seeded costCenter was not in the input and survives Okta's whole-profile replacement.
        expect(groupsOf(sandbox.org).byId.get(output.id)?.profile).toEqual({
          name: 'Engineering',
          description: 'Engineers and SREs',
          costCenter: 'CC-4410',
          owner: 'platform-team',
        });
      },
    }),
    mutation({
      key: 'delete-group',
      input: async (sandbox) => ({ groupId: groupIdOf(sandbox, 'Contractors'), missingOk: true }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ name: 'Contractors', deleted: true });
        expect(groupsOf(sandbox.org).byId.has(output.id)).toBe(false);
      },
    }),
    mutation({
      key: 'create-group-rule',
      title: 'created inactive',
      input: async (sandbox) => ({
        name: 'Engineering to Contractors',
        expression: 'user.department == "Engineering"',
        groupIds: [groupIdOf(sandbox, 'Contractors')],
        excludedUsers: ['omar.haddad@example.com'],
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({
          status: 'INACTIVE',
          excludedUserIds: [userIdOf(sandbox, 'omar.haddad@example.com')],
        });
        expect(isMember(sandbox, 'Contractors', 'jane.doe@example.com')).toBe(false);
      },
    }),
    mutation({
      key: 'create-group-rule',
      title: 'activated at once',
      input: async (sandbox) => ({
        name: 'Engineering to Contractors',
        expression: 'user.department == "Engineering"',
        groupIds: [groupIdOf(sandbox, 'Contractors')],
        excludedUsers: ['omar.haddad@example.com'],
        activate: true,
      }),
      expectOutput: (output, sandbox) => {
        expect(output.status).toBe('ACTIVE');
        expect(isMember(sandbox, 'Contractors', 'jane.doe@example.com')).toBe(true);
        expect(isMember(sandbox, 'Contractors', 'omar.haddad@example.com')).toBe(false);
      },
    }),
    mutation({
      key: 'activate-group-rule',
      input: async (sandbox) => ({ ruleId: seededRuleId(sandbox) }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ status: 'ACTIVE', previousStatus: 'INACTIVE' });
        expect(isMember(sandbox, 'VPN Users', 'mei.chen@example.com')).toBe(true);
      },
    }),
    mutation({
      key: 'deactivate-group-rule',
      input: async (sandbox) => ({ ruleId: await activateSeededRule(sandbox) }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ status: 'INACTIVE', previousStatus: 'ACTIVE' });
        // Deactivating keeps the memberships the rule made.
        expect(isMember(sandbox, 'VPN Users', 'mei.chen@example.com')).toBe(true);
      },
    }),
    mutation({
      key: 'delete-group-rule',
      input: async (sandbox) => ({
        ruleId: await activateSeededRule(sandbox),
        removeUsers: true,
        missingOk: true,
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ deactivatedFirst: true, usersRemoved: true, deleted: true });
        expect(groupRulesOf(sandbox.org).byId.has(output.id)).toBe(false);
        // The rule's membership is taken back; an engineer's own membership is not the rule's.
        expect(isMember(sandbox, 'VPN Users', 'mei.chen@example.com')).toBe(false);
        expect(isMember(sandbox, 'VPN Users', 'jane.doe@example.com')).toBe(true);
      },
    }),
    mutation({
      key: 'assign-role-to-user',
      title: 'a standard role',
      input: async () => ({ user: 'amara.okafor@example.com', roleType: 'HELP_DESK_ADMIN' }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({
          roleType: 'HELP_DESK_ADMIN',
          userId: userIdOf(sandbox, 'amara.okafor@example.com'),
        });
        expect(rolesOfUser(sandbox, 'amara.okafor@example.com')).toEqual(['HELP_DESK_ADMIN']);
      },
    }),
    mutation({
      key: 'assign-role-to-user',
      title: 'a custom role on a resource set',
      input: async (sandbox) => ({
        user: 'amara.okafor@example.com',
        roleType: 'CUSTOM',
        customRoleId: [...rolesOf(sandbox.org).customRoles.keys()][0]!,
        resourceSetId: [...rolesOf(sandbox.org).resourceSets.keys()][0]!,
      }),
      expectOutput: (output, sandbox) => {
        expect(output).toMatchObject({ roleType: 'CUSTOM', label: 'Help Desk Tier 2' });
        expect(output.assignment['resource-set']).toBe([...rolesOf(sandbox.org).resourceSets.keys()][0]);
      },
    }),
    mutation({
      key: 'unassign-role-from-user',
      input: async (sandbox) => {
        const janeId = userIdOf(sandbox, 'jane.doe@example.com');
        const assigned = await sandboxClient(sandbox).post(`/api/v1/users/${janeId}/roles`, {
          type: 'USER_ADMIN',
        });
        expect(assigned.status).toBe(201);
        return { user: 'jane.doe@example.com', roleType: 'USER_ADMIN' };
      },
      expectOutput: (output, sandbox) => {
        expect(output.removedAssignmentId).toMatch(/^ra1/);
        expect(rolesOfUser(sandbox, 'jane.doe@example.com')).toEqual([]);
      },
    }),
  ]);
});

describe('groups, group rules and roles: reads and refusals', () => {
  const ctx = useSandbox();
  const { run, failure } = sandboxActions(ctx);

  it('list-group-apps lists the apps assigned to a group, page by page', async () => {
    const groupId = groupIdOf(ctx.sandbox, 'Engineering');
    const all = await run('list-group-apps', { groupId });
    expect(all.apps.map((app) => app.label).sort()).toEqual([
      'Engineering Wiki (retired)',
      'GitHub Enterprise Cloud',
    ]);
    const first = await run('list-group-apps', { groupId, maxItems: 1, limit: 1 });
    expect(first.count).toBe(1);
    const rest = await run('list-group-apps', { groupId, cursor: first.nextCursor! });
    expect([...first.apps, ...rest.apps].map((app) => app.id)).toEqual(all.apps.map((app) => app.id));
    expect(await run('list-group-apps', { groupId: groupIdOf(ctx.sandbox, 'Contractors') })).toMatchObject({
      apps: [],
      count: 0,
    });
  });

  it('list-group-rules and get-group-rule read the seeded rule, with group names on request', async () => {
    const listed = await run('list-group-rules', { search: 'vpn', includeGroupNames: true });
    expect(listed).toMatchObject({
      count: 1,
      nextCursor: null,
      rules: [{ name: 'Sales VPN access', status: 'INACTIVE' }],
    });
    const vpnId = groupIdOf(ctx.sandbox, 'VPN Users');
    expect(listed.rules[0]?._embedded).toEqual({ groupIdToGroupNameMap: { [vpnId]: 'VPN Users' } });
    expect((await run('list-group-rules', { search: 'payroll' })).count).toBe(0);

    const rule = await run('get-group-rule', { ruleId: seededRuleId(ctx.sandbox) });
    expect(rule).toMatchObject({
      name: 'Sales VPN access',
      status: 'INACTIVE',
      expression: 'user.department=="Sales"',
      groupIds: [vpnId],
      excludedUserIds: [],
    });
    expect(await failure('get-group-rule', { ruleId: '0prNoSuchRule0000000' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('list-roles lists the custom role and offers the standard roles', async () => {
    const roles = await run('list-roles', {});
    expect(roles).toMatchObject({ count: 1, nextCursor: null, customRoles: [{ label: 'Help Desk Tier 2' }] });
    expect(roles.standardRoles.map((role) => role.type)).toContain('SUPER_ADMIN');
  });

  it('refuses what Okta refuses, saying why, and changes nothing', async () => {
    const before = ctx.sandbox.org.version;
    const appGroup = await failure('update-group', {
      groupId: groupIdOf(ctx.sandbox, 'AD: Domain Users'),
      name: 'x',
    });
    expect(appGroup).toMatchObject({ code: 'CONFLICT' });
    expect(appGroup.message).toContain('APP_GROUP');
    expect(await failure('create-group', { name: 'Engineering' })).toMatchObject({ code: 'CONFLICT' });
    expect(
      await failure('create-group-rule', {
        name: 'Broken',
        expression: 'user.department = "Sales"',
        groupIds: [groupIdOf(ctx.sandbox, 'VPN Users')],
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', status: 400 });
    // The org's only Super Administrator keeps the role.
    expect(
      await failure('unassign-role-from-user', {
        user: 'sandbox.admin@example.com',
        roleType: 'SUPER_ADMIN',
      }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(ctx.sandbox.org.version).toBe(before);

    const ruleId = await activateSeededRule(ctx.sandbox);
    expect(await failure('delete-group-rule', { ruleId, deactivateFirst: false })).toMatchObject({
      code: 'CONFLICT',
    });
    expect(groupRulesOf(ctx.sandbox.org).byId.get(ruleId)?.status).toBe('ACTIVE');
  });

  it('a rule whose group was deleted is INVALID: it cannot be activated, only deleted', async () => {
    const contractors = groupIdOf(ctx.sandbox, 'Contractors');
    const created = await run('create-group-rule', {
      name: 'Sales to Contractors',
      expression: 'user.department == "Sales"',
      groupIds: [contractors],
    });
    await run('delete-group', { groupId: contractors });
    expect(await run('get-group-rule', { ruleId: created.id })).toMatchObject({ status: 'INVALID' });
    const refused = await failure('activate-group-rule', { ruleId: created.id });
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(refused.message).toContain('delete-group-rule');
    expect(await run('delete-group-rule', { ruleId: created.id })).toMatchObject({
      previousStatus: 'INVALID',
      deactivatedFirst: false,
      changed: true,
    });
  });
});
