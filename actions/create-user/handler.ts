import { toPlainJson } from '../../src/okta/okta-context.js';
import { type OktaUserJson, userResult } from '../../src/okta/users.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const profile = { ...input.profile, login: input.profile.login ?? input.profile.email };
  // Okta's own default is activate=true; a flow is safer staging first, so it is always sent explicitly.
  const created = await okta.sdk.userApi.createUser({
    body: {
      profile,
      ...(input.password ? { credentials: { password: { value: input.password } } } : {}),
      ...(input.groupIds?.length ? { groupIds: input.groupIds } : {}),
    },
    activate: input.activate ?? false,
  });
  return { ...userResult(toPlainJson<OktaUserJson>(created)), changed: true };
});
