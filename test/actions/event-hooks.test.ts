import { describe, expect, it } from 'vitest';
import { type ActionTypes, execute } from '../../src/index.js';
import { fakeEventHook } from '../helpers/fixtures-security.js';
import { connection, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';

const HOOK = fakeEventHook();
const INACTIVE = fakeEventHook({ id: 'who1inactiveHook0g41', status: 'INACTIVE', name: 'Old feed' });
const UNVERIFIED = fakeEventHook({
  id: 'who1unverifiedHk0g41',
  verificationStatus: 'UNVERIFIED',
  name: 'New feed',
});
const SECRET = 'Bearer s3cret-Header-Value-For-Tests-0001';

const sent = () => recordedRequests().map((r) => `${r.method} ${r.path}`);
/** `count` active hooks, for the limit of 25. */
const activeHooks = (count: number) =>
  Array.from({ length: count }, (_, i) => fakeEventHook({ id: `who1active${String(i).padStart(10, '0')}` }));

describe('list-event-hooks', () => {
  it('lists the hooks, taking them in parts with a cursor', async () => {
    oktaMock().get('/api/v1/eventHooks').times(2).reply(200, [HOOK, INACTIVE, UNVERIFIED]);
    const first = await execute('list-event-hooks', { connection, input: { maxItems: 2 } });
    expect(first).toMatchObject({
      ok: true,
      output: { count: 2, eventHooks: [{ id: HOOK.id }, { id: INACTIVE.id }] },
    });
    if (!first.ok || !first.output.nextCursor) throw new Error('expected a cursor');
    const rest = await execute('list-event-hooks', {
      connection,
      input: { cursor: first.output.nextCursor },
    });
    expect(rest).toMatchObject({
      ok: true,
      output: { count: 1, nextCursor: null, eventHooks: [{ id: UNVERIFIED.id }] },
    });
  });

  it('maps 403', async () => {
    oktaMock()
      .get('/api/v1/eventHooks')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-event-hooks', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('create-event-hook', () => {
  const input: ActionTypes['create-event-hook']['input'] = {
    name: 'SIEM user lifecycle feed',
    uri: 'https://siem.example.com/okta/events',
    eventTypes: ['user.lifecycle.create', 'user.lifecycle.deactivate'],
    authHeaderValue: SECRET,
    headers: [{ key: 'X-Source', value: 'okta' }],
  };

  it('refuses a plain http endpoint for a real org (only a loopback org, the sandbox, may call one), before any request', async () => {
    for (const uri of ['http://127.0.0.1:8080/okta', 'http://localhost/okta']) {
      const result = await execute('create-event-hook', { connection, input: { ...input, uri } });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', details: [{ path: 'uri' }] },
      });
    }
    const remote = await execute('create-event-hook', {
      connection,
      input: { ...input, uri: 'http://siem.example.com/okta' },
    });
    expect(remote).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: [{ path: 'uri' }] } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('creates an active, unverified hook with the secret header, and never outputs the secret', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [INACTIVE]);
    oktaMock()
      .post('/api/v1/eventHooks')
      .reply(200, { ...HOOK, verificationStatus: 'UNVERIFIED' });
    const result = await execute('create-event-hook', { connection, input });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: HOOK.id,
        status: 'ACTIVE',
        verificationStatus: 'UNVERIFIED',
        uri: 'https://siem.example.com/okta/events',
        eventTypes: ['user.lifecycle.create', 'user.lifecycle.deactivate'],
        changed: true,
      },
    });
    expect(JSON.stringify(result)).not.toContain('s3cret');
    expect(JSON.parse(recordedRequests()[1]?.body ?? '{}')).toEqual({
      name: 'SIEM user lifecycle feed',
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.deactivate'] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: 'https://siem.example.com/okta/events',
          headers: [{ key: 'X-Source', value: 'okta' }],
          authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET },
        },
      },
    });
  });

  it('refuses a plain http endpoint before any request', async () => {
    const result = await execute('create-event-hook', {
      connection,
      input: { ...input, uri: 'http://siem.example.com/okta/events' } as never,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: [{ path: 'uri' }] } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a 26th active hook as CONFLICT without sending it', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, activeHooks(25));
    const result = await execute('create-event-hook', { connection, input });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('25');
    expect(sent()).toEqual(['GET /api/v1/eventHooks']);
  });

  it('reports Okta refusing an event type that is not eligible, without the secret in the error', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, []);
    oktaMock()
      .post('/api/v1/eventHooks')
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: eventHook', [
          'events.items: zone.update is not an event type eligible for event hooks',
        ]),
      );
    const result = await execute('create-event-hook', {
      connection,
      input: { ...input, eventTypes: ['zone.update'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });
});

describe('verify-event-hook', () => {
  it('verifies an unverified hook', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [UNVERIFIED]);
    oktaMock()
      .post(`/api/v1/eventHooks/${UNVERIFIED.id}/lifecycle/verify`)
      .reply(200, { ...UNVERIFIED, verificationStatus: 'VERIFIED' });
    const result = await execute('verify-event-hook', { connection, input: { eventHookId: UNVERIFIED.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { verificationStatus: 'VERIFIED', verified: true, failureReason: null, changed: true },
    });
  });

  it("reports why not when the endpoint fails Okta's challenge", async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [UNVERIFIED]);
    oktaMock()
      .post(`/api/v1/eventHooks/${UNVERIFIED.id}/lifecycle/verify`)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: Verification failed', [
          'Event hook verification failed: the endpoint answered HTTP 404',
        ]),
      );
    const result = await execute('verify-event-hook', { connection, input: { eventHookId: UNVERIFIED.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        verificationStatus: 'UNVERIFIED',
        verified: false,
        failureReason: 'Event hook verification failed: the endpoint answered HTTP 404',
        changed: false,
      },
    });
  });

  it('leaves a verified hook as is without calling its endpoint', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    const result = await execute('verify-event-hook', { connection, input: { eventHookId: HOOK.id } });
    expect(result).toMatchObject({ ok: true, output: { verified: true, changed: false } });
    expect(sent()).toEqual(['GET /api/v1/eventHooks']);
  });

  it('says NOT_FOUND for an unknown hook', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    const result = await execute('verify-event-hook', { connection, input: { eventHookId: UNVERIFIED.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('maps a 403 on the verify as an error, not as a failed verification', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [UNVERIFIED]);
    oktaMock()
      .post(`/api/v1/eventHooks/${UNVERIFIED.id}/lifecycle/verify`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('verify-event-hook', { connection, input: { eventHookId: UNVERIFIED.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('activate-event-hook', () => {
  it('activates an inactive hook', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK, INACTIVE]);
    oktaMock()
      .post(`/api/v1/eventHooks/${INACTIVE.id}/lifecycle/activate`)
      .reply(200, { ...INACTIVE, status: 'ACTIVE' });
    const result = await execute('activate-event-hook', { connection, input: { eventHookId: INACTIVE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: INACTIVE.id, status: 'ACTIVE', previousStatus: 'INACTIVE', changed: true },
    });
  });

  it('leaves an active hook as is', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    const result = await execute('activate-event-hook', { connection, input: { eventHookId: HOOK.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'ACTIVE', changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it("refuses to pass Okta's 25 active hooks", async () => {
    oktaMock()
      .get('/api/v1/eventHooks')
      .reply(200, [...activeHooks(25), INACTIVE]);
    const result = await execute('activate-event-hook', { connection, input: { eventHookId: INACTIVE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses a malformed id before any request', async () => {
    const result = await execute('activate-event-hook', { connection, input: { eventHookId: 'SIEM feed' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('deactivate-event-hook', () => {
  it('deactivates an active hook', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    oktaMock()
      .post(`/api/v1/eventHooks/${HOOK.id}/lifecycle/deactivate`)
      .reply(200, { ...HOOK, status: 'INACTIVE' });
    const result = await execute('deactivate-event-hook', { connection, input: { eventHookId: HOOK.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'INACTIVE', previousStatus: 'ACTIVE', verificationStatus: 'VERIFIED', changed: true },
    });
  });

  it('leaves an inactive hook as is', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [INACTIVE]);
    const result = await execute('deactivate-event-hook', {
      connection,
      input: { eventHookId: INACTIVE.id },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps a 404 from Okta on the deactivation', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    oktaMock()
      .post(`/api/v1/eventHooks/${HOOK.id}/lifecycle/deactivate`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${HOOK.id} (EventHook)`));
    const result = await execute('deactivate-event-hook', { connection, input: { eventHookId: HOOK.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('delete-event-hook', () => {
  it('deletes an inactive hook', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [INACTIVE]);
    oktaMock().delete(`/api/v1/eventHooks/${INACTIVE.id}`).reply(204);
    const result = await execute('delete-event-hook', { connection, input: { eventHookId: INACTIVE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { name: 'Old feed', deactivatedFirst: false, deleted: true, changed: true },
    });
  });

  it('refuses an active hook with deactivateFirst off, naming both ways out', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    const result = await execute('delete-event-hook', {
      connection,
      input: { eventHookId: HOOK.id, deactivateFirst: false },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('deactivateFirst');
    expect(recordedRequests()).toHaveLength(1);
  });

  it('deactivates first by default, then deletes', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    oktaMock()
      .post(`/api/v1/eventHooks/${HOOK.id}/lifecycle/deactivate`)
      .reply(200, { ...HOOK, status: 'INACTIVE' });
    oktaMock().delete(`/api/v1/eventHooks/${HOOK.id}`).reply(204);
    const result = await execute('delete-event-hook', {
      connection,
      input: { eventHookId: HOOK.id },
    });
    expect(result).toMatchObject({ ok: true, output: { deactivatedFirst: true, changed: true } });
    expect(sent()).toEqual([
      'GET /api/v1/eventHooks',
      `POST /api/v1/eventHooks/${HOOK.id}/lifecycle/deactivate`,
      `DELETE /api/v1/eventHooks/${HOOK.id}`,
    ]);
  });

  it('says what was already done when the delete fails after the deactivation', async () => {
    oktaMock().get('/api/v1/eventHooks').reply(200, [HOOK]);
    oktaMock()
      .post(`/api/v1/eventHooks/${HOOK.id}/lifecycle/deactivate`)
      .reply(200, { ...HOOK, status: 'INACTIVE' });
    oktaMock()
      .delete(`/api/v1/eventHooks/${HOOK.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('delete-event-hook', {
      connection,
      input: { eventHookId: HOOK.id, deactivateFirst: true },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Already done in Okta before the failure: deactivate');
  });

  it('succeeds with changed false for a hook already gone when missingOk, NOT_FOUND otherwise', async () => {
    oktaMock().get('/api/v1/eventHooks').times(2).reply(200, []);
    const tolerated = await execute('delete-event-hook', {
      connection,
      input: { eventHookId: HOOK.id, missingOk: true },
    });
    expect(tolerated).toMatchObject({ ok: true, output: { name: null, changed: false } });
    const missing = await execute('delete-event-hook', { connection, input: { eventHookId: HOOK.id } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
