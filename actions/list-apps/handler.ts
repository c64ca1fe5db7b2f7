import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = input.user ? await resolveUserId(okta, input.user) : undefined;
  // Okta's app filter takes only eq conditions on a few properties; each value is quoted, never spliced.
  const conditions = [
    input.status ? `status eq ${quoteLiteral(input.status)}` : undefined,
    userId ? `user.id eq ${quoteLiteral(userId)}` : undefined,
    input.groupId ? `group.id eq ${quoteLiteral(input.groupId)}` : undefined,
  ].filter((condition): condition is string => condition !== undefined);
  const page = await okta.paginate<Output['apps'][number]>({
    path: '/api/v1/apps',
    // Raw pages keep every app's settings, which differ by sign-on mode and which the SDK's models trim.
    query: { q: input.query, filter: conditions.length > 0 ? conditions.join(' and ') : undefined },
    ...listWindow(input),
  });
  return { apps: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
