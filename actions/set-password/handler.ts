import { NOT_DEACTIVATED, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser, type OktaUserJson } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import { oktaPath, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Okta refuses every change to a deactivated user except its lifecycle (E0000038).
const SETS_FOR = NOT_DEACTIVATED;

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  if (!SETS_FOR.includes(user.status)) throw userStatusConflict(user, 'set-password', SETS_FOR);
  const strict = input.strict ? true : undefined;
  const path = `${oktaPath('/api/v1/users/{id}', { id: user.id })}${queryString({ strict })}`;
  // POST /users/{id} is the partial update: only the password is sent, the profile stays as it is. Okta
  // never returns a password, so whether it differed cannot be known: every run sets it.
  const updated = await change('set password', { method: 'POST', path }, () =>
    okta.sdk.userApi.updateUser({
      userId: user.id,
      user: { credentials: { password: { value: input.password } } },
      ...(strict ? { strict } : {}),
    }),
  );
  if (!updated) return PLANNED;
  const after = toPlainJson<OktaUserJson & { passwordChanged?: string | null }>(updated);
  return {
    id: user.id,
    login: user.profile.login,
    status: after.status,
    previousStatus: user.status,
    passwordChanged: after.passwordChanged ?? null,
    changed: true,
  };
});
