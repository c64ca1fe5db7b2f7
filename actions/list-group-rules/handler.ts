import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['rules'][number]>({
    path: '/api/v1/groups/rules',
    query: { search: input.search },
    // Okta's next link may leave expand out; it is asked for on every page.
    everyPage: input.includeGroupNames ? { expand: 'groupIdToGroupNameMap' } : undefined,
    ...listWindow(input),
  });
  return { rules: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
