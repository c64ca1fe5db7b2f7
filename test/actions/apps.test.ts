import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import {
  fakeAppGroup,
  fakeAppGroupWithGroup,
  fakeAppUser,
  fakeSamlApp,
  fakeSwaApp,
} from '../helpers/fixtures-apps.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';
import { oktaApiDescription } from '../helpers/openapi.js';

const APP = fakeSamlApp();
const PAYROLL = fakeSwaApp();
const JANE = fakeUser();
const GROUP = fakeGroup();
const SALES = fakeGroup({ id: '00g2salesZTWRYYRRTSK', profile: { name: 'Sales' } });
const PASSWORD = 'Payroll-Initial-2026!';

const requests = () => recordedRequests().map((r) => `${r.method} ${r.path}`);
const notFound = (what: string) => oktaError('E0000007', `Not found: Resource not found: ${what}`);

describe('app fixtures look like Okta answers', () => {
  it('apps, app users and group assignments match the response schemas', () => {
    const description = oktaApiDescription();
    expect(description.checkResponse('getApplication', 200, APP)).toEqual([]);
    expect(description.checkResponse('listApplications', 200, [APP, PAYROLL])).toEqual([]);
    expect(description.checkResponse('getApplicationUser', 200, fakeAppUser())).toEqual([]);
    expect(
      description.checkResponse('listApplicationUsers', 200, [
        fakeAppUser(),
        fakeAppUser({ scope: 'GROUP', _embedded: { user: JANE } }),
      ]),
    ).toEqual([]);
    expect(description.checkResponse('assignUserToApplication', 200, fakeAppUser())).toEqual([]);
    expect(
      description.checkResponse('listApplicationGroupAssignments', 200, [
        fakeAppGroup(),
        fakeAppGroupWithGroup({ id: SALES.id, priority: 1 }),
      ]),
    ).toEqual([]);
    expect(description.checkResponse('assignGroupToApplication', 200, fakeAppGroup())).toEqual([]);
  });
});

describe('list-apps', () => {
  it('combines status, user (login resolved) and group into one quoted filter, with the name prefix as q', async () => {
    let query: Record<string, unknown> = {};
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock()
      .get('/api/v1/apps')
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, [APP]);
    const result = await execute('list-apps', {
      connection,
      input: { query: 'Sales', status: 'ACTIVE', user: 'jane.doe@example.com', groupId: GROUP.id },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 1, nextCursor: null } });
    if (!result.ok) return;
    // Every setting of the sign-on mode comes back as Okta sent it.
    expect(result.output.apps[0]).toEqual(APP);
    expect(query).toEqual({
      q: 'Sales',
      filter: `status eq "ACTIVE" and user.id eq "${JANE.id}" and group.id eq "${GROUP.id}"`,
      limit: '200',
    });
  });

  it('stops at maxItems with a cursor that continues on the next page', async () => {
    oktaMock()
      .get('/api/v1/apps')
      .query({ limit: '1' })
      .reply(200, [APP], { link: `<${ORG}/api/v1/apps?after=${APP.id}&limit=1>; rel="next"` });
    const first = await execute('list-apps', { connection, input: { maxItems: 1 } });
    expect(first).toMatchObject({ ok: true, output: { count: 1, nextCursor: expect.any(String) } });
    if (!first.ok) return;
    oktaMock().get('/api/v1/apps').query({ after: APP.id, limit: '200' }).reply(200, [PAYROLL]);
    const rest = await execute('list-apps', { connection, input: { cursor: first.output.nextCursor! } });
    expect(rest).toMatchObject({ ok: true, output: { apps: [{ id: PAYROLL.id }], nextCursor: null } });
  });

  it('maps 403 to FORBIDDEN', async () => {
    oktaMock()
      .get('/api/v1/apps')
      .query(true)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-apps', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
  });

  it('refuses an unknown status and a malformed group id before sending anything', async () => {
    const result = await execute('list-apps', {
      connection,
      input: { status: 'active', groupId: 'Sales' } as never,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (result.ok) return;
    expect(result.error.details?.map((d) => d.path).sort()).toEqual(['groupId', 'status']);
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('get-app', () => {
  it('reads the app raw, keeping settings and fields the SDK does not know', async () => {
    const withExtras = { ...APP, universalLogout: { status: 'ENABLED' }, someNewField: { x: 1 } };
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, withExtras);
    const result = await execute('get-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: APP.id,
        name: 'salesforce',
        label: 'Salesforce.com',
        status: 'ACTIVE',
        signOnMode: 'SAML_2_0',
      },
    });
    if (!result.ok) return;
    expect(result.output.app).toEqual(withExtras);
  });

  it('maps 404 to NOT_FOUND', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(404, notFound(`${APP.id} (AppInstance)`));
    const result = await execute('get-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', okta: { errorCode: 'E0000007' } },
    });
  });

  it('refuses an app label where the id belongs, before sending anything', async () => {
    const result = await execute('get-app', { connection, input: { appId: 'Salesforce.com' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'appId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('activate-app', () => {
  it('activates an inactive app', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(200, { ...APP, status: 'INACTIVE' });
    oktaMock().post(`/api/v1/apps/${APP.id}/lifecycle/activate`).reply(200, {});
    const result = await execute('activate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: APP.id,
        label: 'Salesforce.com',
        status: 'ACTIVE',
        previousStatus: 'INACTIVE',
        changed: true,
      },
    });
  });

  it('leaves an active app as is: changed false, nothing sent', async () => {
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, APP);
    const result = await execute('activate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'ACTIVE', changed: false } });
    expect(requests()).toEqual([`GET /api/v1/apps/${APP.id}`]);
  });

  it('a dry run plans the activation and sends no write', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(200, { ...APP, status: 'INACTIVE' });
    const result = await execute('activate-app', { connection, input: { appId: APP.id }, dryRun: true });
    expect(result).toMatchObject({
      ok: true,
      output: {
        dryRun: true,
        wouldChange: true,
        plan: [{ step: 'activate', method: 'POST', path: `/api/v1/apps/${APP.id}/lifecycle/activate` }],
      },
    });
    expect(requests()).toEqual([`GET /api/v1/apps/${APP.id}`]);
  });

  it('maps 403 on the activation to FORBIDDEN', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(200, { ...APP, status: 'INACTIVE' });
    oktaMock()
      .post(`/api/v1/apps/${APP.id}/lifecycle/activate`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('activate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('deactivate-app', () => {
  it('deactivates an active app', async () => {
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, APP);
    oktaMock().post(`/api/v1/apps/${APP.id}/lifecycle/deactivate`).reply(200, {});
    const result = await execute('deactivate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'INACTIVE', previousStatus: 'ACTIVE', changed: true },
    });
  });

  it('leaves an inactive app as is', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(200, { ...APP, status: 'INACTIVE' });
    const result = await execute('deactivate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'INACTIVE', changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps 404 to NOT_FOUND', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(404, notFound(`${APP.id} (AppInstance)`));
    const result = await execute('deactivate-app', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-app-users', () => {
  it('filters by prefix and asks for the Okta user on every page', async () => {
    const queries: Array<Record<string, unknown>> = [];
    const path = `/api/v1/apps/${APP.id}/users`;
    oktaMock()
      .get(path)
      .query((q) => {
        queries.push(q);
        return q.after === undefined;
      })
      .reply(200, [fakeAppUser({ _embedded: { user: JANE } })], {
        link: `<${ORG}${path}?q=jane&limit=200&after=00ub0>; rel="next"`,
      });
    oktaMock()
      .get(path)
      .query((q) => {
        queries.push(q);
        return q.after === '00ub0';
      })
      .reply(200, [fakeAppUser({ id: '00ub0oNGTSWTBKOLGLN2', scope: 'GROUP' })]);
    const result = await execute('list-app-users', {
      connection,
      input: { appId: APP.id, query: 'jane', includeUser: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        appId: APP.id,
        count: 2,
        nextCursor: null,
        appUsers: [{ scope: 'USER', profile: { role: 'Sales' } }, { scope: 'GROUP' }],
      },
    });
    expect(queries[0]).toEqual({ q: 'jane', expand: 'user', limit: '200' });
    expect(queries[1]).toMatchObject({ expand: 'user', after: '00ub0' });
  });

  it('maps 404 for an unknown app', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users`)
      .query(true)
      .reply(404, notFound(`${APP.id} (AppInstance)`));
    const result = await execute('list-app-users', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it("refuses a page size above Okta's 500", async () => {
    const result = await execute('list-app-users', { connection, input: { appId: APP.id, limit: 1000 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'limit' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('assign-user-to-app', () => {
  const usersPath = `/api/v1/apps/${PAYROLL.id}/users`;
  const appUserPath = `${usersPath}/${JANE.id}`;

  it('assigns a user who has no assignment, with credentials and profile, and never returns the password', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock()
      .get(appUserPath)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock().get(`/api/v1/apps/${PAYROLL.id}`).reply(200, PAYROLL);
    oktaMock()
      .post(usersPath, (body) => {
        sent = body;
        return true;
      })
      .reply(
        200,
        fakeAppUser({
          appId: PAYROLL.id,
          credentials: { userName: 'jdoe', password: {} },
          profile: { costCenter: 'CC-1' },
        }),
      );
    const result = await execute('assign-user-to-app', {
      connection,
      input: {
        appId: PAYROLL.id,
        user: 'jane.doe@example.com',
        userName: 'jdoe',
        password: PASSWORD,
        profile: { costCenter: 'CC-1' },
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        appId: PAYROLL.id,
        userId: JANE.id,
        scope: 'USER',
        userName: 'jdoe',
        previousScope: null,
        changed: true,
        changedFields: ['credentials.userName', 'credentials.password', 'profile.costCenter'],
      },
    });
    expect(sent).toEqual({
      id: JANE.id,
      scope: 'USER',
      credentials: { userName: 'jdoe', password: { value: PASSWORD } },
      profile: { costCenter: 'CC-1' },
    });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('leaves a direct assignment with the same values as is; a set password is not resent', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(appUserPath)
      .reply(200, fakeAppUser({ appId: PAYROLL.id, credentials: { userName: 'jdoe', password: {} } }));
    const result = await execute('assign-user-to-app', {
      connection,
      input: {
        appId: PAYROLL.id,
        user: JANE.id,
        userName: 'jdoe',
        password: PASSWORD,
        profile: { role: 'Sales' },
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { scope: 'USER', previousScope: 'USER', changed: false, changedFields: [] },
    });
    expect(requests()).toEqual([`GET /api/v1/users/${JANE.id}`, `GET ${appUserPath}`]);
  });

  it('updates a direct assignment with other values, sending only what differs', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock().get(`/api/v1/apps/${APP.id}/users/${JANE.id}`).reply(200, fakeAppUser());
    oktaMock()
      .post(`/api/v1/apps/${APP.id}/users/${JANE.id}`, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeAppUser({ profile: { role: 'Sales Manager' } }));
    const result = await execute('assign-user-to-app', {
      connection,
      input: { appId: APP.id, user: JANE.id, profile: { role: 'Sales Manager', profile: 'Standard User' } },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { previousScope: 'USER', changed: true, changedFields: ['profile.role'] },
    });
    expect(sent).toEqual({ profile: { role: 'Sales Manager' } });
  });

  it('makes a group assignment direct', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users/${JANE.id}`)
      .reply(200, fakeAppUser({ scope: 'GROUP' }));
    oktaMock()
      .post(`/api/v1/apps/${APP.id}/users`, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeAppUser());
    const result = await execute('assign-user-to-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { scope: 'USER', previousScope: 'GROUP', changed: true, changedFields: ['scope'] },
    });
    expect(sent).toEqual({ id: JANE.id, scope: 'USER' });
  });

  it('refuses a deactivated user with CONFLICT, before reading the assignment', async () => {
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('assign-user-to-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('DEPROVISIONED');
    expect(result.error.message).toContain('activate-user');
    expect(recordedRequests()).toHaveLength(1);
  });

  it("reports Okta refusing credentials the app's scheme does not take, without the password", async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users/${JANE.id}`)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, APP);
    oktaMock()
      .post(`/api/v1/apps/${APP.id}/users`)
      .reply(
        400,
        oktaError('E0000041', 'Credentials should not be set on this resource based on the scheme.', [
          'User level credentials should not be provided for this scheme.',
        ]),
      );
    const result = await execute('assign-user-to-app', {
      connection,
      input: { appId: APP.id, user: JANE.id, password: PASSWORD },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', okta: { errorCode: 'E0000041' } },
    });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('says NOT_FOUND for an unknown app instead of assigning', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users/${JANE.id}`)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock()
      .get(`/api/v1/apps/${APP.id}`)
      .reply(404, notFound(`${APP.id} (AppInstance)`));
    const result = await execute('assign-user-to-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('AppInstance');
    expect(recordedRequests().every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('get-app-user', () => {
  it('reads an assignment by user id (no user lookup) with the Okta user embedded', async () => {
    const appUser = fakeAppUser({ _embedded: { user: JANE } });
    oktaMock().get(`/api/v1/apps/${APP.id}/users/${JANE.id}`).query({ expand: 'user' }).reply(200, appUser);
    const result = await execute('get-app-user', {
      connection,
      input: { appId: APP.id, user: JANE.id, includeUser: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        appId: APP.id,
        userId: JANE.id,
        scope: 'USER',
        status: 'PROVISIONED',
        userName: 'jane.doe@example.com',
      },
    });
    if (!result.ok) return;
    expect(result.output.appUser).toEqual(appUser);
    expect(recordedRequests()).toHaveLength(1);
  });

  it('says the user is not assigned when the app exists but the assignment does not', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users/${JANE.id}`)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, APP);
    const result = await execute('get-app-user', { connection, input: { appId: APP.id, user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', status: 404 } });
    if (result.ok) return;
    expect(result.error.message).toContain('is not assigned');
    expect(result.error.message).toContain('assign-user-to-app');
  });

  it('maps 403 to FORBIDDEN', async () => {
    oktaMock()
      .get(`/api/v1/apps/${APP.id}/users/${JANE.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('get-app-user', { connection, input: { appId: APP.id, user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('update-app-user', () => {
  const path = `/api/v1/apps/${PAYROLL.id}/users/${JANE.id}`;

  it('sends only what differs and always the password (it cannot be compared), never returning it', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock()
      .get(path)
      .reply(200, fakeAppUser({ appId: PAYROLL.id, credentials: { userName: 'jdoe' } }));
    oktaMock()
      .post(path, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeAppUser({ appId: PAYROLL.id, credentials: { userName: 'jdoe', password: {} } }));
    const result = await execute('update-app-user', {
      connection,
      input: {
        appId: PAYROLL.id,
        user: JANE.id,
        userName: 'jdoe',
        password: PASSWORD,
        profile: { role: null },
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { changed: true, changedFields: ['credentials.password', 'profile.role'], userName: 'jdoe' },
    });
    expect(sent).toEqual({ credentials: { password: { value: PASSWORD } }, profile: { role: null } });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('leaves an assignment that already matches as is: changed false, no write', async () => {
    oktaMock()
      .get(path)
      .reply(200, fakeAppUser({ appId: PAYROLL.id }));
    const result = await execute('update-app-user', {
      connection,
      input: { appId: PAYROLL.id, user: JANE.id, profile: { role: 'Sales', department: null } },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false, changedFields: [] } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses an input with nothing to change before sending anything', async () => {
    const result = await execute('update-app-user', {
      connection,
      input: { appId: PAYROLL.id, user: JANE.id },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'profile' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('says NOT_FOUND for a user who is not assigned', async () => {
    oktaMock()
      .get(path)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock().get(`/api/v1/apps/${PAYROLL.id}`).reply(200, PAYROLL);
    const result = await execute('update-app-user', {
      connection,
      input: { appId: PAYROLL.id, user: JANE.id, userName: 'jdoe' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('assign-user-to-app');
  });

  it("reports Okta's validation error as INVALID_INPUT", async () => {
    oktaMock()
      .get(path)
      .reply(200, fakeAppUser({ appId: PAYROLL.id }));
    oktaMock()
      .post(path)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: role', ['role: Does not match required pattern']),
      );
    const result = await execute('update-app-user', {
      connection,
      input: { appId: PAYROLL.id, user: JANE.id, profile: { role: '!!' } },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
  });
});

describe('unassign-user-from-app', () => {
  const path = `/api/v1/apps/${APP.id}/users/${JANE.id}`;

  it('removes a direct assignment', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock().get(path).reply(200, fakeAppUser());
    oktaMock().delete(path).query({ sendEmail: 'false' }).reply(204);
    const result = await execute('unassign-user-from-app', {
      connection,
      input: { appId: APP.id, user: 'jane.doe@example.com' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { appId: APP.id, userId: JANE.id, assigned: false, previousScope: 'USER', changed: true },
    });
  });

  it('leaves a user who is not assigned as is, after checking the app exists', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(path)
      .reply(404, notFound(`${JANE.id} (AppUser)`));
    oktaMock().get(`/api/v1/apps/${APP.id}`).reply(200, APP);
    const result = await execute('unassign-user-from-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { assigned: false, previousScope: null, changed: false },
    });
    expect(recordedRequests().every((r) => r.method === 'GET')).toBe(true);
  });

  it('refuses a user who has the app through a group, naming the group and both ways out', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .get(path)
      .reply(200, fakeAppUser({ scope: 'GROUP', groupId: SALES.id }));
    const result = await execute('unassign-user-from-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`group ${SALES.id}`);
    expect(result.error.message).toContain('unassign-group-from-app');
    expect(result.error.message).toContain('remove-user-from-group');
    expect(recordedRequests().every((r) => r.method === 'GET')).toBe(true);
  });

  it("turns Okta's E0000046 (assigned directly and through a group) into CONFLICT", async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock().get(path).reply(200, fakeAppUser());
    oktaMock()
      .delete(path)
      .query(true)
      .reply(
        403,
        oktaError('E0000046', 'Deactivate application for user forbidden.', [
          'The application cannot be unassigned from the user while their group memberships grant them access',
        ]),
      );
    const result = await execute('unassign-user-from-app', {
      connection,
      input: { appId: APP.id, user: JANE.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('unassign-group-from-app');
  });

  it('maps any other 403 to FORBIDDEN, passing sendEmail on', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock().get(path).reply(200, fakeAppUser());
    oktaMock()
      .delete(path)
      .query({ sendEmail: 'true' })
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('unassign-user-from-app', {
      connection,
      input: { appId: APP.id, user: JANE.id, sendEmail: true },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('list-app-groups', () => {
  const path = `/api/v1/apps/${APP.id}/groups`;

  it("keeps Okta's minimum page size of 20 for a small run and trims the page itself", async () => {
    oktaMock()
      .get(path)
      .query({ expand: 'group', limit: '200' })
      .reply(200, [fakeAppGroupWithGroup(), fakeAppGroupWithGroup({ id: SALES.id, priority: 1 })]);
    const result = await execute('list-app-groups', {
      connection,
      input: { appId: APP.id, includeGroup: true, maxItems: 1 },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        appId: APP.id,
        count: 1,
        nextCursor: expect.any(String),
        groupAssignments: [
          { id: GROUP.id, priority: 0, _embedded: { group: { profile: { name: 'Engineering' } } } },
        ],
      },
    });
  });

  it('passes the name prefix as q', async () => {
    oktaMock()
      .get(path)
      .query({ q: 'Sal', limit: '20' })
      .reply(200, [fakeAppGroup({ id: SALES.id })]);
    const result = await execute('list-app-groups', {
      connection,
      input: { appId: APP.id, query: 'Sal', limit: 20 },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 1, nextCursor: null } });
  });

  it('maps 404 for an unknown app', async () => {
    oktaMock()
      .get(path)
      .query(true)
      .reply(404, notFound(`${APP.id} (AppInstance)`));
    const result = await execute('list-app-groups', { connection, input: { appId: APP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it("refuses a page size below Okta's 20", async () => {
    const result = await execute('list-app-groups', { connection, input: { appId: APP.id, limit: 5 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'limit' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('assign-group-to-app', () => {
  const listPath = `/api/v1/apps/${APP.id}/groups`;
  const path = `${listPath}/${SALES.id}`;

  it('assigns a group that is not assigned, with priority and profile', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock().get(listPath).query({ limit: '200' }).reply(200, [fakeAppGroup()]);
    oktaMock()
      .put(path, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeAppGroup({ id: SALES.id, priority: 1, profile: { role: 'Sales' } }));
    const result = await execute('assign-group-to-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id, priority: 1, profile: { role: 'Sales' } },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        appId: APP.id,
        groupId: SALES.id,
        priority: 1,
        previouslyAssigned: false,
        changed: true,
        changedFields: ['assignment', 'priority', 'profile.role'],
        groupAssignment: { id: SALES.id, profile: { role: 'Sales' } },
      },
    });
    expect(sent).toEqual({ priority: 1, profile: { role: 'Sales' } });
  });

  it('leaves an assignment with the same priority and attributes as is', async () => {
    oktaMock()
      .get(listPath)
      .query(true)
      .reply(200, [fakeAppGroup(), fakeAppGroup({ id: SALES.id, priority: 1 })]);
    const result = await execute('assign-group-to-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id, priority: 1, profile: { role: 'Sales' } },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { previouslyAssigned: true, priority: 1, changed: false, changedFields: [] },
    });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('updates an assignment with other attributes, sending the whole profile back (PUT replaces it)', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock()
      .get(listPath)
      .query(true)
      .reply(200, [fakeAppGroup({ id: SALES.id, priority: 2 })]);
    oktaMock()
      .put(path, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeAppGroup({ id: SALES.id, priority: 2, profile: { role: 'Sales Manager' } }));
    const result = await execute('assign-group-to-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id, profile: { role: 'Sales Manager', profile: null } },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { previouslyAssigned: true, changed: true, changedFields: ['profile.role', 'profile.profile'] },
    });
    expect(sent).toEqual({ priority: 2, profile: { role: 'Sales Manager' } });
  });

  it('maps 404 for an unknown group', async () => {
    oktaMock().get(listPath).query(true).reply(200, []);
    oktaMock()
      .put(path)
      .reply(404, notFound(`${SALES.id} (UserGroup)`));
    const result = await execute('assign-group-to-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a negative priority before sending anything', async () => {
    const result = await execute('assign-group-to-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id, priority: -1 },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'priority' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('unassign-group-from-app', () => {
  const listPath = `/api/v1/apps/${APP.id}/groups`;
  const path = `${listPath}/${SALES.id}`;

  it('removes an assigned group', async () => {
    oktaMock()
      .get(listPath)
      .query(true)
      .reply(200, [fakeAppGroup(), fakeAppGroup({ id: SALES.id, priority: 1 })]);
    oktaMock().delete(path).reply(204);
    const result = await execute('unassign-group-from-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { appId: APP.id, groupId: SALES.id, assigned: false, previousPriority: 1, changed: true },
    });
  });

  it('leaves a group that is not assigned as is, after checking the group exists', async () => {
    oktaMock().get(listPath).query(true).reply(200, [fakeAppGroup()]);
    oktaMock().get(`/api/v1/groups/${SALES.id}`).reply(200, SALES);
    const result = await execute('unassign-group-from-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id },
    });
    expect(result).toMatchObject({ ok: true, output: { previousPriority: null, changed: false } });
    expect(recordedRequests().every((r) => r.method === 'GET')).toBe(true);
  });

  it('says NOT_FOUND for a mistyped group id instead of "nothing to do"', async () => {
    oktaMock().get(listPath).query(true).reply(200, [fakeAppGroup()]);
    oktaMock()
      .get(`/api/v1/groups/${SALES.id}`)
      .reply(404, notFound(`${SALES.id} (UserGroup)`));
    const result = await execute('unassign-group-from-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('maps 403 on the removal to FORBIDDEN', async () => {
    oktaMock()
      .get(listPath)
      .query(true)
      .reply(200, [fakeAppGroup({ id: SALES.id })]);
    oktaMock()
      .delete(path)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('unassign-group-from-app', {
      connection,
      input: { appId: APP.id, groupId: SALES.id },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
