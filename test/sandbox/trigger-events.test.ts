/**
 * The System Log events triggers start from: each recorded by the API operation that makes the change,
 * with the targets Okta names (User by login, UserGroup by group name, AppInstance by app name and label,
 * AppUser, Device), each eligible for event hooks; and failed sign-ins, which the sandbox simulates.
 */
import { describe, expect, it } from 'vitest';
import { LOCKOUT_THRESHOLD } from '../../src/sandbox/index.js';
import { EVENT_HOOK_ELIGIBLE_TYPES } from '../../src/sandbox/resources/event-hooks/model.js';
import type { LogEventJson } from '../../src/sandbox/system-log.js';
import { useSandbox } from '../helpers/sandbox.js';
import { appIdOf, deviceIdsOf, groupIdOf, userIdOf } from '../helpers/sandbox-data.js';

const context = useSandbox();

const JANE = 'jane.doe@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';

const TRIGGER_EVENT_TYPES = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.delete.initiated',
  'user.account.update_profile',
  'user.account.reset_password',
  'user.account.lock',
  'group.user_membership.add',
  'group.user_membership.remove',
  'application.user_membership.add',
  'application.user_membership.remove',
  'device.lifecycle.deactivate',
  'device.lifecycle.suspend',
  'user.account.privilege.grant',
  'user.account.privilege.revoke',
  'user.mfa.factor.reset_all',
  'user.mfa.factor.deactivate',
  'user.session.start',
];

/** The events of one type recorded since `from` (an index into the log). */
function eventsSince(from: number, type: string): LogEventJson[] {
  return context.sandbox.org.log.events.slice(from).filter((event) => event.eventType === type);
}

/** The one event of `type` the call recorded, after checking it recorded exactly one. */
async function onlyEvent(type: string, call: () => Promise<{ status: number }>): Promise<LogEventJson> {
  const from = context.sandbox.org.log.events.length;
  const answer = await call();
  expect(answer.status).toBeLessThan(300);
  const events = eventsSince(from, type);
  expect(events, type).toHaveLength(1);
  return events[0]!;
}

function targetOfType(event: LogEventJson, type: string) {
  return event.target.find((target) => target.type === type);
}

const janeTarget = () => ({
  id: userIdOf(context.sandbox, JANE),
  type: 'User',
  alternateId: JANE,
  displayName: 'Jane Doe',
});

it('every event type triggers use is one an event hook may subscribe to', () => {
  expect(TRIGGER_EVENT_TYPES.filter((type) => !EVENT_HOOK_ELIGIBLE_TYPES.has(type))).toEqual([]);
});

describe('user lifecycle and account events', () => {
  it('create, activate, profile update, suspend, unsuspend, reset password, deactivate, delete', async () => {
    const api = context.api;
    const login = 'rory.williams@example.com';
    const from = context.sandbox.org.log.events.length;
    const created = await api.post('/api/v1/users?activate=true', {
      profile: { login, email: login, firstName: 'Rory', lastName: 'Williams' },
      credentials: { password: { value: 'Centurion-2000x' } },
    });
    const id = created.body.id;
    const rory = { id, type: 'User', alternateId: login, displayName: 'Rory Williams' };
    expect(eventsSince(from, 'user.lifecycle.create')[0]?.target).toEqual([rory]);
    expect(eventsSince(from, 'user.lifecycle.activate')[0]?.target).toEqual([rory]);

    const steps: Array<[string, () => Promise<{ status: number }>]> = [
      ['user.account.update_profile', () => api.post(`/api/v1/users/${id}`, { profile: { title: 'Nurse' } })],
      ['user.lifecycle.suspend', () => api.post(`/api/v1/users/${id}/lifecycle/suspend`)],
      ['user.lifecycle.unsuspend', () => api.post(`/api/v1/users/${id}/lifecycle/unsuspend`)],
      [
        'user.account.reset_password',
        () => api.post(`/api/v1/users/${id}/lifecycle/reset_password?sendEmail=false`),
      ],
      ['user.lifecycle.deactivate', () => api.post(`/api/v1/users/${id}/lifecycle/deactivate`)],
      ['user.lifecycle.delete.initiated', () => api.delete(`/api/v1/users/${id}`)],
    ];
    for (const [type, call] of steps) {
      const event = await onlyEvent(type, call);
      expect(event.target, type).toEqual([rory]);
      expect(event.outcome, type).toEqual({ result: 'SUCCESS' });
    }
  });

  it('a password change is its own event, not a profile update', async () => {
    const jane = userIdOf(context.sandbox, JANE);
    const from = context.sandbox.org.log.events.length;
    await context.api.post(`/api/v1/users/${jane}`, {
      credentials: { password: { value: 'Another-Passw0rd' } },
    });
    const events = context.sandbox.org.log.events.slice(from);
    expect(events.map((event) => [event.eventType, event.displayMessage])).toEqual([
      ['user.account.update_password', 'User update password for Okta'],
    ]);
  });
});

describe('membership events', () => {
  it('group.user_membership.add and remove name the User and the UserGroup by its name', async () => {
    const jane = userIdOf(context.sandbox, JANE);
    const finance = groupIdOf(context.sandbox, 'Finance');
    const group = { id: finance, type: 'UserGroup', alternateId: 'unknown', displayName: 'Finance' };
    for (const [type, call] of [
      ['group.user_membership.add', () => context.api.put(`/api/v1/groups/${finance}/users/${jane}`)],
      ['group.user_membership.remove', () => context.api.delete(`/api/v1/groups/${finance}/users/${jane}`)],
    ] as const) {
      const event = await onlyEvent(type, call);
      expect(event.target).toEqual([janeTarget(), group]);
    }
  });

  it('application.user_membership.add and remove name the AppUser, the AppInstance and the User', async () => {
    const jane = userIdOf(context.sandbox, JANE);
    const salesforce = appIdOf(context.sandbox, 'Salesforce.com');
    const app = {
      id: salesforce,
      type: 'AppInstance',
      alternateId: 'salesforce',
      displayName: 'Salesforce.com',
    };
    for (const [type, call] of [
      [
        'application.user_membership.add',
        () => context.api.post(`/api/v1/apps/${salesforce}/users`, { id: jane }),
      ],
      [
        'application.user_membership.remove',
        () => context.api.delete(`/api/v1/apps/${salesforce}/users/${jane}`),
      ],
    ] as const) {
      const event = await onlyEvent(type, call);
      expect(targetOfType(event, 'AppInstance')).toEqual(app);
      expect(targetOfType(event, 'User')).toEqual(janeTarget());
      expect(targetOfType(event, 'AppUser')).toMatchObject({ alternateId: JANE });
    }
  });
});

describe('device, privilege and factor events', () => {
  it('device.lifecycle.suspend and deactivate name the Device', async () => {
    const [laptop] = deviceIdsOf(context.sandbox, MEI);
    for (const [type, path] of [
      ['device.lifecycle.suspend', 'suspend'],
      ['device.lifecycle.deactivate', 'deactivate'],
    ] as const) {
      const event = await onlyEvent(type, () =>
        context.api.post(`/api/v1/devices/${laptop}/lifecycle/${path}`),
      );
      expect(event.target).toEqual([
        expect.objectContaining({ id: laptop, type: 'Device', displayName: "Mei's ThinkPad" }),
      ]);
    }
  });

  it('user.account.privilege.grant and revoke name the User', async () => {
    const lukas = userIdOf(context.sandbox, LUKAS);
    const granted = await onlyEvent('user.account.privilege.grant', () =>
      context.api.post(`/api/v1/users/${lukas}/roles`, { type: 'HELP_DESK_ADMIN' }),
    );
    expect(targetOfType(granted, 'User')).toMatchObject({ id: lukas, alternateId: LUKAS });
    const [role] = (await context.api.get(`/api/v1/users/${lukas}/roles`)).body;
    const revoked = await onlyEvent('user.account.privilege.revoke', () =>
      context.api.delete(`/api/v1/users/${lukas}/roles/${role.id}`),
    );
    expect(targetOfType(revoked, 'User')).toMatchObject({ id: lukas, alternateId: LUKAS });
  });

  it('user.mfa.factor.deactivate for one factor, user.mfa.factor.reset_all for all', async () => {
    const jane = userIdOf(context.sandbox, JANE);
    const factors = (await context.api.get(`/api/v1/users/${jane}/factors`)).body;
    const totp = factors.find(
      (factor: { factorType: string }) => factor.factorType === 'token:software:totp',
    );
    const one = await onlyEvent('user.mfa.factor.deactivate', () =>
      context.api.delete(`/api/v1/users/${jane}/factors/${totp.id}`),
    );
    expect(targetOfType(one, 'User')).toEqual(janeTarget());
    const all = await onlyEvent('user.mfa.factor.reset_all', () =>
      context.api.post(`/api/v1/users/${jane}/lifecycle/reset_factors`),
    );
    expect(all.target).toEqual([janeTarget()]);
  });
});

describe('simulateFailedSignIn', () => {
  it('logs user.session.start FAILURE with the user as actor, and locks out at the threshold', async () => {
    const { sandbox } = context;
    expect(LOCKOUT_THRESHOLD).toBe(3);
    const from = sandbox.org.log.events.length;
    expect(sandbox.simulateFailedSignIn(JANE, { times: 2 })).toMatchObject({
      status: 'ACTIVE',
      consecutiveFailures: 2,
      lockedOut: false,
    });
    const failures = eventsSince(from, 'user.session.start');
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      expect(failure.outcome).toEqual({ result: 'FAILURE', reason: 'INVALID_CREDENTIALS' });
      expect(failure.actor).toEqual(janeTarget());
    }
    expect(eventsSince(from, 'user.account.lock')).toEqual([]);

    expect(sandbox.simulateFailedSignIn(userIdOf(sandbox, JANE))).toMatchObject({
      status: 'LOCKED_OUT',
      consecutiveFailures: 3,
      lockedOut: true,
    });
    const [lock, ...more] = eventsSince(from, 'user.account.lock');
    expect(more).toEqual([]);
    expect(lock!.actor).toEqual(janeTarget());
    expect((await context.api.get(`/api/v1/users/${JANE}`)).body.status).toBe('LOCKED_OUT');

    // Locked out, a sign-in fails for that reason, and locks nothing again.
    expect(sandbox.simulateFailedSignIn(JANE).lockedOut).toBe(false);
    expect(eventsSince(from, 'user.session.start').at(-1)!.outcome.reason).toBe('LOCKED_OUT');
    expect(eventsSince(from, 'user.account.lock')).toHaveLength(1);
  });

  it('starts counting again once the user is unlocked', async () => {
    const { sandbox } = context;
    sandbox.simulateFailedSignIn(JANE, { times: 3 });
    expect(
      (await context.api.post(`/api/v1/users/${encodeURIComponent(JANE)}/lifecycle/unlock`)).status,
    ).toBe(200);
    expect(sandbox.simulateFailedSignIn(JANE, { times: 2 })).toMatchObject({
      status: 'ACTIVE',
      consecutiveFailures: 2,
    });
  });

  it('never locks out a user who is not ACTIVE', () => {
    expect(context.sandbox.simulateFailedSignIn('diego.garcia@example.com', { times: 5 })).toMatchObject({
      status: 'SUSPENDED',
      lockedOut: false,
    });
  });

  it('the failures are listed by the System Log API as Okta describes them', async () => {
    context.sandbox.simulateFailedSignIn(JANE, { times: 3 });
    const filter = encodeURIComponent('outcome.result eq "FAILURE"');
    const listed = await context.api.get(`/api/v1/logs?filter=${filter}`);
    expect(listed.body.map((event: LogEventJson) => event.eventType)).toEqual([
      'user.session.start',
      'user.session.start',
      'user.session.start',
      'user.account.lock',
    ]);
  });

  it('refuses a user the org does not have', () => {
    expect(() => context.sandbox.simulateFailedSignIn('nobody@example.com')).toThrow(
      /no user nobody@example.com/,
    );
  });
});
