import { getUser } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, steps }) => {
  const user = await getUser(okta, input.user);
  const sendEmail = input.sendEmail ?? false;
  // DELETE on a user who is not DEPROVISIONED only deactivates; a second DELETE deletes.
  const deactivatedFirst = user.status !== 'DEPROVISIONED';
  if (deactivatedFirst) {
    await steps.run('deactivate', () => okta.sdk.userApi.deleteUser({ userId: user.id, sendEmail }));
  } else {
    steps.skip('deactivate');
  }
  await steps.run('delete', () => okta.sdk.userApi.deleteUser({ userId: user.id, sendEmail }));
  return {
    id: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    deactivatedFirst,
    deleted: true as const,
    changed: true,
  };
});
