import { secretDelivery, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser, type OktaUserJson } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

const ACTIVATES_FROM = ['STAGED', 'DEPROVISIONED'];
// What activation leads to: a repeat finds the user here and changes nothing.
const ALREADY_ACTIVATED = ['ACTIVE', 'PROVISIONED'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const sendEmail = input.sendEmail ?? true;
  // Refused before any request: a link neither emailed nor returned would reach no one.
  const delivery = secretDelivery(sendEmail, input.revealSecret ?? false);
  // With credentials: whether the user has a password or signs in elsewhere decides the status after.
  const user = await getUser(okta, input.user, { withCredentials: true });
  const before = { id: user.id, login: user.profile.login, previousStatus: user.status };
  if (ALREADY_ACTIVATED.includes(user.status)) {
    return { ...before, status: user.status, secretDelivery: 'NONE', changed: false };
  }
  if (!ACTIVATES_FROM.includes(user.status)) throw userStatusConflict(user, 'activate-user', ACTIVATES_FROM);

  const path = `${oktaPath('/api/v1/users/{id}/lifecycle/activate', { id: user.id })}?sendEmail=${sendEmail}`;
  // Okta's own default is sendEmail=true; it is always sent, so what happens never depends on a default.
  const answer = await change('activate', { method: 'POST', path }, () =>
    okta.sdk.userApi.activateUser({ userId: user.id, sendEmail }),
  );
  return {
    ...before,
    status: statusAfterActivation(user),
    secretDelivery: delivery,
    ...(delivery === 'RETURNED' ? returnedSecrets(answer) : {}),
    changed: true,
  };
});

/**
 * Okta answers without the user: a user who can sign in without the link (a password, or a federated or
 * social account) becomes ACTIVE, any other stays PROVISIONED until the activation link is used.
 */
function statusAfterActivation(user: OktaUserJson): string {
  const credentials = user.credentials as { password?: unknown; provider?: { type?: string } } | undefined;
  const signsInElsewhere = ['FEDERATION', 'SOCIAL'].includes(credentials?.provider?.type ?? '');
  return credentials?.password !== undefined || signsInElsewhere ? 'ACTIVE' : 'PROVISIONED';
}

function returnedSecrets(
  answer: { activationUrl?: string; activationToken?: string } | undefined,
): Pick<Output, 'activationUrl' | 'activationToken'> {
  return {
    ...(answer?.activationUrl ? { activationUrl: answer.activationUrl } : {}),
    ...(answer?.activationToken ? { activationToken: answer.activationToken } : {}),
  };
}
