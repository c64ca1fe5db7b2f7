import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  const page = await okta.paginate<Output['grants'][number]>({
    path: oktaPath('/api/v1/users/{userId}/grants', { userId }),
    query: { scopeId: input.scopeId },
    // Okta's next link may leave expand out; it is asked for on every page.
    everyPage: input.includeScopeDetails ? { expand: 'scope' } : undefined,
    ...listWindow(input),
  });
  return { userId, grants: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
