import { isUserInGroup } from '../../src/okta/groups.js';
import { resolveUserId } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  // Okta answers 204 whether or not the user was a member, so membership is read first.
  const alreadyMember = await isUserInGroup(okta, userId, input.groupId);
  if (!alreadyMember) await okta.sdk.groupApi.assignUserToGroup({ groupId: input.groupId, userId });
  return { groupId: input.groupId, userId, member: true, changed: !alreadyMember };
});
