import { appGroupPath, findAppGroupAssignment } from '../../src/domain/apps.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const current = await findAppGroupAssignment(okta, input.appId, input.groupId);
  const result = { appId: input.appId, groupId: input.groupId, assigned: false as const };
  if (!current) {
    // Not assigned. The group is read so that a mistyped group id fails with NOT_FOUND instead of passing
    // as "nothing to do".
    await okta.getJson(oktaPath('/api/v1/groups/{groupId}', { groupId: input.groupId }));
    return { ...result, previousPriority: null, changed: false };
  }
  await change('unassign group', { method: 'DELETE', path: appGroupPath(input.appId, input.groupId) }, () =>
    okta.sdk.applicationApi.unassignApplicationFromGroup({ appId: input.appId, groupId: input.groupId }),
  );
  return { ...result, previousPriority: current.priority ?? null, changed: true };
});
