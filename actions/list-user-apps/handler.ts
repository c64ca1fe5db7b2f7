import { listWindow } from '../../src/okta/paginate.js';
import { oktaPath } from '../../src/okta/paths.js';
import { resolveUserId } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  // Okta's description gives this endpoint no page size, so none is sent; a next link is followed if sent.
  const page = await okta.paginate<Output['apps'][number]>({
    path: oktaPath('/api/v1/users/{id}/appLinks', { id: userId }),
    ...listWindow(input),
  });
  return { userId, apps: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
