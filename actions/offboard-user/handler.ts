import { applyOnce } from '../../src/domain/create-once.js';
import { getUser, type OktaUserJson } from '../../src/domain/users.js';
import { ActionError, type StepRecord } from '../../src/errors/action-error.js';
import { defineAction, type HandlerContext } from '../../src/handler/define-action.js';
import { oktaPath, quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

/** The largest number of groups, apps or devices one run goes through per part. */
const MAX_PER_PART = 10_000;

/**
 * Built for incident response, where the run may be cut short at any point (a timeout, a host that
 * cancels, an org that refuses one part): access is cut **first**, then every other part runs whatever
 * happened to the ones before it, and the result lists every part's outcome.
 *
 * - Cutting access: an ACTIVE user is suspended at once, in both modes (it blocks sign-in immediately and
 *   can be undone). In deactivate mode, a user Okta cannot suspend (PROVISIONED, RECOVERY,
 *   PASSWORD_EXPIRED, LOCKED_OUT), or whose suspension failed, is deactivated at once instead: nothing
 *   else would stop them signing in. Otherwise deactivation comes last, so that the user's factors can
 *   still be reset (Okta refuses changes to a deactivated user's factors).
 * - Then, most urgent first: sessions and tokens, factors, devices, direct app assignments, and groups
 *   (usually the longest part, and the one whose loss costs the most if the user comes back).
 * - Each part reads what it needs inside the part: a refused or failed read (an org without the Devices
 *   API answers 404 there) fails that part only.
 */
export default defineAction<Input, Output>(async (context) => {
  const { input } = context;
  const user = await getUser(context.okta, input.user);
  const mode = input.mode ?? 'suspend';
  const run: Run = { context, user, status: user.status, deactivationTried: false };

  await cutAccess(run, mode);
  const parts: Array<[name: string, enabled: boolean | undefined, part: (run: Run) => Promise<void>]> = [
    [PART.sessions, input.clearSessions, endSessions],
    [PART.factors, input.resetFactors, resetFactors],
    [PART.devices, input.deactivateDevices, deactivateDevices],
    [PART.apps, input.unassignApps, unassignApps],
    [PART.groups, input.removeFromGroups, removeFromGroups],
  ];
  for (const [name, enabled, part] of parts) {
    if (enabled === false) context.skip(name, 'turned off in the input');
    else await context.part(name, () => part(run));
  }
  if (mode === 'deactivate' && run.status !== 'DEPROVISIONED' && !run.deactivationTried)
    await context.part(PART.deactivate, () => deactivate(run));

  const steps = [...context.steps()];
  const failed = steps.filter((step) => step.status === 'failed');
  const notTried = steps.filter((step) => step.status === 'not-attempted');
  if (failed.length > 0 || notTried.length > 0) throw incomplete(user, failed, notTried);
  return {
    userId: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    status: run.status,
    ok: true,
    changed: steps.some((step) => step.changed),
    steps,
  };
});

const PART = {
  suspend: 'suspend',
  deactivate: 'deactivate',
  sessions: 'end sessions and revoke tokens',
  factors: 'reset factors',
  devices: 'deactivate devices',
  apps: 'remove app assignments',
  groups: 'remove from groups',
} as const;

interface Run {
  context: HandlerContext<Input>;
  user: OktaUserJson;
  /** The user's status as far as this run knows (after its own suspension or deactivation). */
  status: string;
  /** Deactivation was already attempted (first, to cut access); it is not sent twice. */
  deactivationTried: boolean;
}

/**
 * Why a user Okta cannot suspend can still get in, for the advice to deactivate instead. Okta suspends
 * only ACTIVE users (Okta's User Lifecycle reference, "Suspend a user").
 */
const STILL_GETS_IN: Readonly<Record<string, string>> = {
  PROVISIONED: 'can still finish activating the account with the activation link',
  RECOVERY: 'can still set a new password with the recovery link',
  PASSWORD_EXPIRED: 'can still sign in by choosing a new password',
  LOCKED_OUT: 'is locked out only until the lockout ends or someone unlocks the account',
};

async function cutAccess(run: Run, mode: 'suspend' | 'deactivate'): Promise<void> {
  const { context, user } = run;
  const status = user.status;
  if (status === 'DEPROVISIONED') return context.skip(PART[mode], 'the user is already deactivated');
  if (status === 'SUSPENDED') return context.skip(PART.suspend, 'the user is already suspended');
  if (status === 'STAGED' && mode === 'suspend')
    return context.skip(PART.suspend, 'a STAGED user was never activated and cannot sign in');
  if (status === 'ACTIVE') {
    await context.part(PART.suspend, () => suspend(run));
    // Deactivate mode: a failed suspension leaves the user able to sign in; deactivation is the way left.
    if (mode === 'deactivate' && run.status === 'ACTIVE')
      await context.part(PART.deactivate, () => deactivate(run));
    return;
  }
  if (status === 'STAGED') return; // deactivate mode: nothing to cut now; deactivated last
  if (mode === 'deactivate') return context.part(PART.deactivate, () => deactivate(run));
  context.fail(
    PART.suspend,
    new ActionError(
      'CONFLICT',
      `${user.profile.login} is ${status}, and Okta suspends only ACTIVE users, so they were not suspended; a ${status} user ${STILL_GETS_IN[status] ?? 'may still be able to sign in'}. To cut their access, run offboard-user again with mode: deactivate.`,
      { retryable: false },
    ),
  );
}

/**
 * A lifecycle call is not sent twice blindly: after an answer lost to a timeout or a 5xx, the user's
 * status says whether it took (create-once.ts).
 */
async function changeStatus(
  run: Run,
  step: string,
  operation: string,
  to: string,
  send: () => Promise<unknown>,
) {
  const { context, user } = run;
  const path = oktaPath('/api/v1/users/{id}/lifecycle/{operation}', { id: user.id, operation });
  await applyOnce(context, {
    step,
    request: { method: 'POST', path: operation === 'deactivate' ? `${path}?sendEmail=false` : path },
    send,
    isDone: async () => (await getUser(context.okta, user.id)).status === to,
  });
  run.status = to;
}

const suspend = (run: Run) =>
  changeStatus(run, PART.suspend, 'suspend', 'SUSPENDED', () =>
    run.context.okta.sdk.userApi.suspendUser({ userId: run.user.id }),
  );

function deactivate(run: Run): Promise<void> {
  run.deactivationTried = true;
  return changeStatus(run, PART.deactivate, 'deactivate', 'DEPROVISIONED', () =>
    run.context.okta.sdk.userApi.deactivateUser({ userId: run.user.id, sendEmail: false }),
  );
}

async function endSessions({ context, user }: Run): Promise<void> {
  const path = `${oktaPath('/api/v1/users/{id}/sessions', { id: user.id })}?oauthTokens=true`;
  await context.attempt(PART.sessions, { method: 'DELETE', path }, () =>
    context.okta.sdk.userApi.revokeUserSessions({ userId: user.id, oauthTokens: true }),
  );
}

async function resetFactors({ context, user, status }: Run): Promise<void> {
  // Okta refuses any change to a deactivated user but its lifecycle (E0000038); a deactivated user cannot
  // sign in with their factors either.
  if (status === 'DEPROVISIONED')
    return context.skip(PART.factors, 'the user is deactivated: Okta allows no change to their factors');
  const { okta } = context;
  const factors = await okta.getJson<unknown[]>(oktaPath('/api/v1/users/{id}/factors', { id: user.id }));
  if (factors.length === 0) return context.skip(PART.factors, 'no factors are enrolled');
  await context.attempt(
    PART.factors,
    { method: 'POST', path: oktaPath('/api/v1/users/{id}/lifecycle/reset_factors', { id: user.id }) },
    () => okta.sdk.userApi.resetFactors({ userId: user.id }),
  );
}

async function deactivateDevices({ context, user }: Run): Promise<void> {
  const { okta } = context;
  const links = await okta.getJson<
    Array<{ device: { id: string; status: string; profile?: { displayName?: string } } }>
  >(oktaPath('/api/v1/users/{id}/devices', { id: user.id }));
  const active = links.map((link) => link.device).filter((device) => device.status !== 'DEACTIVATED');
  if (active.length === 0) return context.skip(PART.devices, 'no active devices');
  for (const device of active) {
    const path = `${oktaPath('/api/v1/devices/{deviceId}', { deviceId: device.id })}/lifecycle/deactivate`;
    await context.attempt(
      `deactivate device ${device.profile?.displayName ?? device.id}`,
      { method: 'POST', path },
      () => okta.sdk.deviceApi.deactivateDevice({ deviceId: device.id }),
    );
  }
}

async function unassignApps({ context, user }: Run): Promise<void> {
  const { okta } = context;
  // The documented way to find every app assigned to a user, hidden ones included.
  const apps = await okta.paginate<{ id: string; label: string }>({
    path: '/api/v1/apps',
    query: { filter: `user.id eq ${quoteLiteral(user.id)}` },
    pageSize: 200,
    maxItems: MAX_PER_PART,
  });
  let direct = 0;
  for (const app of apps.items) {
    const step = `remove app ${app.label}`;
    const path = oktaPath('/api/v1/apps/{appId}/users/{userId}', { appId: app.id, userId: user.id });
    let assignment: { scope?: string };
    try {
      assignment = await okta.getJson<{ scope?: string }>(path);
    } catch (error) {
      // One app that cannot be read must not keep the user in the others.
      context.fail(step, error);
      continue;
    }
    // An assignment through a group cannot be removed for one user; it goes with the group.
    if (assignment.scope === 'GROUP') continue;
    direct += 1;
    await context.attempt(step, { method: 'DELETE', path: `${path}?sendEmail=false` }, () =>
      okta.sdk.applicationApi.unassignUserFromApplication({
        appId: app.id,
        userId: user.id,
        sendEmail: false,
      }),
    );
  }
  if (direct === 0 && !context.steps().some((step) => step.part === PART.apps))
    context.skip(PART.apps, 'no direct app assignments');
}

async function removeFromGroups({ context, user }: Run): Promise<void> {
  const { okta } = context;
  const groups = await okta.paginate<{ id: string; type: string; profile: { name: string } }>({
    path: oktaPath('/api/v1/users/{id}/groups', { id: user.id }),
    maxItems: MAX_PER_PART,
  });
  // App groups and Everyone are managed by their source; Okta refuses to change their members.
  const oktaGroups = groups.items.filter((group) => group.type === 'OKTA_GROUP');
  if (oktaGroups.length === 0) return context.skip(PART.groups, 'no Okta groups to leave');
  for (const group of oktaGroups) {
    const path = oktaPath('/api/v1/groups/{groupId}/users/{userId}', { groupId: group.id, userId: user.id });
    await context.attempt(`remove from group ${group.profile.name}`, { method: 'DELETE', path }, () =>
      okta.sdk.groupApi.unassignUserFromGroup({ groupId: group.id, userId: user.id }),
    );
  }
}

/** The run's error when a step failed or was never tried: which, and why. */
function incomplete(user: OktaUserJson, failed: StepRecord[], notTried: StepRecord[]): ActionError {
  const halt = notTried[0]?.reason;
  const cancelled = halt?.includes('cancelled') === true;
  const summary = [
    failed.length > 0
      ? `${failed.length} step${failed.length > 1 ? 's' : ''} failed: ${failed.map((s) => `${s.step} (${s.error?.message ?? 'failed'})`).join('; ')}`
      : '',
    halt ? `${notTried.length} never tried: ${halt}` : '',
  ].filter(Boolean);
  return new ActionError(
    failed[0]?.error?.code ?? (cancelled ? 'CANCELLED' : 'TIMEOUT'),
    `Offboarding ${user.profile.login} is incomplete: ${summary.join('; ')}.`,
    // Worth running again only if every failed step may succeed then (the done ones are skipped).
    { retryable: !cancelled && failed.every((step) => step.error?.retryable === true) },
  );
}
