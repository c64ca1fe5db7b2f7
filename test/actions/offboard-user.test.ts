/**
 * offboard-user with nock: the order of its parts, that a failed part (its reads included) stops none of
 * the others, the advice for a user Okta cannot suspend, and a run cut short. The drill against the
 * sandbox (test/sandbox/offboard-drill.test.ts) goes through every part, fault, mode and status.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import { connection, oktaError, oktaMock } from '../helpers/okta-mock.js';

const JANE = fakeUser();
const id = JANE.id;
const ENGINEERING = fakeGroup();
const NOT_FOUND = oktaError('E0000007', 'Not found: Resource not found: devices (Device)');
const FORBIDDEN = oktaError('E0000006', 'You do not have permission to perform the requested action');

/** Okta answering every read of a user with one Okta group, no app, one factor and no device. */
function orgWithJane(status = 'ACTIVE') {
  // Read again after a lifecycle call whose answer was lost (a 5xx), to see whether it took.
  oktaMock()
    .get(`/api/v1/users/${id}`)
    .times(3)
    .reply(200, { ...JANE, status });
  return {
    sessions: () => oktaMock().delete(`/api/v1/users/${id}/sessions`).query({ oauthTokens: 'true' }),
    groups: () => oktaMock().get(`/api/v1/users/${id}/groups`),
    leaveGroup: () => oktaMock().delete(`/api/v1/groups/${ENGINEERING.id}/users/${id}`),
    apps: () => oktaMock().get('/api/v1/apps').query(true),
    factors: () => oktaMock().get(`/api/v1/users/${id}/factors`),
    resetFactors: () => oktaMock().post(`/api/v1/users/${id}/lifecycle/reset_factors`),
    devices: () => oktaMock().get(`/api/v1/users/${id}/devices`),
    suspend: () => oktaMock().post(`/api/v1/users/${id}/lifecycle/suspend`),
    deactivate: () =>
      oktaMock().post(`/api/v1/users/${id}/lifecycle/deactivate`).query({ sendEmail: 'false' }),
  };
}

const FACTOR = { id: 'opf1', factorType: 'push', provider: 'OKTA', status: 'ACTIVE' };
const outcomes = (steps: Array<{ step: string; status: string }> | undefined) =>
  (steps ?? []).map((s) => `${s.step}: ${s.status}`);

describe('offboard-user', () => {
  it('cuts access first, then runs every part, most urgent first, and reports each', async () => {
    const org = orgWithJane();
    org.suspend().reply(200);
    org.sessions().reply(204);
    org.factors().reply(200, [FACTOR]);
    org.resetFactors().reply(200);
    org.devices().reply(200, []);
    org.apps().reply(200, []);
    org
      .groups()
      .reply(200, [
        ENGINEERING,
        fakeGroup({ id: '00gEveryone0000000000', type: 'BUILT_IN', profile: { name: 'Everyone' } }),
      ]);
    org.leaveGroup().reply(204);
    const result = await execute('offboard-user', { connection, input: { user: id } });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.output).toMatchObject({
      userId: id,
      previousStatus: 'ACTIVE',
      status: 'SUSPENDED',
      changed: true,
    });
    expect(outcomes(result.output.steps)).toEqual([
      'suspend: done',
      'end sessions and revoke tokens: done',
      'reset factors: done',
      'deactivate devices: skipped',
      'remove app assignments: skipped',
      'remove from group Engineering: done',
    ]);
    expect(result.output.steps[3]).toMatchObject({ reason: 'no active devices', part: 'deactivate devices' });
    expect(result.output.steps[5]).toMatchObject({ part: 'remove from groups' });
  });

  it('lists a part turned off in the input as skipped, saying so', async () => {
    const org = orgWithJane();
    org.suspend().reply(200);
    const result = await execute('offboard-user', {
      connection,
      input: {
        user: id,
        clearSessions: false,
        resetFactors: false,
        deactivateDevices: false,
        unassignApps: false,
        removeFromGroups: false,
      },
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.output.steps.slice(1)).toEqual(
      [
        'end sessions and revoke tokens',
        'reset factors',
        'deactivate devices',
        'remove app assignments',
        'remove from groups',
      ].map((step) => ({
        step,
        status: 'skipped',
        ok: true,
        changed: false,
        reason: 'turned off in the input',
      })),
    );
  });

  it('deactivates a user although the Devices API is missing (404) and a read of apps is refused (403)', async () => {
    // The case: before, the first failed read ended the run as NOT_FOUND and the user stayed ACTIVE.
    const org = orgWithJane();
    org.suspend().reply(200);
    org.sessions().reply(204);
    org.factors().reply(200, [FACTOR]);
    org.resetFactors().reply(200);
    org.devices().reply(404, NOT_FOUND);
    org.apps().reply(403, FORBIDDEN);
    org.groups().reply(200, [ENGINEERING]);
    org.leaveGroup().reply(204);
    org.deactivate().reply(200);
    const result = await execute('offboard-user', { connection, input: { user: id, mode: 'deactivate' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(outcomes(result.error.steps)).toEqual([
      'suspend: done',
      'end sessions and revoke tokens: done',
      'reset factors: done',
      'deactivate devices: failed',
      'remove app assignments: failed',
      'remove from group Engineering: done',
      'deactivate: done',
    ]);
    expect(result.error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    expect(result.error.steps?.[3]?.error?.message).toContain('Devices API');
    expect(result.error.steps?.[4]?.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(result.error.message).toContain('Offboarding jane.doe@example.com is incomplete: 2 steps failed');
    expect(result.error.message).toContain(
      'Done in Okta: suspend, end sessions and revoke tokens, reset factors, remove from group Engineering, deactivate. Failed: deactivate devices, remove app assignments.',
    );
    expect(result.error.message).not.toContain('before the failure');
  });

  it('is retryable only when every failed step may succeed on a second run', async () => {
    const turnedOff = {
      resetFactors: false,
      deactivateDevices: false,
      unassignApps: false,
      removeFromGroups: false,
    };
    const org = orgWithJane();
    // A 5xx may hide a suspension that took: the user is read again (still ACTIVE), and it is sent once more.
    org.suspend().times(2).reply(500, oktaError('E0000009', 'Internal Server Error'));
    org.sessions().reply(204);
    const first = await execute('offboard-user', { connection, input: { user: id, ...turnedOff } });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.error).toMatchObject({ code: 'UPSTREAM', retryable: true });
    expect(outcomes(first.error.steps).slice(0, 3)).toEqual([
      'suspend: failed',
      'suspend (sent again: the first try had not done it): failed',
      'end sessions and revoke tokens: done',
    ]);

    const again = orgWithJane();
    again.suspend().times(2).reply(500, oktaError('E0000009', 'Internal Server Error'));
    again.sessions().reply(403, FORBIDDEN);
    const second = await execute('offboard-user', { connection, input: { user: id, ...turnedOff } });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.retryable).toBe(false);
    expect(second.error.steps?.[0]).toMatchObject({
      step: 'suspend',
      error: { code: 'UPSTREAM', retryable: true },
    });
    expect(second.error.steps?.[2]).toMatchObject({
      step: 'end sessions and revoke tokens',
      error: { code: 'FORBIDDEN', retryable: false },
    });
  });

  it('settles a suspension whose answer was lost by reading the user again', async () => {
    oktaMock().get(`/api/v1/users/${id}`).reply(200, JANE);
    oktaMock()
      .post(`/api/v1/users/${id}/lifecycle/suspend`)
      .reply(503, oktaError('E0000009', 'Internal Server Error'));
    oktaMock()
      .get(`/api/v1/users/${id}`)
      .reply(200, { ...JANE, status: 'SUSPENDED' });
    const result = await execute('offboard-user', {
      connection,
      input: {
        user: id,
        clearSessions: false,
        resetFactors: false,
        deactivateDevices: false,
        unassignApps: false,
        removeFromGroups: false,
      },
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.output.steps[0]).toMatchObject({ step: 'suspend', status: 'done', changed: true });
    expect(result.output.status).toBe('SUSPENDED');
  });

  it('deactivates at once in deactivate mode when the suspension fails', async () => {
    const org = orgWithJane();
    org.suspend().reply(403, FORBIDDEN);
    org.deactivate().reply(200);
    const result = await execute('offboard-user', {
      connection,
      input: {
        user: id,
        mode: 'deactivate',
        clearSessions: false,
        resetFactors: false,
        deactivateDevices: false,
        unassignApps: false,
        removeFromGroups: false,
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(outcomes(result.error.steps).slice(0, 2)).toEqual(['suspend: failed', 'deactivate: done']);
    expect(outcomes(result.error.steps).filter((s) => s.startsWith('deactivate:'))).toHaveLength(1);
  });

  for (const status of ['PASSWORD_EXPIRED', 'LOCKED_OUT', 'PROVISIONED', 'RECOVERY']) {
    it(`advises mode deactivate, not a way back in, for a ${status} user in suspend mode`, async () => {
      const org = orgWithJane(status);
      org.sessions().reply(204);
      const result = await execute('offboard-user', {
        connection,
        input: {
          user: id,
          resetFactors: false,
          deactivateDevices: false,
          unassignApps: false,
          removeFromGroups: false,
        },
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const suspend = result.error.steps?.[0];
      expect(suspend).toMatchObject({ step: 'suspend', status: 'failed', error: { code: 'CONFLICT' } });
      expect(suspend?.error?.message).toContain('run offboard-user again with mode: deactivate');
      // The advice of suspend-user would restore access: never here.
      expect(result.error.message).not.toMatch(/set-password|unlock-user|reactivate-user|activation link;/);
      expect(result.error.steps?.[1]).toMatchObject({
        step: 'end sessions and revoke tokens',
        status: 'done',
      });
    });

    it(`deactivates a ${status} user first in deactivate mode, and does not reset their factors after`, async () => {
      const org = orgWithJane(status);
      org.deactivate().reply(200);
      org.sessions().reply(204);
      const result = await execute('offboard-user', {
        connection,
        input: {
          user: id,
          mode: 'deactivate',
          deactivateDevices: false,
          unassignApps: false,
          removeFromGroups: false,
        },
      });
      if (!result.ok) throw new Error(result.error.message);
      expect(outcomes(result.output.steps).slice(0, 3)).toEqual([
        'deactivate: done',
        'end sessions and revoke tokens: done',
        'reset factors: skipped',
      ]);
      expect(result.output.status).toBe('DEPROVISIONED');
    });
  }

  it('marks the parts after a cancel as never tried, with the reason, and fails CANCELLED', async () => {
    const controller = new AbortController();
    const org = orgWithJane();
    org.suspend().reply(200);
    org.sessions().reply(() => {
      controller.abort();
      return [204];
    });
    const result = await execute('offboard-user', {
      connection,
      input: { user: id },
      signal: controller.signal,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CANCELLED');
    const steps = result.error.steps ?? [];
    expect(steps[0]).toMatchObject({ step: 'suspend', status: 'done' });
    expect(steps.slice(2).map((s) => [s.step, s.status])).toEqual([
      ['reset factors', 'not-attempted'],
      ['deactivate devices', 'not-attempted'],
      ['remove app assignments', 'not-attempted'],
      ['remove from groups', 'not-attempted'],
    ]);
    expect(steps[2]?.reason).toBe('the run was cancelled first');
    expect(result.error.message).toContain(
      'Never tried: reset factors, deactivate devices, remove app assignments, remove from groups.',
    );
  });
});
