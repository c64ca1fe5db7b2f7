/**
 * The sandbox's group assignments of applications, how assignments follow users and groups, and a user's
 * app links.
 */
import { describe, expect, it } from 'vitest';
import { assignGroup } from '../../src/sandbox/resources/apps/assignments.js';
import { appsOf } from '../../src/sandbox/resources/apps/model.js';
import { insertGroup } from '../../src/sandbox/resources/groups/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import {
  appsTestKit,
  EXPENSES,
  expectOktaError,
  GITHUB,
  HELP_DESK,
  JANE,
  LUKAS,
  MEI,
  OMAR,
  PAYROLL,
  PRIYA,
  SALESFORCE,
  SLACK,
  WIKI,
} from '../helpers/sandbox-apps.js';

const ctx = useSandbox();
const { userId, groupId, appId, events, allPages, appUsers, appUserIds } = appsTestKit(ctx);

describe('assignGroupToApplication', () => {
  it('assigns a group: its members get the app with scope GROUP, each with a log event', async () => {
    const salesforce = appId(SALESFORCE);
    const vpn = groupId('VPN Users');
    const answer = await ctx.api.put(`/api/v1/apps/${salesforce}/groups/${vpn}`, {
      profile: { role: 'Engineer' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: vpn,
      priority: 1,
      profile: { role: 'Engineer' },
      _links: {
        self: { href: `${ctx.sandbox.url}/api/v1/apps/${salesforce}/groups/${vpn}` },
        app: { href: `${ctx.sandbox.url}/api/v1/apps/${salesforce}` },
        group: { href: `${ctx.sandbox.url}/api/v1/groups/${vpn}` },
      },
    });
    const jane = await ctx.api.get(`/api/v1/apps/${salesforce}/users/${userId(JANE)}`);
    expect(jane.body).toMatchObject({ scope: 'GROUP', profile: { role: 'Engineer' } });
    expect(events()).toEqual([
      'group.application_assignment.add',
      'application.user_membership.add',
      'application.user_membership.add',
    ]);
  });

  it('places an assignment at the priority asked for, and the highest-priority group gives its profile', async () => {
    const salesforce = appId(SALESFORCE);
    const sales = groupId('Sales');
    const vpn = groupId('VPN Users');
    await ctx.api.put(`/api/v1/groups/${vpn}/users/${userId(MEI)}`);
    const answer = await ctx.api.put(`/api/v1/apps/${salesforce}/groups/${vpn}`, {
      priority: 0,
      profile: { role: 'VPN' },
    });
    expect(answer.body.priority).toBe(0);
    const groups = await ctx.api.get(`/api/v1/apps/${salesforce}/groups`);
    expect(groups.body.map((g: { id: string; priority: number }) => [g.id, g.priority])).toEqual([
      [vpn, 0],
      [sales, 1],
    ]);
    const mei = await ctx.api.get(`/api/v1/apps/${salesforce}/users/${userId(MEI)}`);
    expect(mei.body.profile.role).toBe('VPN');
    expect(mei.body._links.group.href).toContain(vpn);
  });

  it('updates an existing assignment on a second PUT', async () => {
    const salesforce = appId(SALESFORCE);
    const sales = groupId('Sales');
    const answer = await ctx.api.put(`/api/v1/apps/${salesforce}/groups/${sales}`, {
      profile: { role: 'AE' },
    });
    expect(answer.body).toMatchObject({ id: sales, priority: 0, profile: { role: 'AE' } });
    expect(events()).toEqual(['group.application_assignment.update']);
    expect((await ctx.api.get(`/api/v1/apps/${salesforce}/users/${userId(MEI)}`)).body.profile.role).toBe(
      'AE',
    );
  });

  it("takes a PUT without a body, and refuses a body that breaks Okta's description", async () => {
    const bare = await ctx.api.put(`/api/v1/apps/${appId(HELP_DESK)}/groups/${groupId('Contractors')}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ id: groupId('Contractors'), priority: 1, profile: {} });
    const bad = await ctx.api.put(`/api/v1/apps/${appId(HELP_DESK)}/groups/${groupId('People')}`, {
      priority: 'high',
    });
    expectOktaError(bad, 400, 'E0000001');
    const negative = await ctx.api.put(`/api/v1/apps/${appId(HELP_DESK)}/groups/${groupId('People')}`, {
      priority: -1,
    });
    expectOktaError(negative, 400, 'E0000001', 'Api validation failed: priority');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('(assignGroupToApplication) body/priority: must be integer'),
    ]);
  });

  it('answers 404 for an unknown group or app', async () => {
    const group = await ctx.api.put(`/api/v1/apps/${appId(SLACK)}/groups/00gNOPE0000000000000`);
    expectOktaError(
      group,
      404,
      'E0000007',
      'Not found: Resource not found: 00gNOPE0000000000000 (UserGroup)',
    );
    const app = await ctx.api.put(`/api/v1/apps/0oaNOPE0000000000000/groups/${groupId('Sales')}`);
    expectOktaError(app, 404, 'E0000007');
  });
});

describe('listApplicationGroupAssignments', () => {
  it('lists assignments in priority order, filtered by group name prefix, with the group on expand=group', async () => {
    const helpDesk = appId(HELP_DESK);
    await ctx.api.put(`/api/v1/apps/${helpDesk}/groups/${groupId('Contractors')}`);
    const all = await ctx.api.get(`/api/v1/apps/${helpDesk}/groups`);
    expect(all.body.map((g: { id: string }) => g.id)).toEqual([groupId('Support'), groupId('Contractors')]);
    const q = await ctx.api.get(`/api/v1/apps/${helpDesk}/groups?q=con&expand=group`);
    expect(q.body).toHaveLength(1);
    expect(q.body[0]._embedded.group).toMatchObject({
      id: groupId('Contractors'),
      profile: { name: 'Contractors' },
    });
  });

  it('pages by 20 (the default and the least limit Okta takes)', async () => {
    const org = ctx.sandbox.org;
    const app = appsOf(org).byId.get(appId(SALESFORCE))!;
    for (let i = 0; i < 25; i++) {
      assignGroup(org, app, insertGroup(org, { profile: { name: `Territory ${i}` }, quiet: true }), {
        quiet: true,
      });
    }
    const pages = await allPages(`/api/v1/apps/${app.id}/groups`);
    expect(pages.map((p) => p.length)).toEqual([20, 6]);
    expect(new Set(pages.flat().map((g) => g.id)).size).toBe(26);
    expectOktaError(await ctx.api.get(`/api/v1/apps/${app.id}/groups?limit=10`), 400, 'E0000001');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('query parameter "limit": must be >= 20'),
    ]);
  });

  it('answers 404 for an unknown app', async () => {
    expectOktaError(await ctx.api.get('/api/v1/apps/0oaNOPE0000000000000/groups'), 404, 'E0000007');
  });
});

describe('unassignApplicationFromGroup', () => {
  it('removes the assignment: its members lose the app, unless they are assigned directly', async () => {
    const salesforce = appId(SALESFORCE);
    const answer = await ctx.api.delete(`/api/v1/apps/${salesforce}/groups/${groupId('Sales')}`);
    expect(answer.status).toBe(204);
    expect(await appUserIds(SALESFORCE)).toEqual([userId(LUKAS)]);
    expect((await ctx.api.get(`/api/v1/apps/${salesforce}/groups`)).body).toEqual([]);
    expect(events()).toEqual([
      'group.application_assignment.remove',
      'application.user_membership.remove',
      'application.user_membership.remove',
    ]);
  });

  it('keeps the app for members another assigned group still holds', async () => {
    const github = appId(GITHUB);
    await ctx.api.put(`/api/v1/apps/${github}/groups/${groupId('VPN Users')}`);
    await ctx.api.delete(`/api/v1/apps/${github}/groups/${groupId('Engineering')}`);
    const users = await appUsers(GITHUB);
    expect(users.map((u) => u.id).sort()).toEqual([userId(JANE), userId(OMAR)].sort());
    expect(users[0]!._links.group.href).toContain(groupId('VPN Users'));
  });

  it('answers 404 for a group without an assignment, an unknown group or app', async () => {
    const notAssigned = await ctx.api.delete(`/api/v1/apps/${appId(SLACK)}/groups/${groupId('Sales')}`);
    expectOktaError(notAssigned, 404, 'E0000007');
    const group = await ctx.api.delete(`/api/v1/apps/${appId(SLACK)}/groups/00gNOPE0000000000000`);
    expectOktaError(
      group,
      404,
      'E0000007',
      'Not found: Resource not found: 00gNOPE0000000000000 (UserGroup)',
    );
    const app = await ctx.api.delete(`/api/v1/apps/0oaNOPE0000000000000/groups/${groupId('Sales')}`);
    expectOktaError(app, 404, 'E0000007');
  });
});

describe('listAssignedApplicationsForGroup', () => {
  it('lists the apps a group is assigned to, inactive ones included', async () => {
    const answer = await ctx.api.get(`/api/v1/groups/${groupId('Engineering')}/apps`);
    expect(answer.status).toBe(200);
    expect(answer.body.map((a: { label: string }) => a.label).sort()).toEqual([GITHUB, WIKI].sort());
    const none = await ctx.api.get(`/api/v1/groups/${groupId('People')}/apps`);
    expect(none.body).toEqual([]);
  });

  it('pages with limit and the after cursor', async () => {
    const pages = await allPages(`/api/v1/groups/${groupId('Engineering')}/apps?limit=1`);
    expect(pages.map((p) => p.length)).toEqual([1, 1]);
    expect(new Set(pages.flat().map((a) => a.id)).size).toBe(2);
  });

  it('answers 404 for an unknown group', async () => {
    const answer = await ctx.api.get('/api/v1/groups/00gNOPE0000000000000/apps');
    expectOktaError(
      answer,
      404,
      'E0000007',
      'Not found: Resource not found: 00gNOPE0000000000000 (UserGroup)',
    );
  });
});

describe('assignments follow users and groups', () => {
  it('gives the app to a user who joins an assigned group, and takes it from one who leaves', async () => {
    const engineering = groupId('Engineering');
    await ctx.api.put(`/api/v1/groups/${engineering}/users/${userId(MEI)}`);
    const joined = await ctx.api.get(`/api/v1/apps/${appId(GITHUB)}/users/${userId(MEI)}`);
    expect(joined.body.scope).toBe('GROUP');
    await ctx.api.delete(`/api/v1/groups/${engineering}/users/${userId(MEI)}`);
    const left = await ctx.api.get(`/api/v1/apps/${appId(GITHUB)}/users/${userId(MEI)}`);
    expectOktaError(left, 404, 'E0000007');
  });

  it('deprovisions a deactivated user from every app; reactivation brings back only group assignments', async () => {
    const lukas = userId(LUKAS);
    await ctx.api.post(`/api/v1/users/${lukas}/lifecycle/deactivate`);
    expect((await ctx.api.get(`/api/v1/users/${lukas}/appLinks`)).body).toEqual([]);
    expect(await appUserIds(SALESFORCE)).not.toContain(lukas);
    expect(events().filter((e) => e === 'application.user_membership.remove')).toHaveLength(4);
    await ctx.api.post(`/api/v1/users/${lukas}/lifecycle/activate?sendEmail=false`);
    const links = await ctx.api.get(`/api/v1/users/${lukas}/appLinks`);
    expect(links.body.map((l: { label: string }) => l.label)).toEqual([EXPENSES, SLACK]);
  });

  it("drops a deleted user's assignments", async () => {
    const priya = userId(PRIYA);
    await ctx.api.post(`/api/v1/apps/${appId(PAYROLL)}/users`, {
      id: priya,
      credentials: { userName: 'ppatel' },
    });
    await ctx.api.delete(`/api/v1/users/${priya}`);
    await ctx.api.delete(`/api/v1/users/${priya}`);
    expect(findUser(ctx.sandbox.org, PRIYA)).toBeUndefined();
    expect(await appUserIds(PAYROLL)).toEqual([userId(LUKAS)]);
    expect(appsOf(ctx.sandbox.org).appUsers.get(appId(PAYROLL))?.has(priya)).toBe(false);
  });

  it("drops a deleted group's assignments, and its members lose the app", async () => {
    const created = await ctx.api.post('/api/v1/groups', { profile: { name: 'Data Science' } });
    const dataScience = created.body.id as string;
    await ctx.api.put(`/api/v1/groups/${dataScience}/users/${userId(MEI)}`);
    await ctx.api.put(`/api/v1/apps/${appId(GITHUB)}/groups/${dataScience}`);
    expect(await appUserIds(GITHUB)).toContain(userId(MEI));
    expect((await ctx.api.delete(`/api/v1/groups/${dataScience}`)).status).toBe(204);
    const groups = await ctx.api.get(`/api/v1/apps/${appId(GITHUB)}/groups`);
    expect(groups.body.map((g: { id: string }) => g.id)).toEqual([groupId('Engineering')]);
    expect(await appUserIds(GITHUB)).not.toContain(userId(MEI));
  });
});

describe('listAppLinks', () => {
  it('lists a link for each active app the user has, directly or through a group, by label', async () => {
    const jane = userId(JANE);
    const answer = await ctx.api.get(`/api/v1/users/${jane}/appLinks`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      {
        id: jane,
        label: GITHUB,
        linkUrl: expect.stringContaining(`${ctx.sandbox.url}/home/githubcloud/${appId(GITHUB)}/`),
        logoUrl: expect.stringContaining(ctx.sandbox.url),
        appName: 'githubcloud',
        appInstanceId: appId(GITHUB),
        appAssignmentId: expect.stringMatching(/^0ua[0-9A-Za-z]{17}$/),
        credentialsSetup: false,
        hidden: false,
        sortOrder: 0,
      },
      expect.objectContaining({ label: SLACK, appName: 'slack', sortOrder: 1 }),
    ]);
  });

  it("tells when an SWA app has the user's credentials", async () => {
    const answer = await ctx.api.get(`/api/v1/users/${userId(LUKAS)}/appLinks`);
    const payroll = answer.body.find((l: { label: string }) => l.label === PAYROLL);
    expect(payroll).toMatchObject({ appName: 'template_swa', credentialsSetup: true });
  });

  it('finds the user by login or as me, and answers 404 for an unknown user', async () => {
    const byLogin = await ctx.api.get(`/api/v1/users/${encodeURIComponent(JANE)}/appLinks`);
    expect(byLogin.body).toHaveLength(2);
    const me = await ctx.api.get('/api/v1/users/me/appLinks');
    expect(me.body.map((l: { label: string }) => l.label)).toEqual([EXPENSES, HELP_DESK, SLACK]);
    const missing = await ctx.api.get('/api/v1/users/00uNOPE0000000000000/appLinks');
    expectOktaError(missing, 404, 'E0000007', 'Not found: Resource not found: 00uNOPE0000000000000 (User)');
  });
});
