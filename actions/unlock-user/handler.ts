import { userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Okta unlocks a LOCKED_OUT user, and an ACTIVE user who is blocked from unknown devices.
const UNLOCKS = ['LOCKED_OUT', 'ACTIVE'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  if (!UNLOCKS.includes(user.status)) throw userStatusConflict(user, 'unlock-user', UNLOCKS);
  const before = { id: user.id, login: user.profile.login, previousStatus: user.status };
  // An ACTIVE user's status does not show a block; only the user's block list does.
  const blocks = await okta.getJson<unknown[]>(oktaPath('/api/v1/users/{id}/blocks', { id: user.id }));
  if (user.status === 'ACTIVE' && blocks.length === 0) {
    return { ...before, status: 'ACTIVE', blocksCleared: 0, changed: false };
  }
  await change(
    'unlock',
    { method: 'POST', path: oktaPath('/api/v1/users/{id}/lifecycle/unlock', { id: user.id }) },
    () => okta.sdk.userApi.unlockUser({ userId: user.id }),
  );
  return { ...before, status: 'ACTIVE', blocksCleared: blocks.length, changed: true };
});
