import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Okta answers the whole (short) list at once: its description gives this endpoint no paging.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  const blocks = await okta.getJson<Output['blocks']>(oktaPath('/api/v1/users/{id}/blocks', { id: userId }));
  return { userId, blocks, count: blocks.length };
});
