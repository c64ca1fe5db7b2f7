import { groupPath, readGroup, requireOktaGroup } from '../../src/domain/group-profile.js';
import { unlessMissing } from '../../src/domain/missing.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const group = await unlessMissing(() => readGroup(okta, input.groupId), input.missingOk);
  if (!group) return { id: input.groupId, name: null, deleted: true as const, changed: false };
  requireOktaGroup(group, 'delete-group');
  await change('delete group', { method: 'DELETE', path: groupPath(group.id) }, () =>
    okta.sdk.groupApi.deleteGroup({ groupId: group.id }),
  );
  return { id: group.id, name: String(group.profile.name ?? ''), deleted: true as const, changed: true };
});
