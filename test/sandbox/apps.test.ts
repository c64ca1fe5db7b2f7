/** The sandbox's applications: listing, reading, and the ACTIVE/INACTIVE lifecycle. */
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadMendedSpec } from '../../scripts/okta-spec.mjs';
import { insertApp } from '../../src/sandbox/resources/apps/assignments.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import {
  appsTestKit,
  EXPENSES,
  expectOktaError,
  GITHUB,
  HELP_DESK,
  JANE,
  type Json,
  LUKAS,
  nextLink,
  OMAR,
  PAYROLL,
  SALESFORCE,
  SLACK,
  WIKI,
} from '../helpers/sandbox-apps.js';

const ctx = useSandbox();
const { userId, groupId, appId, events, allPages, appUsers, appUserIds } = appsTestKit(ctx);

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
