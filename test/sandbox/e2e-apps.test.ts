import { describe, expect, it } from 'vitest';
import type { ActionTypes } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { sandboxActions } from '../helpers/sandbox-actions.js';
import { appIdOf, groupIdOf, userIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

const JANE = 'jane.doe@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const SALESFORCE = 'Salesforce.com';
const SLACK = 'Slack';
const GITHUB = 'GitHub Enterprise Cloud';
const PAYROLL = 'Legacy Payroll';
const HELP_DESK = 'IT Help Desk';
const WIKI = 'Engineering Wiki (retired)';

/** The app user of `login` on the app `label`, read straight from the sandbox's API. */
async function appUserOf(sandbox: Sandbox, label: string, login: string) {
  const answer = await sandboxClient(sandbox).get(
    `/api/v1/apps/${appIdOf(sandbox, label)}/users/${userIdOf(sandbox, login)}`,
  );
  return answer.status === 200 ? answer.body : undefined;
}

mutationScenarios([
  mutation({
    key: 'activate-app',
    input: async (sandbox) => ({ appId: appIdOf(sandbox, WIKI) }),
    expectOutput: (output) => expect(output).toMatchObject({ previousStatus: 'INACTIVE', status: 'ACTIVE' }),
  }),
  mutation({
    key: 'deactivate-app',
    input: async (sandbox) => ({ appId: appIdOf(sandbox, SLACK) }),
    expectOutput: async (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'ACTIVE', status: 'INACTIVE' });
      // Okta reconciles group assignments on deactivation: Slack came from the Everyone group.
      expect(await appUserOf(sandbox, SLACK, JANE)).toBeUndefined();
    },
  }),
  mutation({
    key: 'assign-user-to-app',
    title: 'a new direct assignment with credentials',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, PAYROLL),
      user: JANE,
      userName: 'jdoe',
      password: 'Payroll-Sandbox-2',
    }),
    expectOutput: (output) =>
      expect(output).toMatchObject({
        scope: 'USER',
        userName: 'jdoe',
        previousScope: null,
        changedFields: ['credentials.userName', 'credentials.password'],
        appUser: { credentials: { password: {} } },
      }),
  }),
  mutation({
    key: 'assign-user-to-app',
    title: 'a group assignment made direct, with a profile attribute',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, SALESFORCE),
      user: MEI,
      profile: { role: 'Sales Lead' },
    }),
    expectOutput: (output) =>
      expect(output).toMatchObject({
        scope: 'USER',
        previousScope: 'GROUP',
        changedFields: ['scope', 'profile.role'],
        appUser: { profile: { role: 'Sales Lead', profile: 'Standard User' } },
      }),
  }),
  mutation({
    key: 'update-app-user',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, SALESFORCE),
      user: LUKAS,
      profile: { role: 'Controller' },
    }),
    expectOutput: async (output, sandbox) => {
      expect(output).toMatchObject({ changedFields: ['profile.role'] });
      // Attributes not given keep their value.
      expect((await appUserOf(sandbox, SALESFORCE, LUKAS)).profile).toMatchObject({
        role: 'Controller',
        profile: 'Read Only',
      });
    },
  }),
  mutation({
    key: 'unassign-user-from-app',
    input: async (sandbox) => ({ appId: appIdOf(sandbox, PAYROLL), user: LUKAS }),
    expectOutput: async (output, sandbox) => {
      expect(output).toMatchObject({ previousScope: 'USER', assigned: false });
      expect(await appUserOf(sandbox, PAYROLL, LUKAS)).toBeUndefined();
    },
  }),
  mutation({
    key: 'assign-group-to-app',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, GITHUB),
      groupId: groupIdOf(sandbox, 'Contractors'),
      priority: 0,
      profile: { team: 'contractors' },
    }),
    expectOutput: (output) =>
      expect(output).toMatchObject({
        priority: 0,
        previouslyAssigned: false,
        groupAssignment: { profile: { team: 'contractors' } },
      }),
  }),
  mutation({
    key: 'assign-group-to-app',
    title: 'an assigned group gets another attribute; the others are kept',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, SALESFORCE),
      groupId: groupIdOf(sandbox, 'Sales'),
      profile: { role: 'Sales Rep' },
    }),
    expectOutput: (output) =>
      expect(output).toMatchObject({
        previouslyAssigned: true,
        changedFields: ['profile.role'],
        groupAssignment: { profile: { role: 'Sales Rep', profile: 'Standard User' } },
      }),
  }),
  mutation({
    key: 'unassign-group-from-app',
    input: async (sandbox) => ({
      appId: appIdOf(sandbox, HELP_DESK),
      groupId: groupIdOf(sandbox, 'Support'),
    }),
    expectOutput: (output) => expect(output).toMatchObject({ previousPriority: 0, assigned: false }),
  }),
]);

describe('application actions end to end', () => {
  const ctx = useSandbox();
  const { run, failure } = sandboxActions(ctx);
  const appId = (label: string) => appIdOf(ctx.sandbox, label);

  const labels = (output: ActionTypes['list-apps']['output']) => output.apps.map((a) => a.label).sort();

  it('list-apps: by name, status, user (login) and group, and page by page with cursors', async () => {
    expect(labels(await run('list-apps', { query: 'sales' }))).toEqual([SALESFORCE]);
    expect(labels(await run('list-apps', { status: 'INACTIVE' }))).toEqual([WIKI]);
    expect(labels(await run('list-apps', { user: JANE }))).toEqual([GITHUB, SLACK]);
    const engineering = groupIdOf(ctx.sandbox, 'Engineering');
    expect(labels(await run('list-apps', { groupId: engineering }))).toEqual([GITHUB, WIKI].sort());
    expect(labels(await run('list-apps', { groupId: engineering, status: 'ACTIVE' }))).toEqual([GITHUB]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await run('list-apps', { maxItems: 3, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.apps.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('get-app returns the settings of its sign-on mode; an unknown app is NOT_FOUND', async () => {
    expect(await run('get-app', { appId: appId(SALESFORCE) })).toMatchObject({
      name: 'salesforce',
      label: SALESFORCE,
      status: 'ACTIVE',
      signOnMode: 'SAML_2_0',
      app: { settings: { signOn: { ssoAcsUrl: expect.stringContaining('salesforce.com') } } },
    });
    expect(await run('get-app', { appId: appId(PAYROLL) })).toMatchObject({
      signOnMode: 'BROWSER_PLUGIN',
      app: { credentials: { scheme: 'EDIT_USERNAME_AND_PASSWORD' } },
    });
    expect(await failure('get-app', { appId: '0oa00000000000000000' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('list-app-users and get-app-user: direct and group assignments, the app username and the Okta user', async () => {
    const salesforce = await run('list-app-users', { appId: appId(SALESFORCE), includeUser: true });
    const loginOf = (appUser: (typeof salesforce.appUsers)[number]) =>
      (appUser._embedded?.user as { profile?: { login?: string } } | undefined)?.profile?.login;
    const byLogin = new Map(salesforce.appUsers.map((u) => [loginOf(u), u]));
    expect(byLogin.get(LUKAS)).toMatchObject({ scope: 'USER', profile: { role: 'Finance' } });
    expect(byLogin.get(MEI)).toMatchObject({ scope: 'GROUP', profile: { role: 'Sales' } });
    expect(salesforce.count).toBe(salesforce.appUsers.length);
    expect((await run('list-app-users', { appId: appId(SALESFORCE), query: 'mei' })).appUsers).toHaveLength(
      1,
    );

    expect(await run('get-app-user', { appId: appId(PAYROLL), user: LUKAS })).toMatchObject({
      userId: userIdOf(ctx.sandbox, LUKAS),
      scope: 'USER',
      userName: 'lweber',
      appUser: { credentials: { password: {} } },
    });
    expect(await run('get-app-user', { appId: appId(GITHUB), user: JANE })).toMatchObject({
      scope: 'GROUP',
      userName: 'jane.doe',
    });
    const notAssigned = await failure('get-app-user', { appId: appId(PAYROLL), user: JANE });
    expect(notAssigned).toMatchObject({ code: 'NOT_FOUND' });
    expect(notAssigned.message).toContain('assign-user-to-app');
  });

  it('list-app-groups: in priority order with the group embedded; a small run keeps a cursor', async () => {
    const first = await run('list-app-groups', { appId: appId(SALESFORCE), includeGroup: true });
    expect(first).toMatchObject({
      count: 1,
      nextCursor: null,
      groupAssignments: [
        {
          id: groupIdOf(ctx.sandbox, 'Sales'),
          priority: 0,
          _embedded: { group: { profile: { name: 'Sales' } } },
        },
      ],
    });
    const github = appId(GITHUB);
    await run('assign-group-to-app', { appId: github, groupId: groupIdOf(ctx.sandbox, 'Contractors') });
    const page = await run('list-app-groups', { appId: github, maxItems: 1 });
    expect(page.groupAssignments.map((a) => a.priority)).toEqual([0]);
    const rest = await run('list-app-groups', { appId: github, cursor: page.nextCursor! });
    expect(rest).toMatchObject({ count: 1, nextCursor: null, groupAssignments: [{ priority: 1 }] });
  });

  it('unassign-user-from-app refuses a user who has the app through a group, naming the route', async () => {
    const throughGroup = await failure('unassign-user-from-app', { appId: appId(GITHUB), user: JANE });
    expect(throughGroup).toMatchObject({ code: 'CONFLICT' });
    expect(throughGroup.message).toContain(`group ${groupIdOf(ctx.sandbox, 'Engineering')}`);
    expect(throughGroup.message).toContain('unassign-group-from-app');
    expect(throughGroup.message).toContain('remove-user-from-group');
    expect(await appUserOf(ctx.sandbox, GITHUB, JANE)).toMatchObject({ scope: 'GROUP' });

    // Assigned directly as well: Okta itself refuses (E0000046) while the group still gives the app.
    await run('assign-user-to-app', { appId: appId(SALESFORCE), user: MEI });
    const both = await failure('unassign-user-from-app', { appId: appId(SALESFORCE), user: MEI });
    expect(both).toMatchObject({ code: 'CONFLICT' });
    expect(both.message).toContain('unassign-group-from-app');
  });

  it("update-app-user without a password reports no change on a repeat; Okta's credential rules come back as INVALID_INPUT", async () => {
    const input = { appId: appId(PAYROLL), user: LUKAS, userName: 'lukas.weber' };
    expect(await run('update-app-user', input)).toMatchObject({
      changed: true,
      changedFields: ['credentials.userName'],
    });
    expect(await run('update-app-user', input)).toMatchObject({ changed: false, userName: 'lukas.weber' });
    const refused = await failure('assign-user-to-app', {
      appId: appId(SALESFORCE),
      user: JANE,
      password: 'Not-For-Saml-1',
    });
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', okta: { errorCode: 'E0000041' } });
    expect(JSON.stringify(refused)).not.toContain('Not-For-Saml-1');
  });

  it('assign-user-to-app refuses a deactivated user; unassign-group-from-app checks the group exists', async () => {
    const priya = 'priya.patel@example.com';
    await sandboxClient(ctx.sandbox).post(
      `/api/v1/users/${userIdOf(ctx.sandbox, priya)}/lifecycle/deactivate`,
    );
    const deactivated = await failure('assign-user-to-app', { appId: appId(SLACK), user: priya });
    expect(deactivated).toMatchObject({ code: 'CONFLICT' });
    expect(deactivated.message).toContain('activate-user');
    expect(
      await run('unassign-group-from-app', { appId: appId(SLACK), groupId: groupIdOf(ctx.sandbox, 'Sales') }),
    ).toMatchObject({ changed: false, previousPriority: null });
    expect(
      await failure('unassign-group-from-app', { appId: appId(SLACK), groupId: '00g00000000000000000' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
