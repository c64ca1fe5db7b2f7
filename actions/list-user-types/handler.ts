import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Okta keeps at most ten user types and answers them in one page; maxItems still applies.
  const page = await okta.paginate<Output['userTypes'][number]>({
    path: '/api/v1/meta/types/user',
    ...listWindow(input),
  });
  return { userTypes: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
