/** The sandbox's application users: assigning, reading, updating and unassigning them. */
import { describe, expect, it } from 'vitest';
import { appsOf } from '../../src/sandbox/resources/apps/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import {
  appsTestKit,
  DIEGO,
  EXPENSES,
  expectOktaError,
  GITHUB,
  JANE,
  type Json,
  LUKAS,
  MEI,
  nextLink,
  OMAR,
  PAYROLL,
  PRIYA,
  SALESFORCE,
  SLACK,
} from '../helpers/sandbox-apps.js';

const ctx = useSandbox();
const { userId, groupId, appId, events, appUsers, appUserIds } = appsTestKit(ctx);

describe('assignUserToApplication', () => {
  it('assigns a user directly (scope USER) with the credentials and profile sent', async () => {
    const answer = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, {
      id: userId(MEI),
      scope: 'USER',
      credentials: { userName: 'mei-chen' },
      profile: { team: 'sales-engineering' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: userId(MEI),
      scope: 'USER',
      status: 'ACTIVE',
      syncState: 'DISABLED',
      passwordChanged: null,
      credentials: { userName: 'mei-chen' },
      profile: { firstName: 'Mei', lastName: 'Chen', email: MEI, team: 'sales-engineering' },
      _links: {
        app: { href: `${ctx.sandbox.url}/api/v1/apps/${appId(GITHUB)}` },
        user: { href: `${ctx.sandbox.url}/api/v1/users/${userId(MEI)}` },
      },
    });
    expect(answer.body.credentials.password).toBeUndefined();
    expect(await appUserIds(GITHUB)).toContain(userId(MEI));
    expect(events()).toEqual(['application.user_membership.add']);
    const event = ctx.sandbox.org.log.events[0]!;
    expect(event.target.map((t) => t.type)).toEqual(['AppUser', 'AppInstance', 'User']);
  });

  it("names the app user after the app's username template when no username is sent", async () => {
    const github = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, { id: userId(MEI) });
    expect(github.body.credentials.userName).toBe('mei.chen');
    const expenses = await ctx.api.post(`/api/v1/apps/${appId(EXPENSES)}/users`, { id: userId(MEI) });
    expect(expenses.body.credentials.userName).toBe(MEI);
    // OpenID Connect app users carry the OIDC claim names.
    expect(expenses.body.profile).toMatchObject({ given_name: 'Mei', family_name: 'Chen', email: MEI });
    expect(expenses.body.profile.firstName).toBeUndefined();
  });

  it('marks users of a provisioning app PROVISIONED with the id the app gave them', async () => {
    const answer = await ctx.api.post(`/api/v1/apps/${appId(SALESFORCE)}/users`, { id: userId(JANE) });
    expect(answer.body).toMatchObject({ status: 'PROVISIONED', syncState: 'SYNCHRONIZED' });
    expect(answer.body.externalId).toMatch(/^005/);
    expect(answer.body.lastSync).toBe(answer.body.lastUpdated);
  });

  it('updates the assignment of a user assigned again, and answers the app user', async () => {
    const salesforce = appId(SALESFORCE);
    const answer = await ctx.api.post(`/api/v1/apps/${salesforce}/users`, {
      id: userId(LUKAS),
      credentials: { userName: 'lukas@example-corp.my.salesforce.com' },
      profile: { role: 'Controller' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      scope: 'USER',
      credentials: { userName: 'lukas@example-corp.my.salesforce.com' },
      profile: { role: 'Controller', profile: 'Read Only' },
    });
    expect((await appUserIds(SALESFORCE)).filter((id) => id === userId(LUKAS))).toHaveLength(1);
    expect(events()).toEqual([
      'application.user_membership.change_username',
      'application.user_membership.update',
    ]);
  });

  it('turns a group-scoped user into a direct one, who keeps the app when the group assignment goes', async () => {
    const github = appId(GITHUB);
    const before = await ctx.api.get(`/api/v1/apps/${github}/users/${userId(JANE)}`);
    expect(before.body.scope).toBe('GROUP');
    const answer = await ctx.api.post(`/api/v1/apps/${github}/users`, { id: userId(JANE), scope: 'USER' });
    expect(answer.body.scope).toBe('USER');
    expect(answer.body._links.group).toBeUndefined();
    expect(events()).toEqual([]);
    const unassign = await ctx.api.delete(`/api/v1/apps/${github}/groups/${groupId('Engineering')}`);
    expect(unassign.status).toBe(204);
    expect(await appUserIds(GITHUB)).toEqual([userId(JANE)]);
  });

  it('keeps scope GROUP when asked for a group-scoped user, and refuses it for anyone else', async () => {
    const github = appId(GITHUB);
    const kept = await ctx.api.post(`/api/v1/apps/${github}/users`, {
      id: userId(JANE),
      scope: 'GROUP',
      credentials: { userName: 'jdoe' },
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ scope: 'GROUP', credentials: { userName: 'jdoe' } });
    const refused = await ctx.api.post(`/api/v1/apps/${github}/users`, { id: userId(MEI), scope: 'GROUP' });
    expectOktaError(refused, 400, 'E0000001', 'Api validation failed: scope');
  });

  it("refuses a body that breaks Okta's description before it reaches the app (400 E0000001)", async () => {
    const noId = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, { scope: 'USER' });
    expectOktaError(noId, 400, 'E0000001');
    expect(JSON.stringify(noId.body.errorCauses)).toContain("must have required property 'id'");
    const badScope = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, {
      id: userId(MEI),
      scope: 'ALL',
    });
    expectOktaError(badScope, 400, 'E0000001');
    const emptyName = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, {
      id: userId(MEI),
      credentials: { userName: '' },
    });
    expectOktaError(emptyName, 400, 'E0000001');
    expect(events()).toEqual([]);
    expect(takeRequestViolations(ctx.sandbox)).toHaveLength(3);
  });

  it('answers 404 for a user id that does not exist and for an unknown app', async () => {
    const user = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, { id: '00uNOPE0000000000000' });
    expectOktaError(user, 404, 'E0000007', 'Not found: Resource not found: 00uNOPE0000000000000 (User)');
    const app = await ctx.api.post('/api/v1/apps/0oaNOPE0000000000000/users', { id: userId(MEI) });
    expectOktaError(
      app,
      404,
      'E0000007',
      'Not found: Resource not found: 0oaNOPE0000000000000 (AppInstance)',
    );
  });

  it('refuses a password on an app whose users keep none (E0000041), and keeps one on an SWA app', async () => {
    const saml = await ctx.api.post(`/api/v1/apps/${appId(SALESFORCE)}/users`, {
      id: userId(MEI),
      credentials: { userName: MEI, password: { value: 'Secret-Pass-1' } },
    });
    expectOktaError(
      saml,
      400,
      'E0000041',
      'Credentials should not be set on this resource based on the scheme.',
    );
    const swa = await ctx.api.post(`/api/v1/apps/${appId(PAYROLL)}/users`, {
      id: userId(MEI),
      credentials: { userName: 'mchen', password: { value: 'Secret-Pass-1' } },
    });
    expect(swa.status).toBe(200);
    expect(swa.body.credentials).toEqual({ userName: 'mchen', password: {} });
    expect(swa.body.passwordChanged).toEqual(expect.any(String));
  });

  it('refuses a deactivated user (403 E0000038)', async () => {
    await ctx.api.post(`/api/v1/users/${userId(PRIYA)}/lifecycle/deactivate`);
    const answer = await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, { id: userId(PRIYA) });
    expectOktaError(answer, 403, 'E0000038');
  });
});

describe('listApplicationUsers and getApplicationUser', () => {
  it('lists users assigned directly and through groups, with their scope and the granting group', async () => {
    const users = await appUsers(SALESFORCE);
    expect(users.map((u) => u.id)).toEqual([userId(MEI), userId(LUKAS), userId(DIEGO)].sort());
    const byId = new Map(users.map((u) => [u.id, u as Json]));
    expect(byId.get(userId(LUKAS))).toMatchObject({ scope: 'USER', profile: { role: 'Finance' } });
    const mei = byId.get(userId(MEI))!;
    // A group-scoped user gets the profile of the group assignment that gives the app.
    expect(mei).toMatchObject({ scope: 'GROUP', profile: { role: 'Sales', firstName: 'Mei' } });
    expect(mei._links.group.href).toBe(`${ctx.sandbox.url}/api/v1/groups/${groupId('Sales')}`);
  });

  it('finds app users whose username, first name, last name or email starts with q, regardless of case', async () => {
    const byLastName = await appUsers(SLACK, '?q=HADDAD');
    expect(byLastName.map((u) => u.id)).toEqual([userId(OMAR)]);
    const byFirstName = await appUsers(SLACK, '?q=jan');
    expect(byFirstName.map((u) => u.id)).toEqual([userId(JANE)]);
    const byUserName = await appUsers(PAYROLL, '?q=lweb');
    expect(byUserName.map((u) => u.id)).toEqual([userId(LUKAS)]);
    expect(await appUsers(SLACK, '?q=nobody')).toEqual([]);
  });

  it('embeds the Okta user with expand=user', async () => {
    const users = await appUsers(PAYROLL, '?expand=user');
    expect(users[0]!._embedded).toMatchObject({ user: { id: userId(LUKAS), profile: { login: LUKAS } } });
  });

  it('refuses a limit outside 1..500 (400 E0000001)', async () => {
    expectOktaError(await ctx.api.get(`/api/v1/apps/${appId(SLACK)}/users?limit=501`), 400, 'E0000001');
    expectOktaError(await ctx.api.get(`/api/v1/apps/${appId(SLACK)}/users?limit=0`), 400, 'E0000001');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      expect.stringContaining('query parameter "limit": must be <= 500'),
      expect.stringContaining('query parameter "limit": must be >= 1'),
    ]);
  });

  it('answers 404 for an unknown app', async () => {
    expectOktaError(await ctx.api.get('/api/v1/apps/0oaNOPE0000000000000/users'), 404, 'E0000007');
  });

  it('gets one app user, with the Okta user on expand=user', async () => {
    const answer = await ctx.api.get(`/api/v1/apps/${appId(PAYROLL)}/users/${userId(LUKAS)}?expand=user`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: userId(LUKAS),
      scope: 'USER',
      credentials: { userName: 'lweber', password: {} },
      _embedded: { user: { id: userId(LUKAS) } },
    });
  });

  it('answers 404 AppUser for a user without the app, and 404 for an unknown user or app', async () => {
    const notAssigned = await ctx.api.get(`/api/v1/apps/${appId(PAYROLL)}/users/${userId(JANE)}`);
    expectOktaError(notAssigned, 404, 'E0000007', `Not found: Resource not found: ${userId(JANE)} (AppUser)`);
    const unknownUser = await ctx.api.get(`/api/v1/apps/${appId(PAYROLL)}/users/00uNOPE0000000000000`);
    expectOktaError(unknownUser, 404, 'E0000007');
    const unknownApp = await ctx.api.get(`/api/v1/apps/0oaNOPE0000000000000/users/${userId(LUKAS)}`);
    expectOktaError(unknownApp, 404, 'E0000007');
  });
});

describe('listApplicationUsers paging', () => {
  const big = useSandbox({ seed: 60 });

  it('pages by 50 (the default) with a next link, and by the limit asked for', async () => {
    const slack = [...appsOf(big.sandbox.org).byId.values()].find((a) => a.label === SLACK)!.id;
    const pages: Array<Array<{ id: string }>> = [];
    let path: string | undefined = `/api/v1/apps/${slack}/users`;
    while (path) {
      const answer = await big.api.get(path);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      path = nextLink(answer)?.replace(big.sandbox.url, '');
    }
    // 60 generated users and the 8 of the base cast, all in Everyone.
    expect(pages.map((p) => p.length)).toEqual([50, 18]);
    const ids = pages.flat().map((u) => u.id);
    expect(new Set(ids).size).toBe(68);
    const small = await big.api.get(`/api/v1/apps/${slack}/users?limit=30`);
    expect(small.body).toHaveLength(30);
    expect(new URL(nextLink(small)!).searchParams.get('limit')).toBe('30');
  });
});

describe('updateApplicationUser', () => {
  const update = (appLabel: string, login: string, body: unknown) =>
    ctx.api.post(
      `/api/v1/apps/${appId(appLabel)}/users/${login.startsWith('00u') ? login : userId(login)}`,
      body,
    );

  it('changes the username and password of a direct user, with a log event for each', async () => {
    const result = await update(PAYROLL, LUKAS, {
      credentials: { userName: 'lukas.w', password: { value: 'N3w-Pass!' } },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ scope: 'USER', credentials: { userName: 'lukas.w', password: {} } });
    expect(events()).toEqual([
      'application.user_membership.change_username',
      'application.user_membership.change_password',
    ]);
  });

  it('merges profile attributes into a group-scoped user, who stays GROUP-scoped', async () => {
    const result = await update(SALESFORCE, MEI, { profile: { role: 'Account Executive' } });
    expect(result.body).toMatchObject({
      scope: 'GROUP',
      profile: { role: 'Account Executive', profile: 'Standard User' },
    });
    expect(events()).toEqual(['application.user_membership.update']);
  });

  it('answers 404 for a user without the app, and E0000041 for a password the app keeps none of', async () => {
    expect(await update(PAYROLL, JANE, { profile: {} })).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007' },
    });
    expect(await update(SLACK, JANE, { credentials: { password: { value: 'x' } } })).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000041' },
    });
  });
});

describe('unassignUserFromApplication', () => {
  it('removes a direct assignment: 204, the user no longer has the app, and a remove event', async () => {
    const answer = await ctx.api.delete(
      `/api/v1/apps/${appId(PAYROLL)}/users/${userId(LUKAS)}?sendEmail=true`,
    );
    expect(answer.status).toBe(204);
    expect(await appUserIds(PAYROLL)).toEqual([]);
    expect(events()).toEqual(['application.user_membership.remove']);
    const again = await ctx.api.delete(`/api/v1/apps/${appId(PAYROLL)}/users/${userId(LUKAS)}`);
    expectOktaError(again, 404, 'E0000007', `Not found: Resource not found: ${userId(LUKAS)} (AppUser)`);
  });

  it('refuses to unassign a user whose group gives the app (403 E0000046), even one also assigned directly', async () => {
    const groupScoped = await ctx.api.delete(`/api/v1/apps/${appId(GITHUB)}/users/${userId(JANE)}`);
    expectOktaError(groupScoped, 403, 'E0000046', 'Deactivate application for user forbidden.');
    await ctx.api.post(`/api/v1/apps/${appId(GITHUB)}/users`, { id: userId(JANE), scope: 'USER' });
    const both = await ctx.api.delete(`/api/v1/apps/${appId(GITHUB)}/users/${userId(JANE)}`);
    expectOktaError(both, 403, 'E0000046');
    expect(await appUserIds(GITHUB)).toContain(userId(JANE));
  });

  it('answers 404 for an unknown app', async () => {
    const answer = await ctx.api.delete(`/api/v1/apps/0oaNOPE0000000000000/users/${userId(LUKAS)}`);
    expectOktaError(answer, 404, 'E0000007');
  });
});
