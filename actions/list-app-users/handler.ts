import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['appUsers'][number]>({
    path: oktaPath('/api/v1/apps/{appId}/users', { appId: input.appId }),
    // Raw pages keep every app profile attribute as Okta sent it.
    query: { q: input.query },
    // Okta's next link may leave expand out; it is asked for on every page.
    everyPage: input.includeUser ? { expand: 'user' } : undefined,
    ...listWindow(input),
  });
  return { appId: input.appId, appUsers: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
