import {
  appUserChanges,
  appUserPath,
  appUserResult,
  type OktaAppUserJson,
  requireAppUser,
} from '../../src/domain/apps.js';
import { resolveUserId } from '../../src/domain/users.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  if (input.userName === undefined && input.password === undefined && input.profile === undefined) {
    throw invalidInput('profile', 'is missing, and so are userName and password: give at least one of them');
  }
  const userId = await resolveUserId(okta, input.user);
  const current = await requireAppUser(okta, input.appId, userId);
  const { fields, update } = appUserChanges(
    current,
    { userName: input.userName, password: input.password, profile: input.profile },
    'always',
  );
  if (fields.length === 0)
    return { ...appUserResult(input.appId, current), changed: false, changedFields: [] };

  const updated = await change(
    'update assignment',
    { method: 'POST', path: appUserPath(input.appId, userId) },
    () => okta.sdk.applicationApi.updateApplicationUser({ appId: input.appId, userId, appUser: update }),
  );
  if (!updated) return PLANNED;
  return {
    ...appUserResult(input.appId, toPlainJson<OktaAppUserJson>(updated)),
    changed: true,
    changedFields: fields,
  };
});
