import { describe, expect, it } from 'vitest';
import { insertGroup } from '../../src/sandbox/resources/groups/model.js';
import { useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const idOf = async (path: string) => (await ctx.api.get(path)).body.id as string;
const groupNamed = async (name: string) =>
  (await ctx.api.get(`/api/v1/groups?q=${encodeURIComponent(name)}`)).body[0] as {
    id: string;
    type: string;
    profile: Record<string, unknown>;
    _links: Record<string, unknown>;
  };

describe('sandbox groups', () => {
  it('creates an OKTA_GROUP with custom attributes and refuses a duplicate name', async () => {
    const created = await ctx.api.post('/api/v1/groups', {
      profile: { name: 'Platform', description: 'Platform team', costCenter: 'CC-9' },
    });
    expect(created.body).toMatchObject({
      type: 'OKTA_GROUP',
      profile: { name: 'Platform', costCenter: 'CC-9' },
      objectClass: ['okta:user_group'],
    });
    expect(await ctx.api.post('/api/v1/groups', { profile: { name: 'platform' } })).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
  });

  it('PUT replaces the whole profile: a custom attribute left out is gone', async () => {
    const engineering = await groupNamed('Engineering');
    expect(engineering.profile.costCenter).toBe('CC-4410');
    const replaced = await ctx.api.put(`/api/v1/groups/${engineering.id}`, {
      profile: { name: 'Engineering', description: 'Builders' },
    });
    expect(replaced.body.profile).toEqual({ name: 'Engineering', description: 'Builders' });
  });

  it('the Everyone group holds every user and cannot be changed; app groups cannot be changed either', async () => {
    const everyone = await groupNamed('Everyone');
    expect(everyone.type).toBe('BUILT_IN');
    const members = await ctx.api.get(`/api/v1/groups/${everyone.id}/users`);
    expect(members.body.length).toBe(8);
    const jane = await idOf('/api/v1/users/jane.doe%40example.com');
    for (const group of [everyone, await groupNamed('AD: Domain Users')]) {
      expect((await ctx.api.put(`/api/v1/groups/${group.id}/users/${jane}`)).status, group.type).toBe(400);
      expect((await ctx.api.delete(`/api/v1/groups/${group.id}`)).status, group.type).toBe(400);
    }
  });

  it('an app group links to the app it comes from (_links.source); other groups have no such link', async () => {
    const slack = (await ctx.api.get('/api/v1/apps?q=Slack')).body[0];
    const imported = insertGroup(ctx.sandbox.org, {
      profile: { name: 'Slack: #general' },
      type: 'APP_GROUP',
      sourceAppId: slack.id,
      quiet: true,
    });
    const answer = await ctx.api.get(`/api/v1/groups/${imported.id}`);
    expect(answer.body._links.source).toEqual({ href: `${ctx.sandbox.url}/api/v1/apps/${slack.id}` });
    expect((await groupNamed('Finance'))._links.source).toBeUndefined();
  });

  it('membership: PUT and DELETE answer 204 whether or not anything changed; the log says when it did', async () => {
    const sales = await groupNamed('Sales');
    const jane = await idOf('/api/v1/users/jane.doe%40example.com');
    const before = ctx.sandbox.org.log.events.length;
    expect((await ctx.api.put(`/api/v1/groups/${sales.id}/users/${jane}`)).status).toBe(204);
    expect((await ctx.api.put(`/api/v1/groups/${sales.id}/users/${jane}`)).status).toBe(204);
    expect(
      (await ctx.api.get(`/api/v1/users/${jane}/groups`)).body.map(
        (g: { profile: { name: string } }) => g.profile.name,
      ),
    ).toContain('Sales');
    expect((await ctx.api.delete(`/api/v1/groups/${sales.id}/users/${jane}`)).status).toBe(204);
    expect((await ctx.api.delete(`/api/v1/groups/${sales.id}/users/${jane}`)).status).toBe(204);
    expect(ctx.sandbox.org.log.eventTypes().slice(before)).toEqual([
      'group.user_membership.add',
      'group.user_membership.remove',
    ]);
  });

  it('lists with search, filter, q, expand=stats and pages with Link headers', async () => {
    const search = await ctx.api.get(
      `/api/v1/groups?search=${encodeURIComponent('profile.name sw "Eng" and type eq "OKTA_GROUP"')}`,
    );
    expect(search.body.map((g: { profile: { name: string } }) => g.profile.name)).toEqual(['Engineering']);
    const filter = await ctx.api.get(`/api/v1/groups?filter=${encodeURIComponent('type eq "APP_GROUP"')}`);
    expect(filter.body.map((g: { profile: { name: string } }) => g.profile.name)).toEqual([
      'AD: Domain Users',
    ]);
    const stats = await ctx.api.get('/api/v1/groups?q=VPN&expand=stats');
    expect(stats.body[0]._embedded.stats.usersCount).toBe(2);
    const names: string[] = [];
    let next: string | undefined = '/api/v1/groups?limit=3';
    while (next) {
      const page = await ctx.api.get(next);
      names.push(...page.body.map((g: { profile: { name: string } }) => g.profile.name));
      const link = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
      next = link ? link.replace(ctx.sandbox.url, '') : undefined;
    }
    expect(names).toHaveLength(9);
    expect(new Set(names).size).toBe(9);
  });

  it('deleting a group removes its memberships', async () => {
    const vpn = await groupNamed('VPN Users');
    const jane = await idOf('/api/v1/users/jane.doe%40example.com');
    expect((await ctx.api.delete(`/api/v1/groups/${vpn.id}`)).status).toBe(204);
    expect(
      (await ctx.api.get(`/api/v1/users/${jane}/groups`)).body.map((g: { id: string }) => g.id),
    ).not.toContain(vpn.id);
    expect(await ctx.api.get(`/api/v1/groups/${vpn.id}`)).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007' },
    });
  });
});

describe('sandbox devices', () => {
  const firstDevice = async () =>
    (await ctx.api.get('/api/v1/devices?limit=1')).body[0] as { id: string; status: string };

  it('lists with search (co on display name), expand and pages', async () => {
    const found = await ctx.api.get(
      `/api/v1/devices?search=${encodeURIComponent('profile.displayName co "jane"')}&expand=user`,
    );
    expect(found.body).toHaveLength(1);
    expect(found.body[0]._embedded.users[0].user.profile.login).toBe('jane.doe@example.com');
    const page = await ctx.api.get('/api/v1/devices?limit=2');
    expect(page.body).toHaveLength(2);
    expect(page.headers.get('link')).toContain('rel="next"');
    expect(
      await ctx.api.get(`/api/v1/devices?search=${encodeURIComponent('profile.platform co "MAC"')}`),
    ).toMatchObject({ status: 400, body: { errorCode: 'E0000031' } });
  });

  it('follows ACTIVE -> SUSPENDED -> ACTIVE -> DEACTIVATED -> deleted, refusing what the status forbids', async () => {
    const { id } = await firstDevice();
    const post = (op: string) => ctx.api.post(`/api/v1/devices/${id}/lifecycle/${op}`);
    expect((await post('unsuspend')).status).toBe(403);
    expect((await ctx.api.delete(`/api/v1/devices/${id}`)).status).toBe(403);
    expect((await post('suspend')).status).toBe(204);
    expect((await post('suspend')).status).toBe(403);
    expect((await post('unsuspend')).status).toBe(204);
    expect((await ctx.api.get(`/api/v1/devices/${id}/users`)).body).toHaveLength(1);
    expect((await post('deactivate')).status).toBe(204);
    expect((await ctx.api.get(`/api/v1/devices/${id}/users`)).body).toHaveLength(0);
    expect((await post('deactivate')).status).toBe(403);
    expect((await ctx.api.get(`/api/v1/devices/${id}`)).body.status).toBe('DEACTIVATED');
    expect((await ctx.api.delete(`/api/v1/devices/${id}`)).status).toBe(204);
    expect(await ctx.api.get(`/api/v1/devices/${id}`)).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007' },
    });
    expect(ctx.sandbox.org.log.eventTypes().slice(-4)).toEqual([
      'device.lifecycle.suspend',
      'device.lifecycle.unsuspend',
      'device.lifecycle.deactivate',
      'device.lifecycle.delete',
    ]);
  });
});

describe('sandbox System Log', () => {
  it('records changes with Okta event types and serves them bounded by since/until and filtered', async () => {
    const since = new Date().toISOString();
    await ctx.api.post('/api/v1/groups', { profile: { name: 'Audit' } });
    const until = new Date(Date.now() + 1000).toISOString();
    const answer = await ctx.api.get(
      `/api/v1/logs?since=${since}&until=${until}&filter=${encodeURIComponent('eventType eq "group.lifecycle.create"')}`,
    );
    expect(answer.body).toHaveLength(1);
    expect(answer.body[0]).toMatchObject({
      eventType: 'group.lifecycle.create',
      target: [{ type: 'UserGroup', displayName: 'Audit' }],
      actor: { alternateId: 'sandbox.admin@example.com' },
    });
    expect(answer.headers.get('link')).not.toContain('rel="next"');
  });

  it('a query without until is a polling query: there is always a next link, as on Okta', async () => {
    const answer = await ctx.api.get('/api/v1/logs');
    expect(answer.headers.get('link')).toContain('rel="next"');
  });
});

describe('sandbox devices: every transition', () => {
  // [operation, statuses it is allowed from, status it leads to ('gone' for delete)]
  const transitions: Array<[string, string[], string]> = [
    ['activate', ['DEACTIVATED'], 'ACTIVE'],
    ['deactivate', ['ACTIVE', 'SUSPENDED'], 'DEACTIVATED'],
    ['suspend', ['ACTIVE'], 'SUSPENDED'],
    ['unsuspend', ['SUSPENDED'], 'ACTIVE'],
    ['delete', ['DEACTIVATED'], 'gone'],
  ];
  const reach: Record<string, string[]> = { ACTIVE: [], SUSPENDED: ['suspend'], DEACTIVATED: ['deactivate'] };

  for (const [operation, from, to] of transitions) {
    for (const status of Object.keys(reach)) {
      const allowed = from.includes(status);
      it(`${operation} from ${status}: ${allowed ? `-> ${to}` : 'refused (E0000038)'}`, async () => {
        const { id } = (await ctx.api.get('/api/v1/devices?limit=1')).body[0];
        for (const step of reach[status]!) await ctx.api.post(`/api/v1/devices/${id}/lifecycle/${step}`);
        const answer =
          operation === 'delete'
            ? await ctx.api.delete(`/api/v1/devices/${id}`)
            : await ctx.api.post(`/api/v1/devices/${id}/lifecycle/${operation}`);
        const after = await ctx.api.get(`/api/v1/devices/${id}`);
        if (allowed) {
          expect(answer.status).toBe(204);
          if (to === 'gone') expect(after.status).toBe(404);
          else expect(after.body.status).toBe(to);
        } else {
          expect(answer).toMatchObject({ status: 403, body: { errorCode: 'E0000038' } });
          expect(after.body.status).toBe(status);
        }
      });
    }
  }
});
