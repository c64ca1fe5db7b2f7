import { getUser } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const user = await getUser(okta, input.user);
  const unchanged = { id: user.id, login: user.profile.login, previousStatus: user.status };
  if (user.status === 'DEPROVISIONED') return { ...unchanged, status: 'DEPROVISIONED', changed: false };
  // Synchronous (no Prefer: respond-async): when Okta answers, the user is DEPROVISIONED.
  await okta.sdk.userApi.deactivateUser({ userId: user.id, sendEmail: input.sendEmail ?? false });
  return { ...unchanged, status: 'DEPROVISIONED', changed: true };
});
