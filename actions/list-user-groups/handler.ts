import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  // Raw pages keep custom group profile attributes, which the SDK's Group model drops. Okta's description
  // gives this endpoint no page size, so none is sent; a next link is followed if Okta sends one.
  const page = await okta.paginate<Output['groups'][number]>({
    path: oktaPath('/api/v1/users/{id}/groups', { id: userId }),
    ...listWindow(input),
  });
  return { userId, groups: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
