import { getUserType, userTypeResult } from '../../src/okta/user-types.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the SDK's UserType model would rename Okta's `default` flag to `_default`.
export default defineAction<Input, Output>(async ({ okta, input }) =>
  userTypeResult(await getUserType(okta, input.typeId)),
);
