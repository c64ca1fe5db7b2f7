import {
  type AppUserValues,
  appUserChanges,
  appUserPath,
  appUserResult,
  assignedFields,
  findAppUser,
  type OktaAppUserJson,
} from '../../src/domain/apps.js';
import { getUser } from '../../src/domain/users.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  // Okta has deprovisioned a deactivated user from every app and assigns none until reactivation.
  if (user.status === 'DEPROVISIONED') {
    throw new ActionError(
      'CONFLICT',
      `${user.profile.login} is DEPROVISIONED; Okta assigns apps only to users who are not deactivated: activate-user first. Nothing was changed.`,
      { retryable: false },
    );
  }
  const wanted: AppUserValues = {
    userName: input.userName,
    password: input.password,
    profile: input.profile,
  };
  const current = await findAppUser(okta, input.appId, user.id);
  const previousScope = current?.scope ?? null;

  if (current?.scope === 'USER') {
    // Assigned directly already: make the assignment match what was given, changing only what differs.
    // A password already set is left alone: Okta cannot show it, so a repeat would always resend it.
    const { fields, update } = appUserChanges(current, wanted, 'ifNoneSet');
    if (fields.length === 0) {
      return { ...appUserResult(input.appId, current), previousScope, changed: false, changedFields: [] };
    }
    const updated = await change(
      'update assignment',
      { method: 'POST', path: appUserPath(input.appId, user.id) },
      () =>
        okta.sdk.applicationApi.updateApplicationUser({
          appId: input.appId,
          userId: user.id,
          appUser: update,
        }),
    );
    if (!updated) return PLANNED;
    return result(input.appId, updated, previousScope, fields);
  }

  // Not assigned, or only through a group: a direct assignment (scope USER). For a group-scoped user Okta
  // keeps the assignment and makes it direct, so only what differs from it is sent.
  const { fields, update } = current
    ? appUserChanges(current, wanted, 'ifNoneSet')
    : { fields: assignedFields(wanted), update: newAssignment(wanted) };
  const assigned = await change(
    current ? 'make assignment direct' : 'assign',
    { method: 'POST', path: oktaPath('/api/v1/apps/{appId}/users', { appId: input.appId }) },
    () =>
      okta.sdk.applicationApi.assignUserToApplication({
        appId: input.appId,
        appUser: { id: user.id, scope: 'USER', ...update },
      }),
  );
  if (!assigned) return PLANNED;
  return result(input.appId, assigned, previousScope, current ? ['scope', ...fields] : fields);
});

function newAssignment(wanted: AppUserValues) {
  const credentials = {
    ...(wanted.userName !== undefined ? { userName: wanted.userName } : {}),
    ...(wanted.password !== undefined ? { password: { value: wanted.password } } : {}),
  };
  return {
    ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
    ...(wanted.profile ? { profile: wanted.profile } : {}),
  };
}

function result(
  appId: string,
  answer: unknown,
  previousScope: string | null,
  changedFields: string[],
): Output {
  return {
    ...appUserResult(appId, toPlainJson<OktaAppUserJson>(answer)),
    previousScope,
    changed: true,
    changedFields,
  };
}
