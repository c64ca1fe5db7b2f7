import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';

const GROUP = fakeGroup({ profile: { costCenter: 'CC-4410', owner: 'platform-team' } });
const JANE = fakeUser();
const OTHER_GROUP = fakeGroup({ id: '00g9zzzKYZTWRYYRRTSK', profile: { name: 'Sales' } });

describe('get-group', () => {
  it('keeps custom profile attributes (the SDK model would drop them)', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    const result = await execute('get-group', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: GROUP.id, name: 'Engineering', description: 'All engineers', type: 'OKTA_GROUP' },
    });
    if (!result.ok) return;
    expect(result.output.group).toEqual(GROUP);
  });

  it('refuses a group name where an id belongs, before any request', async () => {
    const result = await execute('get-group', { connection, input: { groupId: 'Engineering' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'groupId' }] },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('for example 00g1emaKYZTWRYYRRTSK');
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps 404', async () => {
    oktaMock()
      .get(`/api/v1/groups/${GROUP.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${GROUP.id} (UserGroup)`));
    const result = await execute('get-group', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-groups', () => {
  it('finds by name prefix through a pageable search, with every page asking for the expansion', async () => {
    const queries: Array<Record<string, unknown>> = [];
    oktaMock()
      .get('/api/v1/groups')
      .query((q) => {
        queries.push(q);
        return q.after === undefined;
      })
      .reply(200, [GROUP], { link: `<${ORG}/api/v1/groups?limit=200&search=x&after=00g1>; rel="next"` });
    oktaMock()
      .get('/api/v1/groups')
      .query((q) => {
        queries.push(q);
        return q.after === '00g1';
      })
      .reply(200, [OTHER_GROUP]);
    const result = await execute('list-groups', {
      connection,
      input: { name: 'Eng"x', type: 'OKTA_GROUP', expand: 'stats' },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 2, nextCursor: null } });
    expect(queries[0]).toEqual({
      search: '(profile.name sw "Eng\\"x") and (type eq "OKTA_GROUP")',
      expand: 'stats',
      limit: '200',
    });
    expect(queries[1]).toMatchObject({ expand: 'stats', after: '00g1' });
  });

  it('keeps custom attributes of listed groups', async () => {
    oktaMock().get('/api/v1/groups').query({ limit: '200' }).reply(200, [GROUP]);
    const result = await execute('list-groups', { connection, input: {} });
    expect(result).toMatchObject({ ok: true, output: { groups: [{ profile: { owner: 'platform-team' } }] } });
  });

  it('reports Okta refusing a search expression', async () => {
    oktaMock()
      .get('/api/v1/groups')
      .query(true)
      .reply(400, oktaError('E0000031', 'Invalid search criteria.', ['Invalid search: near "profile.nam"']));
    const result = await execute('list-groups', { connection, input: { search: 'profile.nam sw "x"' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', status: 400, okta: { errorCode: 'E0000031' } },
    });
  });

  it('refuses a filter together with a name', async () => {
    const result = await execute('list-groups', {
      connection,
      input: { filter: 'type eq "APP_GROUP"', name: 'x' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'filter' }] },
    });
  });

  it('refuses an unknown group type, naming the allowed ones', async () => {
    const result = await execute('list-groups', { connection, input: { type: 'okta_group' } as never });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        details: [{ path: 'type', message: 'must be one of: OKTA_GROUP, APP_GROUP, BUILT_IN' }],
      },
    });
  });
});

describe('add-user-to-group', () => {
  it('adds a non-member (login resolved to the id) and reports changed', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock().get(`/api/v1/users/${JANE.id}/groups`).reply(200, [OTHER_GROUP]);
    oktaMock().put(`/api/v1/groups/${GROUP.id}/users/${JANE.id}`).reply(204);
    const result = await execute('add-user-to-group', {
      connection,
      input: { groupId: GROUP.id, user: 'jane.doe@example.com' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { groupId: GROUP.id, userId: JANE.id, member: true, changed: true },
    });
  });

  it('leaves a member as is: changed false and no PUT (the id needs no lookup)', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}/groups`).reply(200, [OTHER_GROUP, GROUP]);
    const result = await execute('add-user-to-group', {
      connection,
      input: { groupId: GROUP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false, member: true } });
    expect(recordedRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v1/users/${JANE.id}/groups`,
    ]);
  });

  it('reports Okta refusing an app group', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}/groups`).reply(200, []);
    oktaMock()
      .put(`/api/v1/groups/${GROUP.id}/users/${JANE.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('add-user-to-group', {
      connection,
      input: { groupId: GROUP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('remove-user-from-group', () => {
  it('removes a member', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}/groups`).reply(200, [GROUP]);
    oktaMock().delete(`/api/v1/groups/${GROUP.id}/users/${JANE.id}`).reply(204);
    const result = await execute('remove-user-from-group', {
      connection,
      input: { groupId: GROUP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: true, output: { member: false, changed: true } });
  });

  it('leaves a non-member as is', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}/groups`).reply(200, [OTHER_GROUP]);
    const result = await execute('remove-user-from-group', {
      connection,
      input: { groupId: GROUP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: true, output: { member: false, changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('says NOT_FOUND for an unknown user', async () => {
    oktaMock()
      .get('/api/v1/users/ghost%40example.com')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: ghost@example.com (User)'));
    const result = await execute('remove-user-from-group', {
      connection,
      input: { groupId: GROUP.id, user: 'ghost@example.com' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-group-members', () => {
  it('lists members, asking for no more per page than the run can return', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}/users`).query({ limit: '200' }).reply(200, [JANE]);
    const result = await execute('list-group-members', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { groupId: GROUP.id, count: 1, users: [{ id: JANE.id }], nextCursor: null },
    });
  });

  it("uses Okta's largest member page (1000) for a big run", async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}/users`).query({ limit: '1000' }).reply(200, [JANE]);
    const result = await execute('list-group-members', {
      connection,
      input: { groupId: GROUP.id, maxItems: 50000 },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 1 } });
  });

  it('maps 404 for an unknown group', async () => {
    oktaMock()
      .get(`/api/v1/groups/${GROUP.id}/users`)
      .query(true)
      .reply(404, oktaError('E0000007', 'Not found: Resource not found'));
    const result = await execute('list-group-members', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
