import { isUserInGroup } from '../../src/domain/groups.js';
import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const userId = await resolveUserId(okta, input.user);
  // Okta answers 204 whether or not the user was a member, so membership is read first.
  const wasMember = await isUserInGroup(okta, userId, input.groupId);
  if (wasMember) {
    const path = oktaPath('/api/v1/groups/{groupId}/users/{userId}', { groupId: input.groupId, userId });
    await change('remove from group', { method: 'DELETE', path }, () =>
      okta.sdk.groupApi.unassignUserFromGroup({ groupId: input.groupId, userId }),
    );
  }
  return { groupId: input.groupId, userId, member: false, changed: wasMember };
});
