import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadMendedSpec } from '../../scripts/okta-spec.mjs';
import { assignGroup, insertApp } from '../../src/sandbox/resources/apps/assignments.js';
import { appsOf } from '../../src/sandbox/resources/apps/model.js';
import { groupsOf, insertGroup } from '../../src/sandbox/resources/groups/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { type RawAnswer, takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read Okta's JSON freely; the sandbox checks its shape.
type Json = Record<string, any>;

const ctx = useSandbox();

const JANE = 'jane.doe@example.com';
const OMAR = 'omar.haddad@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const DIEGO = 'diego.garcia@example.com';
const PRIYA = 'priya.patel@example.com';

const SALESFORCE = 'Salesforce.com';
const SLACK = 'Slack';
const GITHUB = 'GitHub Enterprise Cloud';
const EXPENSES = 'Expense Portal';
const HELP_DESK = 'IT Help Desk';
const PAYROLL = 'Legacy Payroll';
const WIKI = 'Engineering Wiki (retired)';

function userId(login: string): string {
  return findUser(ctx.sandbox.org, login)!.id;
}

function groupId(name: string): string {
  return [...groupsOf(ctx.sandbox.org).byId.values()].find((g) => g.profile.name === name)!.id;
}

function appId(label: string): string {
  return [...appsOf(ctx.sandbox.org).byId.values()].find((a) => a.label === label)!.id;
}

function events(): string[] {
  return ctx.sandbox.org.log.eventTypes();
}

function nextLink(answer: RawAnswer): string | undefined {
  const header = answer.headers.get('link') ?? '';
  return /<([^>]+)>; rel="next"/.exec(header)?.[1];
}

/** Follows rel="next" links from `path`, returning each page's items. */
async function allPages(path: string) {
  const pages: Array<Array<{ id: string }>> = [];
  let next: string | undefined = path;
  while (next) {
    const answer = await ctx.api.get(next.replace(ctx.sandbox.url, ''));
    expect(answer.status).toBe(200);
    pages.push(answer.body);
    next = nextLink(answer);
    if (next) expect(new URL(next).searchParams.get('after')).toBeTruthy();
  }
  return pages;
}

function expectOktaError(answer: RawAnswer, status: number, errorCode: string, summary?: string) {
  expect(answer.status).toBe(status);
  expect(answer.body.errorCode).toBe(errorCode);
  if (summary !== undefined) expect(answer.body.errorSummary).toBe(summary);
}

async function appUsers(label: string, query = '') {
  const answer = await ctx.api.get(`/api/v1/apps/${appId(label)}/users${query}`);
  expect(answer.status).toBe(200);
  return answer.body as Array<Json & { id: string; scope: string }>;
}

async function appUserIds(label: string): Promise<string[]> {
  return (await appUsers(label)).map((u) => u.id);
}

// Okta's description types each sign-on mode's app (SamlApplication, ...) but the sandbox's checker cannot
// pick the right one (discriminators are off), so the seeded apps are checked against them here.
const SCHEMA_OF_MODE: Record<string, string> = {
  SAML_2_0: 'SamlApplication',
  OPENID_CONNECT: 'OpenIdConnectApplication',
  BOOKMARK: 'BookmarkApplication',
  BROWSER_PLUGIN: 'BrowserPluginApplication',
};
const modeValidators = new Map<string, ValidateFunction>();

/** `nullable` beside a `$ref` (without `type`) is OpenAPI that Ajv will not compile; it constrains nothing. */
function withoutUntypedNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutUntypedNullable);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([key]) => key !== 'nullable' || 'type' in node);
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutUntypedNullable(value)]));
}

function signOnModeProblems(app: Json): string[] {
  if (modeValidators.size === 0) {
    const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false, logger: false });
    ajv.addSchema({ $id: 'okta.json', components: withoutUntypedNullable(loadMendedSpec().components) });
    for (const [mode, schema] of Object.entries(SCHEMA_OF_MODE)) {
      modeValidators.set(mode, ajv.compile({ $ref: `okta.json#/components/schemas/${schema}` }));
    }
  }
  const validate = modeValidators.get(app.signOnMode);
  if (!validate) return [`no schema for ${app.signOnMode}`];
  return validate(app) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('listApplications and getApplication', () => {
  it("lists the seeded apps, each in the shape Okta's description gives its sign-on mode", async () => {
    const answer = await ctx.api.get('/api/v1/apps');
    expect(answer.status).toBe(200);
    const apps = answer.body as Json[];
    expect(apps.map((a) => a.label).sort()).toEqual(
      [SALESFORCE, SLACK, GITHUB, EXPENSES, HELP_DESK, PAYROLL, WIKI].sort(),
    );
    expect(new Set(apps.map((a) => a.signOnMode))).toEqual(
      new Set(['SAML_2_0', 'OPENID_CONNECT', 'BOOKMARK', 'BROWSER_PLUGIN']),
    );
    for (const app of apps) {
      expect(signOnModeProblems(app), app.label).toEqual([]);
      expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
      expect(app._links.users.href).toBe(`${ctx.sandbox.url}/api/v1/apps/${app.id}/users`);
      expect(app._links.groups.href).toBe(`${ctx.sandbox.url}/api/v1/apps/${app.id}/groups`);
      expect(app._links.appLinks[0].href).toContain(`/home/${app.name}/${app.id}/`);
    }
    const salesforce = apps.find((a) => a.label === SALESFORCE)!;
    expect(salesforce).toMatchObject({ name: 'salesforce', status: 'ACTIVE', signOnMode: 'SAML_2_0' });
    expect(salesforce.features).toContain('PUSH_NEW_USERS');
    expect(salesforce._links.metadata.href).toContain('/sso/saml/metadata');
    expect(salesforce._links.deactivate.hints.allow).toEqual(['POST']);
    const wiki = apps.find((a) => a.label === WIKI)!;
    expect(wiki.status).toBe('INACTIVE');
    expect(wiki._links.activate.href).toContain('/lifecycle/activate');
    expect(wiki._links.deactivate).toBeUndefined();
  });

  it('(the sign-on mode check itself refuses an app that lacks what its mode requires)', async () => {
    const answer = await ctx.api.get(`/api/v1/apps/${appId(HELP_DESK)}`);
    const { url, ...withoutUrl } = answer.body.settings.app;
    expect(url).toBe('https://helpdesk.example.com/portal');
    const broken = { ...answer.body, settings: { ...answer.body.settings, app: withoutUrl } };
    expect(signOnModeProblems(broken)).not.toEqual([]);
  });

  it('finds apps whose name or label starts with q, regardless of case', async () => {
    const byLabel = await ctx.api.get('/api/v1/apps?q=sla');
    expect(byLabel.body.map((a: { label: string }) => a.label)).toEqual([SLACK]);
    const byName = await ctx.api.get('/api/v1/apps?q=TEMPLATE');
    expect(byName.body.map((a: { label: string }) => a.label)).toEqual([PAYROLL]);
    const none = await ctx.api.get('/api/v1/apps?q=zzz');
    expect(none.body).toEqual([]);
  });

  it('filters by status, name and id', async () => {
    const inactive = await ctx.api.get(`/api/v1/apps?filter=${encodeURIComponent('status eq "INACTIVE"')}`);
    expect(inactive.body.map((a: { label: string }) => a.label)).toEqual([WIKI]);
    const named = await ctx.api.get(`/api/v1/apps?filter=${encodeURIComponent('name eq "salesforce"')}`);
    expect(named.body.map((a: { label: string }) => a.label)).toEqual([SALESFORCE]);
    const byId = await ctx.api.get(`/api/v1/apps?filter=${encodeURIComponent(`id eq "${appId(SLACK)}"`)}`);
    expect(byId.body.map((a: { label: string }) => a.label)).toEqual([SLACK]);
  });

  it("filters by user.id: the apps a user has, directly or through a group (not an inactive app's)", async () => {
    const labelsOf = async (login: string) => {
      const filter = encodeURIComponent(`user.id eq "${userId(login)}"`);
      const answer = await ctx.api.get(`/api/v1/apps?filter=${filter}`);
      expect(answer.status).toBe(200);
      return answer.body.map((a: { label: string }) => a.label).sort();
    };
    expect(await labelsOf(JANE)).toEqual([GITHUB, SLACK].sort());
    expect(await labelsOf(LUKAS)).toEqual([SALESFORCE, SLACK, EXPENSES, PAYROLL].sort());
  });

  it('filters by group.id, and combines filters with and', async () => {
    const engineering = encodeURIComponent(`group.id eq "${groupId('Engineering')}"`);
    const assigned = await ctx.api.get(`/api/v1/apps?filter=${engineering}`);
    expect(assigned.body.map((a: { label: string }) => a.label).sort()).toEqual([GITHUB, WIKI].sort());
    const activeOnly = encodeURIComponent(`group.id eq "${groupId('Engineering')}" and status eq "ACTIVE"`);
    const active = await ctx.api.get(`/api/v1/apps?filter=${activeOnly}`);
    expect(active.body.map((a: { label: string }) => a.label)).toEqual([GITHUB]);
  });

  it('refuses a filter on an attribute or with an operator Okta does not support (E0000031)', async () => {
    const label = await ctx.api.get(`/api/v1/apps?filter=${encodeURIComponent('label eq "Slack"')}`);
    expectOktaError(label, 400, 'E0000031', 'Invalid search criteria.');
    const startsWith = await ctx.api.get(`/api/v1/apps?filter=${encodeURIComponent('status sw "ACT"')}`);
    expectOktaError(startsWith, 400, 'E0000031');
  });

  it('pages by 20 with a Link header whose next cursor continues without overlap', async () => {
    for (let i = 0; i < 30; i++) {
      insertApp(ctx.sandbox.org, {
        kind: 'bookmark',
        label: `Bookmark ${i}`,
        url: `https://b${i}.example.com`,
        quiet: true,
      });
    }
    const first = await ctx.api.get('/api/v1/apps');
    expect(first.headers.get('link')).toContain('rel="self"');
    const pages = await allPages('/api/v1/apps');
    expect(pages.map((p) => p.length)).toEqual([20, 17]);
    const ids = pages.flat().map((a) => a.id);
    expect(new Set(ids).size).toBe(37);
    expect(ids).toEqual([...ids].sort());
  });

  it('reads limit=-1 (the documented default) as the default page, caps nothing below 200, refuses above', async () => {
    for (let i = 0; i < 25; i++) {
      insertApp(ctx.sandbox.org, {
        kind: 'bookmark',
        label: `B${i}`,
        url: 'https://b.example.com',
        quiet: true,
      });
    }
    const byDefault = await ctx.api.get('/api/v1/apps?limit=-1');
    expect(byDefault.body).toHaveLength(20);
    expect(nextLink(byDefault)).toContain('limit=20');
    const five = await ctx.api.get('/api/v1/apps?limit=5');
    expect(five.body).toHaveLength(5);
    const all = await ctx.api.get('/api/v1/apps?limit=200');
    expect(all.body).toHaveLength(32);
    expect(nextLink(all)).toBeUndefined();
    expectOktaError(await ctx.api.get('/api/v1/apps?limit=201'), 400, 'E0000001');
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/apps (listApplications) query parameter "limit": must be <= 200',
    ]);
  });

  it('gets one app, and answers 404 E0000007 naming an unknown id', async () => {
    const answer = await ctx.api.get(`/api/v1/apps/${appId(EXPENSES)}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ label: EXPENSES, name: 'oidc_client', signOnMode: 'OPENID_CONNECT' });
    expect(answer.body.credentials.oauthClient.client_id).toBe(answer.body.id);
    expect(signOnModeProblems(answer.body)).toEqual([]);
    const missing = await ctx.api.get('/api/v1/apps/0oaNOPE0000000000000');
    expectOktaError(
      missing,
      404,
      'E0000007',
      'Not found: Resource not found: 0oaNOPE0000000000000 (AppInstance)',
    );
  });
});

describe('activateApplication and deactivateApplication', () => {
  it('deactivates an active app: 200 without a body, INACTIVE, and its group-assigned users lose it', async () => {
    const github = appId(GITHUB);
    expect((await appUserIds(GITHUB)).sort()).toEqual([userId(JANE), userId(OMAR)].sort());
    const answer = await ctx.api.post(`/api/v1/apps/${github}/lifecycle/deactivate`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined();
    const app = await ctx.api.get(`/api/v1/apps/${github}`);
    expect(app.body.status).toBe('INACTIVE');
    expect(app.body._links.activate.href).toBe(`${ctx.sandbox.url}/api/v1/apps/${github}/lifecycle/activate`);
    expect(await appUserIds(GITHUB)).toEqual([]);
    // The group assignment itself stays.
    const groups = await ctx.api.get(`/api/v1/apps/${github}/groups`);
    expect(groups.body.map((g: { id: string }) => g.id)).toEqual([groupId('Engineering')]);
    expect(events()).toEqual([
      'application.lifecycle.deactivate',
      'application.user_membership.remove',
      'application.user_membership.remove',
    ]);
  });

  it('activates an inactive app: its group-assigned users get it back', async () => {
    const wiki = appId(WIKI);
    expect(await appUserIds(WIKI)).toEqual([]);
    const answer = await ctx.api.post(`/api/v1/apps/${wiki}/lifecycle/activate`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined();
    expect((await ctx.api.get(`/api/v1/apps/${wiki}`)).body.status).toBe('ACTIVE');
    const users = await appUsers(WIKI);
    expect(users.map((u) => u.id).sort()).toEqual([userId(JANE), userId(OMAR)].sort());
    expect(users.every((u) => u.scope === 'GROUP')).toBe(true);
    expect(events()).toContain('application.lifecycle.activate');
  });

  it('keeps direct assignments through deactivation', async () => {
    await ctx.api.post(`/api/v1/apps/${appId(PAYROLL)}/lifecycle/deactivate`);
    expect(await appUserIds(PAYROLL)).toEqual([userId(LUKAS)]);
  });

  it('answers 200 and changes nothing when the app already has the status asked for', async () => {
    const wiki = await ctx.api.post(`/api/v1/apps/${appId(WIKI)}/lifecycle/deactivate`);
    expect(wiki.status).toBe(200);
    const slack = await ctx.api.post(`/api/v1/apps/${appId(SLACK)}/lifecycle/activate`);
    expect(slack.status).toBe(200);
    expect((await ctx.api.get(`/api/v1/apps/${appId(WIKI)}`)).body.status).toBe('INACTIVE');
    expect(events()).toEqual([]);
  });

  it('answers 404 for an unknown app', async () => {
    for (const op of ['activate', 'deactivate']) {
      const answer = await ctx.api.post(`/api/v1/apps/0oaNOPE0000000000000/lifecycle/${op}`);
      expectOktaError(answer, 404, 'E0000007');
    }
  });
});

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
