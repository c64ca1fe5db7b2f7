import { secretDelivery, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// A reset needs a user who has (or is setting up) a password Okta manages.
const RESETS_FROM = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY', 'PROVISIONED'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const sendEmail = input.sendEmail ?? true;
  const revokeSessions = input.revokeSessions ?? false;
  // Refused before any request: a link neither emailed nor returned would reach no one.
  const delivery = secretDelivery(sendEmail, input.revealSecret ?? false);
  const user = await getUser(okta, input.user);
  if (!RESETS_FROM.includes(user.status)) throw userStatusConflict(user, 'reset-password', RESETS_FROM);

  // Okta requires sendEmail on this call; the SDK names the operation generateResetPasswordToken.
  const path = `${oktaPath('/api/v1/users/{id}/lifecycle/reset_password', { id: user.id })}${queryString({ sendEmail, revokeSessions })}`;
  const answer = await change('reset password', { method: 'POST', path }, () =>
    okta.sdk.userApi.generateResetPasswordToken({ userId: user.id, sendEmail, revokeSessions }),
  );
  return {
    id: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    status: 'RECOVERY',
    secretDelivery: delivery,
    ...(delivery === 'RETURNED' && answer?.resetPasswordUrl
      ? { resetPasswordUrl: answer.resetPasswordUrl }
      : {}),
    changed: true,
  };
});
