import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['users'][number]>({
    path: oktaPath('/api/v1/groups/{groupId}/users', { groupId: input.groupId }),
    ...listWindow(input),
  });
  return { groupId: input.groupId, users: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
