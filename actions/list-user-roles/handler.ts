import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Okta answers the whole (short) list at once: its description gives this endpoint no paging.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  const roles = await okta.getJson<Output['roles']>(
    oktaPath('/api/v1/users/{userId}/roles', { userId }),
    input.expand ? { expand: input.expand } : undefined,
  );
  return { userId, roles, count: roles.length };
});
