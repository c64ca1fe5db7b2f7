import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Raw pages: the SDK's Application models drop the fields they do not know (app-specific settings).
  const page = await okta.paginate<Output['apps'][number]>({
    path: oktaPath('/api/v1/groups/{groupId}/apps', { groupId: input.groupId }),
    ...listWindow(input),
  });
  return { groupId: input.groupId, apps: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
