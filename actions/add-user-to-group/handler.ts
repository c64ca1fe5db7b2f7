import { isUserInGroup } from '../../src/domain/groups.js';
import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const userId = await resolveUserId(okta, input.user);
  // Okta answers 204 whether or not the user was a member, so membership is read first.
  const alreadyMember = await isUserInGroup(okta, userId, input.groupId);
  if (!alreadyMember) {
    const path = oktaPath('/api/v1/groups/{groupId}/users/{userId}', { groupId: input.groupId, userId });
    await change('add to group', { method: 'PUT', path }, () =>
      okta.sdk.groupApi.assignUserToGroup({ groupId: input.groupId, userId }),
    );
  }
  return { groupId: input.groupId, userId, member: true, changed: !alreadyMember };
});
