import { applyOnce } from '../../src/domain/create-once.js';
import { unlessMissing } from '../../src/domain/missing.js';
import { userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

const DELETE_ADVICE = 'run deactivate-user first, or leave deactivateFirst on to do both in one run';

export default defineAction<Input, Output>(async ({ okta, input, change, skip, settleLastChange }) => {
  const user = await unlessMissing(() => getUser(okta, input.user), input.missingOk);
  if (!user) {
    return {
      id: null,
      login: null,
      previousStatus: null,
      deactivatedFirst: false,
      deleted: true as const,
      changed: false,
    };
  }
  const sendEmail = input.sendEmail ?? false;
  const request = {
    method: 'DELETE',
    path: `${oktaPath('/api/v1/users/{id}', { id: user.id })}?sendEmail=${sendEmail}`,
  } as const;
  const send = () => okta.sdk.userApi.deleteUser({ userId: user.id, sendEmail });
  const context = { change, settleLastChange };
  // DELETE on a user who is not DEPROVISIONED only deactivates; a second DELETE deletes. So the same
  // request is never simply sent again after a lost answer (the transport does not retry it either):
  // the user's state says which phase took effect.
  const current = () => unlessMissing(() => getUser(okta, user.id), true);
  const deactivatedFirst = user.status !== 'DEPROVISIONED';
  if (deactivatedFirst && !input.deactivateFirst)
    throw userStatusConflict(user, 'delete-user with deactivateFirst off', ['DEPROVISIONED'], DELETE_ADVICE);
  if (deactivatedFirst) {
    await applyOnce(context, {
      step: 'deactivate',
      request,
      send,
      isDone: async () => (await current())?.status === 'DEPROVISIONED',
    });
  } else skip('deactivate');
  await applyOnce(context, {
    step: 'delete',
    request,
    send,
    isDone: async () => (await current()) === undefined,
  });
  return {
    id: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    deactivatedFirst,
    deleted: true as const,
    changed: true,
  };
});
