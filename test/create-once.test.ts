/**
 * A POST whose answer was lost may have been carried out. These tests hold the creates and the lifecycle
 * changes to "look before sending again": no duplicate, no blind re-send, and a plain re-send only when
 * the first try demonstrably did nothing.
 */
import { describe, expect, it } from 'vitest';
import { createdSince, isAmbiguousFailure } from '../src/domain/create-once.js';
import { execute } from '../src/index.js';
import { executeResumed } from '../src/runtime/resumed-run.js';
import { fakeGroup, fakeUser } from './helpers/fixtures.js';
import { connection, oktaError, oktaMock, recordedRequests } from './helpers/okta-mock.js';

const NEW_LOGIN = 'new.hire@example.com';
const newHire = (created: string) =>
  fakeUser({
    id: '00unewhire0000000001',
    status: 'STAGED',
    created,
    profile: { login: NEW_LOGIN, email: NEW_LOGIN, firstName: 'New', lastName: 'Hire' },
  });
const createInput = { profile: { login: NEW_LOGIN, email: NEW_LOGIN, firstName: 'New', lastName: 'Hire' } };
const methods = () => recordedRequests().map((r) => `${r.method} ${r.path.split('?')[0]}`);

describe('create-user after an ambiguous failure', () => {
  it('finds the user the lost POST created and returns it, without a second POST', async () => {
    oktaMock().post('/api/v1/users').query(true).reply(502, 'Bad Gateway');
    oktaMock()
      .get(`/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`)
      .reply(200, newHire(new Date().toISOString()));
    const result = await execute('create-user', { connection, input: createInput });
    expect(result).toMatchObject({ ok: true, output: { id: '00unewhire0000000001', changed: true } });
    expect(methods()).toEqual(['POST /api/v1/users', `GET /api/v1/users/${encodeURIComponent(NEW_LOGIN)}`]);
  });

  it('sends the POST once more when the user does not exist, and says so in the steps', async () => {
    // An Error instance: nock 14 never settles node-fetch's request for a plain-object error.
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    oktaMock()
      .get(`/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`)
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: new.hire@example.com (User)'));
    oktaMock().post('/api/v1/users').query(true).reply(200, newHire(new Date().toISOString()));
    const result = await execute('create-user', { connection, input: createInput });
    expect(result).toMatchObject({ ok: true, output: { changed: true }, meta: { requests: 3 } });
    expect(methods()).toEqual([
      'POST /api/v1/users',
      `GET /api/v1/users/${encodeURIComponent(NEW_LOGIN)}`,
      'POST /api/v1/users',
    ]);
  });

  it('does not claim an older user with the same login as its own', async () => {
    oktaMock().post('/api/v1/users').query(true).reply(500, oktaError('E0000009', 'Internal Server Error'));
    oktaMock()
      .get(`/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`)
      .reply(200, newHire('2025-01-01T00:00:00.000Z'));
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: login', [
          'login: An object with this field already exists in the current organization',
        ]),
      );
    const result = await execute('create-user', { connection, input: createInput });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('when the check fails too, says the outcome is unknown and keeps each step its own reason', async () => {
    oktaMock().post('/api/v1/users').query(true).reply(502, 'Bad Gateway');
    oktaMock()
      .get(`/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`)
      .times(4)
      .reply(503, oktaError('E0000009', 'Service Unavailable'));
    const result = await execute('create-user', { connection, input: createInput });
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM', retryable: true } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/Whether Okta carried out create user is unknown/);
    expect(result.error.steps).toEqual([
      expect.objectContaining({
        step: 'create user',
        status: 'failed',
        outcomeUnknown: true,
        error: expect.objectContaining({ message: expect.stringMatching(/502/) }),
      }),
    ]);
    expect(recordedRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('after a clear refusal (400), neither looks nor re-sends', async () => {
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: email', ['email: Does not match required pattern']),
      );
    const result = await execute('create-user', { connection, input: createInput });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(methods()).toEqual(['POST /api/v1/users']);
  });

  it('a POST that times out is not re-sent by the transport: one POST, then the look-up', async () => {
    oktaMock().post('/api/v1/users').query(true).delay(500).reply(200, newHire(new Date().toISOString()));
    oktaMock()
      .get(`/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`)
      .reply(200, newHire(new Date().toISOString()));
    const result = await execute(
      'create-user',
      { connection, input: createInput },
      { requestTimeoutMs: 100 },
    );
    expect(result).toMatchObject({ ok: true, output: { changed: true } });
    expect(methods()).toEqual(['POST /api/v1/users', `GET /api/v1/users/${encodeURIComponent(NEW_LOGIN)}`]);
  });
});

describe('create-group after an ambiguous failure', () => {
  it('finds the group by its unique name among the recent ones', async () => {
    const created = fakeGroup({
      id: '00gnewgroup000000001',
      created: new Date().toISOString(),
      profile: { name: 'Interns' },
    });
    oktaMock().post('/api/v1/groups').reply(503, oktaError('E0000009', 'Service Unavailable'));
    oktaMock()
      .get('/api/v1/groups')
      .query({ q: 'Interns', limit: 200 })
      .reply(200, [fakeGroup({ id: '00golderinterns00001', profile: { name: 'Interns 2024' } }), created]);
    const result = await execute('create-group', { connection, input: { name: 'Interns' } });
    expect(result).toMatchObject({ ok: true, output: { id: '00gnewgroup000000001', changed: true } });
    expect(recordedRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('a create that repeats an earlier attempt (a queue ran its job again)', () => {
  const USER_PATH = `/api/v1/users/${encodeURIComponent(NEW_LOGIN)}`;

  it('finds the user the earlier attempt created and answers it as created, sending no POST', async () => {
    const firstAttemptAt = Date.now() - 5_000;
    oktaMock()
      .get(USER_PATH)
      .reply(200, newHire(new Date(firstAttemptAt + 1_000).toISOString()));
    const result = await executeResumed(
      'create-user',
      { connection, input: createInput },
      undefined,
      firstAttemptAt,
    );
    expect(result).toMatchObject({ ok: true, output: { id: '00unewhire0000000001', changed: true } });
    expect(methods()).toEqual([`GET ${USER_PATH}`]);
  });

  it("sends the POST when no such object exists, or only an older one (not the earlier attempt's)", async () => {
    const firstAttemptAt = Date.now() - 5_000;
    oktaMock()
      .get(USER_PATH)
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: new.hire@example.com (User)'));
    oktaMock().post('/api/v1/users').query(true).reply(200, newHire(new Date().toISOString()));
    const missing = await executeResumed(
      'create-user',
      { connection, input: createInput },
      undefined,
      firstAttemptAt,
    );
    expect(missing).toMatchObject({ ok: true, output: { changed: true } });
    expect(methods()).toEqual([`GET ${USER_PATH}`, 'POST /api/v1/users']);

    // Someone else's user with that login, from before the job: the POST goes out, and Okta refuses it.
    oktaMock().get(USER_PATH).reply(200, newHire('2025-01-01T00:00:00.000Z'));
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: login', [
          'login: An object with this field already exists in the current organization',
        ]),
      );
    const older = await executeResumed(
      'create-user',
      { connection, input: createInput },
      undefined,
      firstAttemptAt,
    );
    expect(older).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('a dry run plans the create and looks for nothing', async () => {
    const result = await executeResumed(
      'create-group',
      { connection, input: { name: 'Interns' }, dryRun: true },
      undefined,
      Date.now() - 5_000,
    );
    expect(result).toMatchObject({ ok: true, output: { dryRun: true, wouldChange: true } });
    expect(methods()).toEqual([]);
  });

  it('the step says the earlier attempt made it, if a later step fails', async () => {
    const firstAttemptAt = Date.now() - 5_000;
    const rule = {
      id: '0pr00000000000000001',
      type: 'group_rule',
      name: 'Engineers',
      status: 'INACTIVE',
      created: new Date(firstAttemptAt + 1_000).toISOString(),
      lastUpdated: new Date(firstAttemptAt + 1_000).toISOString(),
      conditions: { expression: { type: 'urn:okta:expression:1.0', value: 'user.department=="Eng"' } },
      actions: { assignUserToGroups: { groupIds: ['00g00000000000000001'] } },
    };
    oktaMock().get('/api/v1/groups/rules').query(true).reply(200, [rule]);
    oktaMock()
      .post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await executeResumed(
      'create-group-rule',
      {
        connection,
        input: {
          name: 'Engineers',
          expression: 'user.department=="Eng"',
          groupIds: ['00g00000000000000001'],
          activate: true,
        },
      },
      undefined,
      firstAttemptAt,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (result.ok) return;
    expect(result.error.steps?.map((s) => [s.step, s.status])).toEqual([
      ['create rule (done by an earlier attempt)', 'done'],
      ['activate rule', 'failed'],
    ]);
    expect(recordedRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('a lifecycle POST after an ambiguous failure', () => {
  const JANE = fakeUser();

  it('reads the status: already deactivated means done, nothing re-sent', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${JANE.id}/lifecycle/deactivate`)
      .query(true)
      .reply(504, 'Gateway Timeout');
    oktaMock()
      .get(`/api/v1/users/${JANE.id}`)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('deactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'DEPROVISIONED', changed: true } });
    expect(recordedRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('still active means it did not take: sent once more', async () => {
    oktaMock().get(`/api/v1/users/${JANE.id}`).times(2).reply(200, JANE);
    oktaMock().post(`/api/v1/users/${JANE.id}/lifecycle/deactivate`).query(true).reply(500, 'oops');
    oktaMock().post(`/api/v1/users/${JANE.id}/lifecycle/deactivate`).query(true).reply(200, {});
    const result = await execute('deactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'DEPROVISIONED', changed: true } });
    expect(recordedRequests().filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});

describe('the rules', () => {
  it('ambiguous: 5xx, timeouts and cut connections; not ambiguous: refusals and connections never made', () => {
    expect(isAmbiguousFailure({ name: 'OktaApiError', status: 500 })).toBe(true);
    expect(isAmbiguousFailure({ name: 'HttpError', status: 502 })).toBe(true);
    expect(isAmbiguousFailure({ name: 'FetchError', code: 'ECONNRESET' })).toBe(true);
    expect(isAmbiguousFailure({ name: 'OktaApiError', status: 400 })).toBe(false);
    expect(isAmbiguousFailure({ name: 'OktaApiError', status: 429 })).toBe(false);
    expect(isAmbiguousFailure({ name: 'FetchError', code: 'ECONNREFUSED' })).toBe(false);
    expect(isAmbiguousFailure({ name: 'FetchError', code: 'ENOTFOUND' })).toBe(false);
  });

  it("an object is this run's when Okta dates it no earlier than a minute before the request", () => {
    const sentAt = Date.parse('2026-11-22T10:00:00.000Z');
    expect(createdSince('2026-11-22T10:00:01.000Z', sentAt)).toBe(true);
    expect(createdSince('2026-11-22T09:59:30.000Z', sentAt)).toBe(true);
    expect(createdSince('2026-11-22T09:58:00.000Z', sentAt)).toBe(false);
    expect(createdSince(undefined, sentAt)).toBe(false);
    expect(createdSince('not a date', sentAt)).toBe(false);
  });
});
