import { ActionError } from '../../src/errors/action-error.js';
import { oktaPath, quoteLiteral } from '../../src/okta/paths.js';
import { userStatusConflict } from '../../src/okta/user-lifecycle.js';
import { getUser, type OktaUserJson } from '../../src/okta/users.js';
import { defineAction, type HandlerContext } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

/** The largest number of groups, apps or devices one run goes through per part. */
const MAX_PER_PART = 10_000;

/**
 * Every part is attempted even when an earlier one fails: in an incident, ending sessions must not wait
 * for a group that refuses. Suspension comes first (it blocks sign-in at once); deactivation comes last,
 * because a deactivated user's factors can no longer be reset.
 */
export default defineAction<Input, Output>(async (context) => {
  const { okta, input } = context;
  const user = await getUser(okta, input.user);
  const userPath = (template: string) => oktaPath(template, { id: user.id });

  if ((input.mode ?? 'suspend') === 'suspend') await suspend(context, user);
  if (input.clearSessions ?? true) {
    await context.attempt(
      'end sessions and revoke tokens',
      { method: 'DELETE', path: `${userPath('/api/v1/users/{id}/sessions')}?oauthTokens=true` },
      () => okta.sdk.userApi.revokeUserSessions({ userId: user.id, oauthTokens: true }),
    );
  }
  if (input.removeFromGroups ?? true) await removeFromGroups(context, user);
  if (input.unassignApps ?? true) await unassignApps(context, user);
  if (input.resetFactors ?? true) await resetFactors(context, user);
  if (input.deactivateDevices ?? true) await deactivateDevices(context, user);
  if (input.mode === 'deactivate') {
    if (user.status === 'DEPROVISIONED') context.skip('deactivate');
    else {
      await context.attempt(
        'deactivate',
        { method: 'POST', path: `${userPath('/api/v1/users/{id}/lifecycle/deactivate')}?sendEmail=false` },
        () => okta.sdk.userApi.deactivateUser({ userId: user.id, sendEmail: false }),
      );
    }
  }

  const steps = [...context.steps()];
  const failed = steps.filter((step) => !step.ok);
  if (failed.length > 0) {
    const first = failed[0]!;
    throw new ActionError(
      first.error?.code ?? 'UPSTREAM',
      `Offboarding ${user.profile.login} finished with ${failed.length} of ${steps.length} parts failed: ${failed.map((s) => `${s.step} (${s.error?.message ?? 'failed'})`).join('; ')}.`,
      {
        // Worth running again only if every part that failed may succeed then (the others are skipped).
        retryable: failed.every((s) => s.error?.retryable === true),
      },
    );
  }
  return {
    userId: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    ok: true,
    changed: steps.some((step) => step.changed),
    steps,
  };
});

type Context = HandlerContext<Input>;

async function suspend({ okta, attempt, fail, skip }: Context, user: OktaUserJson): Promise<void> {
  if (user.status === 'SUSPENDED' || user.status === 'DEPROVISIONED') return skip('suspend');
  // Okta suspends only ACTIVE users; the other parts still run, and the conflict is reported.
  if (user.status !== 'ACTIVE')
    return fail('suspend', userStatusConflict(user, 'offboard-user (suspend)', ['ACTIVE']));
  const path = oktaPath('/api/v1/users/{id}/lifecycle/suspend', { id: user.id });
  await attempt('suspend', { method: 'POST', path }, () => okta.sdk.userApi.suspendUser({ userId: user.id }));
}

async function removeFromGroups({ okta, attempt, skip }: Context, user: OktaUserJson): Promise<void> {
  const groups = await okta.paginate<{ id: string; type: string; profile: { name: string } }>({
    path: oktaPath('/api/v1/users/{id}/groups', { id: user.id }),
    maxItems: MAX_PER_PART,
  });
  const oktaGroups = groups.items.filter((group) => group.type === 'OKTA_GROUP');
  if (oktaGroups.length === 0) return skip('remove from groups');
  for (const group of oktaGroups) {
    const path = oktaPath('/api/v1/groups/{groupId}/users/{userId}', { groupId: group.id, userId: user.id });
    await attempt(`remove from group ${group.profile.name}`, { method: 'DELETE', path }, () =>
      okta.sdk.groupApi.unassignUserFromGroup({ groupId: group.id, userId: user.id }),
    );
  }
}

async function unassignApps({ okta, attempt, skip }: Context, user: OktaUserJson): Promise<void> {
  // The documented way to find every app assigned to a user, hidden ones included.
  const apps = await okta.paginate<{ id: string; label: string }>({
    path: '/api/v1/apps',
    query: { filter: `user.id eq ${quoteLiteral(user.id)}` },
    pageSize: 200,
    maxItems: MAX_PER_PART,
  });
  let direct = 0;
  for (const app of apps.items) {
    const path = oktaPath('/api/v1/apps/{appId}/users/{userId}', { appId: app.id, userId: user.id });
    const assignment = await okta.getJson<{ scope?: string }>(path);
    // An assignment through a group cannot be removed for one user; it goes with the group.
    if (assignment.scope === 'GROUP') continue;
    direct += 1;
    await attempt(`remove app ${app.label}`, { method: 'DELETE', path: `${path}?sendEmail=false` }, () =>
      okta.sdk.applicationApi.unassignUserFromApplication({
        appId: app.id,
        userId: user.id,
        sendEmail: false,
      }),
    );
  }
  if (direct === 0) skip('remove app assignments');
}

async function resetFactors({ okta, attempt, skip }: Context, user: OktaUserJson): Promise<void> {
  const factors = await okta.getJson<unknown[]>(oktaPath('/api/v1/users/{id}/factors', { id: user.id }));
  if (factors.length === 0) return skip('reset factors');
  await attempt(
    'reset factors',
    { method: 'POST', path: oktaPath('/api/v1/users/{id}/lifecycle/reset_factors', { id: user.id }) },
    () => okta.sdk.userApi.resetFactors({ userId: user.id }),
  );
}

async function deactivateDevices({ okta, attempt, skip }: Context, user: OktaUserJson): Promise<void> {
  const links = await okta.getJson<
    Array<{ device: { id: string; status: string; profile?: { displayName?: string } } }>
  >(oktaPath('/api/v1/users/{id}/devices', { id: user.id }));
  const active = links.map((link) => link.device).filter((device) => device.status !== 'DEACTIVATED');
  if (active.length === 0) return skip('deactivate devices');
  for (const device of active) {
    const path = `${oktaPath('/api/v1/devices/{deviceId}', { deviceId: device.id })}/lifecycle/deactivate`;
    await attempt(
      `deactivate device ${device.profile?.displayName ?? device.id}`,
      { method: 'POST', path },
      () => okta.sdk.deviceApi.deactivateDevice({ deviceId: device.id }),
    );
  }
}
