import { getUserType, userTypeResult } from '../../src/domain/user-types.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the SDK's UserType model would rename Okta's `default` flag to `_default`.
export default defineAction<Input, Output>(async ({ okta, input }) =>
  userTypeResult(await getUserType(okta, input.typeId)),
);
