import { toPlainJson } from '../../src/okta/okta-context.js';
import { type OktaUserJson, userResult } from '../../src/okta/users.js';
import { defineAction, PLANNED } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const profile = { ...input.profile, login: input.profile.login ?? input.profile.email };
  const activate = input.activate ?? false;
  // Okta's own default is activate=true; a flow is safer staging first, so it is always sent explicitly.
  const created = await change(
    'create user',
    { method: 'POST', path: `/api/v1/users?activate=${activate}` },
    () =>
      okta.sdk.userApi.createUser({
        body: {
          profile,
          ...(input.password ? { credentials: { password: { value: input.password } } } : {}),
          ...(input.groupIds?.length ? { groupIds: input.groupIds } : {}),
        },
        activate,
      }),
  );
  if (!created) return PLANNED;
  return { ...userResult(toPlainJson<OktaUserJson>(created)), changed: true };
});
