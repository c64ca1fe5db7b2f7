import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Raw read: the SDK's Group model drops custom profile attributes.
  const group = await okta.getJson<Output['group']>(
    oktaPath('/api/v1/groups/{groupId}', { groupId: input.groupId }),
  );
  return {
    id: group.id,
    name: String(group.profile.name ?? ''),
    description: group.profile.description ?? null,
    type: group.type,
    group,
  };
});
