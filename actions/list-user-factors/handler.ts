import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// A raw read: each kind of factor has its own profile fields, which the SDK's models would narrow.
// Okta answers the whole list at once: its description gives this endpoint no paging.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  const factors = await okta.getJson<Output['factors']>(
    oktaPath('/api/v1/users/{userId}/factors', { userId }),
  );
  return { userId, factors, count: factors.length };
});
