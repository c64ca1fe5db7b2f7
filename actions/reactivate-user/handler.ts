import { secretDelivery, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

const REACTIVATES_FROM = ['PROVISIONED', 'RECOVERY'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const sendEmail = input.sendEmail ?? true;
  // Refused before any request: a link neither emailed nor returned would reach no one.
  const delivery = secretDelivery(sendEmail, input.revealSecret ?? false);
  const user = await getUser(okta, input.user);
  if (!REACTIVATES_FROM.includes(user.status)) {
    throw userStatusConflict(user, 'reactivate-user', REACTIVATES_FROM);
  }
  // Okta's default is sendEmail=false (it returns the link); it is always sent explicitly.
  const path = `${oktaPath('/api/v1/users/{id}/lifecycle/reactivate', { id: user.id })}?sendEmail=${sendEmail}`;
  const answer = await change('reactivate', { method: 'POST', path }, () =>
    okta.sdk.userApi.reactivateUser({ userId: user.id, sendEmail }),
  );
  return {
    id: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    // The activation starts over: the user is PROVISIONED until the new link is used.
    status: 'PROVISIONED',
    secretDelivery: delivery,
    ...(delivery === 'RETURNED' && answer?.activationUrl ? { activationUrl: answer.activationUrl } : {}),
    ...(delivery === 'RETURNED' && answer?.activationToken
      ? { activationToken: answer.activationToken }
      : {}),
    changed: true,
  };
});
