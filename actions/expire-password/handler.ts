import { userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Only a user who signs in with a password Okta manages has one to expire.
const EXPIRES_FROM = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const temporary = input.temporaryPassword ?? false;
  checkOptions(input, temporary);
  const user = await getUser(okta, input.user);
  const before = { id: user.id, login: user.profile.login, previousStatus: user.status };
  if (!temporary && user.status === 'PASSWORD_EXPIRED') {
    return { ...before, status: user.status, secretDelivery: 'NONE', changed: false };
  }
  if (!EXPIRES_FROM.includes(user.status)) throw userStatusConflict(user, 'expire-password', EXPIRES_FROM);
  const lifecycle = (operation: string) =>
    oktaPath('/api/v1/users/{id}/lifecycle/{operation}', { id: user.id, operation });

  if (!temporary) {
    await change('expire password', { method: 'POST', path: lifecycle('expire_password') }, () =>
      okta.sdk.userApi.expirePassword({ userId: user.id }),
    );
    return { ...before, status: 'PASSWORD_EXPIRED', secretDelivery: 'NONE', changed: true };
  }
  // Raw call: the SDK's model of this answer drops tempPassword (8.1.0 returns {}).
  const path = lifecycle('expire_password_with_temp_password');
  const query = { revokeSessions: input.revokeSessions ?? false };
  const answer = await change(
    'expire password with a temporary password',
    { method: 'POST', path: `${path}${queryString(query)}` },
    () => okta.sendJson<{ tempPassword?: string }>('POST', path, { query }),
  );
  return {
    ...before,
    status: 'PASSWORD_EXPIRED',
    secretDelivery: 'RETURNED',
    ...(answer?.tempPassword ? { temporaryPassword: answer.tempPassword } : {}),
    changed: true,
  };
});

/** Refused before any request: options Okta would ignore, and a password that would reach no one. */
function checkOptions(input: Input, temporary: boolean): void {
  if (!temporary && input.revokeSessions) {
    throw invalidInput(
      'revokeSessions',
      'works only together with temporaryPassword; to sign the user out, use clear-user-sessions',
    );
  }
  if (temporary && !input.revealSecret) {
    throw invalidInput(
      'revealSecret',
      'must be true with temporaryPassword: Okta does not email the temporary password, so without it the password would reach no one',
    );
  }
}
