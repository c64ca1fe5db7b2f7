import { unlessMissing } from '../../src/okta/missing.js';
import { oktaPath } from '../../src/okta/paths.js';
import { getUser } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change, skip }) => {
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
  // DELETE on a user who is not DEPROVISIONED only deactivates; a second DELETE deletes.
  const deactivatedFirst = user.status !== 'DEPROVISIONED';
  if (deactivatedFirst) await change('deactivate', request, send);
  else skip('deactivate');
  await change('delete', request, send);
  return {
    id: user.id,
    login: user.profile.login,
    previousStatus: user.status,
    deactivatedFirst,
    deleted: true as const,
    changed: true,
  };
});
