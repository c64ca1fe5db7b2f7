import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
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
