import { listWindow } from '../../src/okta/paginate.js';
import { oktaPath } from '../../src/okta/paths.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['users'][number]>({
    path: oktaPath('/api/v1/groups/{groupId}/users', { groupId: input.groupId }),
    ...listWindow(input),
  });
  return { groupId: input.groupId, users: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
