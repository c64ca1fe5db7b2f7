import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { execute, manifest } from '../../src/index.js';
import { fakeUser } from '../helpers/fixtures.js';
import { connection, oktaError, oktaMock, rateLimitHeaders, recordedRequests } from '../helpers/okta-mock.js';

const JANE = fakeUser();

describe('get-user', () => {
  it('reads a user by login (URL-encoded) and keeps every field Okta sent', async () => {
    const withExtras = {
      ...JANE,
      someNewTopLevelField: { x: 1 },
      profile: { ...JANE.profile, badgeNumber: 'B-7' },
    };
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, withExtras, rateLimitHeaders(412));
    const result = await execute('get-user', { connection, input: { user: 'jane.doe@example.com' } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: JANE.id,
        status: 'ACTIVE',
        login: 'jane.doe@example.com',
        email: 'jane.doe@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
      },
      meta: { action: 'get-user', requests: 1, rateLimit: { limit: 600, remaining: 412 } },
    });
    if (!result.ok) return;
    expect(result.output.user).toEqual(withExtras);
  });

  it("says NOT_FOUND with Okta's own words and errorId", async () => {
    oktaMock()
      .get('/api/v1/users/nobody%40example.com')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: nobody@example.com (User)'));
    const result = await execute('get-user', { connection, input: { user: 'nobody@example.com' } });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        retryable: false,
        status: 404,
        okta: { errorCode: 'E0000007', errorId: 'oaeTestErrorId0000001' },
      },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('nobody@example.com (User)');
  });

  it('asks Okta to leave the credentials object out of the answer (okta-response=omitCredentials)', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    await execute('get-user', { connection, input: { user: 'jane.doe@example.com' } });
    expect(recordedRequests()[0]?.headers['content-type']).toBe(
      'application/json; okta-response=omitCredentials,omitCredentialsLinks',
    );
  });

  it('encodes a login that contains a slash, so it cannot change the path', async () => {
    oktaMock().get('/api/v1/users/a%2F..%2Fgroups').reply(404, oktaError('E0000007', 'Not found'));
    const result = await execute('get-user', { connection, input: { user: 'a/../groups' } });
    expect(result.ok).toBe(false);
    expect(recordedRequests()[0]?.path).toBe('/api/v1/users/a%2F..%2Fgroups');
  });
});

describe('list-users', () => {
  it('lists users (Okta leaves DEPROVISIONED out by default) with a null cursor at the end', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query({ limit: '200' })
      .reply(200, [JANE, fakeUser({ id: '00ub0oNGTSWTBKOLGLN2' })]);
    const result = await execute('list-users', { connection, input: {} });
    expect(result).toMatchObject({ ok: true, output: { count: 2, nextCursor: null } });
  });

  it('turns a name prefix into a quoted search, excludes deactivated users and sorts', async () => {
    let search = '';
    oktaMock()
      .get('/api/v1/users')
      .query((q) => {
        search = String(q.search);
        return q.sortBy === 'profile.lastName' && q.sortOrder === 'desc';
      })
      .reply(200, [JANE]);
    const result = await execute('list-users', {
      connection,
      input: { query: 'ja"ne', sortBy: 'profile.lastName', sortOrder: 'desc' },
    });
    expect(result.ok).toBe(true);
    expect(search).toBe(
      '(profile.firstName sw "ja\\"ne" or profile.lastName sw "ja\\"ne" or profile.email sw "ja\\"ne") and (status lt "DEPROVISIONED" or status gt "DEPROVISIONED")',
    );
  });

  it('keeps a filter consistent and adds the status condition only when deactivated users are excluded', async () => {
    const filters: string[] = [];
    oktaMock()
      .get('/api/v1/users')
      .times(2)
      .query((q) => {
        filters.push(String(q.filter));
        return true;
      })
      .reply(200, []);
    await execute('list-users', { connection, input: { filter: 'profile.login eq "a@b.c"' } });
    await execute('list-users', {
      connection,
      input: { filter: 'profile.login eq "a@b.c"', includeDeprovisioned: true },
    });
    expect(filters[0]).toBe(
      '(profile.login eq "a@b.c") and (status eq "STAGED" or status eq "PROVISIONED" or status eq "ACTIVE" or status eq "RECOVERY" or status eq "PASSWORD_EXPIRED" or status eq "LOCKED_OUT" or status eq "SUSPENDED")',
    );
    expect(filters[1]).toBe('profile.login eq "a@b.c"');
  });

  it('includes deactivated users on request with a consistent filter', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query((q) => String(q.filter).endsWith('or status eq "DEPROVISIONED"') && q.search === undefined)
      .reply(200, [fakeUser({ status: 'DEPROVISIONED' })]);
    const result = await execute('list-users', { connection, input: { includeDeprovisioned: true } });
    expect(result).toMatchObject({ ok: true, output: { users: [{ status: 'DEPROVISIONED' }] } });
  });

  it('refuses a filter combined with a search, before sending anything', async () => {
    const result = await execute('list-users', {
      connection,
      input: { filter: 'status eq "ACTIVE"', search: 'x eq "y"' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'filter' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it("reports Okta's error for a bad search expression as INVALID_INPUT", async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(400, oktaError('E0000031', 'Invalid search criteria.', ['Invalid search: near "eqq"']));
    const result = await execute('list-users', {
      connection,
      input: { search: 'profile.department eqq "x"' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
  });
});

describe('create-user', () => {
  it('creates a STAGED user by default, login defaulting to the email, with groups and custom attributes', async () => {
    let sent: Record<string, unknown> = {};
    oktaMock()
      .post('/api/v1/users', (body) => {
        sent = body;
        return true;
      })
      .query({ activate: 'false' })
      .reply(
        200,
        fakeUser({ status: 'STAGED', activated: null, profile: { contractEndDate: '2027-03-31' } }),
      );
    const result = await execute('create-user', {
      connection,
      input: {
        profile: {
          email: 'jane.doe@example.com',
          firstName: 'Jane',
          lastName: 'Doe',
          contractEndDate: '2027-03-31',
        },
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'STAGED', changed: true, user: { profile: { contractEndDate: '2027-03-31' } } },
    });
    expect(sent).toEqual({
      profile: {
        email: 'jane.doe@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
        contractEndDate: '2027-03-31',
        login: 'jane.doe@example.com',
      },
      groupIds: ['00g1emaKYZTWRYYRRTSK'],
    });
  });

  it('sends the password and activate=true when asked, and never returns the password', async () => {
    const password = 'Very-Secret-Passw0rd-123';
    oktaMock()
      .post('/api/v1/users', (body) => body.credentials?.password?.value === password)
      .query({ activate: 'true' })
      .reply(200, fakeUser());
    const result = await execute('create-user', {
      connection,
      input: {
        profile: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' },
        password,
        activate: true,
      },
    });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(password);
  });

  it('reports an existing login as CONFLICT', async () => {
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: login', [
          'login: An object with this field already exists in the current organization',
        ]),
      );
    const result = await execute('create-user', {
      connection,
      input: { profile: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' } },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', okta: { errorCode: 'E0000001' } } });
    if (result.ok) return;
    expect(result.error.message).toContain('already exists');
  });

  it('refuses a malformed email and a missing last name, naming both fields, and sends nothing', async () => {
    const result = await execute('create-user', {
      connection,
      input: { profile: { email: 'not-an-email', firstName: 'Jane' } } as never,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (result.ok) return;
    expect(result.error.details).toEqual(
      expect.arrayContaining([
        { path: 'profile.lastName', message: 'is required' },
        { path: 'profile.email', message: expect.stringContaining('email address') },
      ]),
    );
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('update-user', () => {
  it('sends only the given attributes (a partial POST) and reports what changed', async () => {
    let sent: unknown;
    oktaMock().get(`/api/v1/users/jane.doe%40example.com`).reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${JANE.id}`, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeUser({ profile: { department: 'Finance', mobilePhone: null } }));
    const result = await execute('update-user', {
      connection,
      input: {
        user: 'jane.doe@example.com',
        profile: { department: 'Finance', costCenter: 'CC-4410', mobilePhone: null },
      },
    });
    expect(sent).toEqual({ profile: { department: 'Finance', costCenter: 'CC-4410', mobilePhone: null } });
    expect(result).toMatchObject({
      ok: true,
      output: { changed: true, changedFields: ['department'], user: { profile: { costCenter: 'CC-4410' } } },
    });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('sends nothing and reports changed: false when every value already matches', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    const result = await execute('update-user', {
      connection,
      input: { user: JANE.id, profile: { department: 'Engineering' } },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false, changedFields: [] } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('says NOT_FOUND for an unknown user and sends no update', async () => {
    oktaMock()
      .get('/api/v1/users/ghost%40example.com')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: ghost@example.com (User)'));
    const result = await execute('update-user', {
      connection,
      input: { user: 'ghost@example.com', profile: { title: 'CTO' } },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET']);
  });

  it("reports a value Okta refuses as INVALID_INPUT with Okta's cause", async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${JANE.id}`)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: profile', [
          "profile: Property name 'badgeNo' is not defined in profile",
        ]),
      );
    const result = await execute('update-user', {
      connection,
      input: { user: JANE.id, profile: { badgeNo: '7' } },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        okta: { errorCauses: [{ errorSummary: expect.stringContaining('badgeNo') }] },
      },
    });
  });

  it('refuses an empty change', async () => {
    const result = await execute('update-user', { connection, input: { user: JANE.id, profile: {} } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'profile' }] },
    });
  });
});

describe('deactivate-user', () => {
  it('deactivates an active user', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${JANE.id}/lifecycle/deactivate`)
      .query({ sendEmail: 'false' })
      .reply(200, {});
    const result = await execute('deactivate-user', { connection, input: { user: 'jane.doe@example.com' } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: JANE.id, status: 'DEPROVISIONED', previousStatus: 'ACTIVE', changed: true },
    });
  });

  it('leaves a deactivated user as is: changed false, no lifecycle call', async () => {
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('deactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false, previousStatus: 'DEPROVISIONED' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps a 403 to FORBIDDEN with advice about the admin role', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${JANE.id}/lifecycle/deactivate`)
      .query(true)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('deactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/admin/i);
  });
});

describe('delete-user', () => {
  it('deactivates first, then deletes (two DELETEs), and says so', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock().delete(`/api/v1/users/${JANE.id}`).query({ sendEmail: 'false' }).times(2).reply(204);
    const result = await execute('delete-user', { connection, input: { user: 'jane.doe@example.com' } });
    expect(result).toMatchObject({
      ok: true,
      output: { deactivatedFirst: true, deleted: true, changed: true, previousStatus: 'ACTIVE' },
    });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET', 'DELETE', 'DELETE']);
  });

  it('deletes a deactivated user with one DELETE', async () => {
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    oktaMock().delete(`/api/v1/users/${JANE.id}`).query(true).reply(204);
    const result = await execute('delete-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { deactivatedFirst: false } });
  });

  it('says exactly which step ran when the delete fails after the deactivation', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock().delete(`/api/v1/users/${JANE.id}`).query(true).reply(204);
    // A user's DELETE is two-phase, so it is not re-sent blindly: after the 500 the user is read, is still
    // there (deactivated), and the DELETE is sent once more.
    oktaMock()
      .delete(`/api/v1/users/${JANE.id}`)
      .query(true)
      .times(2)
      .reply(500, oktaError('E0000009', 'Internal Server Error'));
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('delete-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'UPSTREAM',
        retryable: true,
        steps: [
          { step: 'deactivate', status: 'done', changed: true },
          {
            step: 'delete',
            status: 'failed',
            error: { message: expect.stringMatching(/had not taken effect/) },
          },
          { step: 'delete (sent again: the first try had not done it)', status: 'failed' },
        ],
      },
    });
    if (result.ok) return;
    expect(result.error.message).toContain(
      'Already done in Okta before the failure: deactivate; failed at: delete.',
    );
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET', 'DELETE', 'DELETE', 'GET', 'DELETE']);
  });

  it('a lost answer to the delete: the user is gone, so it is done, not sent again', async () => {
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    oktaMock()
      .delete(`/api/v1/users/${JANE.id}`)
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${JANE.id} (User)`));
    const result = await execute('delete-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { deleted: true, deactivatedFirst: false, changed: true },
    });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET', 'DELETE', 'GET']);
  });

  it('refuses an unknown field (a typo) and sends nothing', async () => {
    const result = await execute('delete-user', {
      connection,
      input: { user: JANE.id, sendEmial: true } as never,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (result.ok) return;
    expect(result.error.details).toEqual([
      {
        path: 'sendEmial',
        message: expect.stringContaining('is not a known field (did you mean "sendEmail"?)'),
      },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('delete-user with deactivateFirst off', () => {
  it('refuses a user who is not deactivated, with advice that is not a way back in, and sends nothing else', async () => {
    const jane = fakeUser();
    oktaMock().get(`/api/v1/users/${jane.id}`).reply(200, jane);
    const result = await execute('delete-user', {
      connection,
      input: { user: jane.id, deactivateFirst: false },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('run deactivate-user first, or leave deactivateFirst on');
    expect(recordedRequests()).toHaveLength(1);
  });
});

describe('deactivateFirst: one rule for every delete action', () => {
  it('is on by default wherever Okta deletes only what is deactivated, from one shared definition', () => {
    const propertiesOf = (action: (typeof manifest.actions)[number]) =>
      (action.input.properties ?? {}) as Record<string, unknown>;
    const deleting = manifest.actions.filter((action) => propertiesOf(action).deactivateFirst);
    expect(deleting.map((action) => action.key).sort()).toEqual([
      'delete-device',
      'delete-event-hook',
      'delete-group-rule',
      'delete-user',
    ]);
    for (const action of deleting)
      expect(propertiesOf(action).deactivateFirst, action.key).toEqual({
        title: 'Deactivate first',
        $ref: '#/definitions/deactivateFirst',
        default: true,
      });
  });
});
