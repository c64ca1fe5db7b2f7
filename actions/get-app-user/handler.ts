import { appUserResult, requireAppUser } from '../../src/domain/apps.js';
import { resolveUserId } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the app profile's attributes differ by app and are kept as Okta sent them.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const userId = await resolveUserId(okta, input.user);
  const appUser = await requireAppUser(
    okta,
    input.appId,
    userId,
    input.includeUser ? { expand: 'user' } : undefined,
  );
  return appUserResult(input.appId, appUser);
});
