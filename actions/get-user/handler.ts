import { getUser, userResult } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read, so new top-level fields Okta adds reach the output too.
export default defineAction<Input, Output>(async ({ okta, input }) =>
  userResult(await getUser(okta, input.user)),
);
