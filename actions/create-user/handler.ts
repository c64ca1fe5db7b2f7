import { createdSince, createOnce } from '../../src/domain/create-once.js';
import { unlessMissing } from '../../src/domain/missing.js';
import { getUser, type OktaUserJson, userResult } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async (context) => {
  const { okta, input } = context;
  const profile = { ...input.profile, login: input.profile.login ?? input.profile.email };
  const activate = input.activate ?? false;
  // Okta's own default is activate=true; a flow is safer staging first, so it is always sent explicitly.
  const created = await createOnce<object>(context, {
    step: 'create user',
    request: { method: 'POST', path: `/api/v1/users?activate=${activate}` },
    send: () =>
      okta.sdk.userApi.createUser({
        body: {
          profile,
          ...(input.password ? { credentials: { password: { value: input.password } } } : {}),
          ...(input.groupIds?.length ? { groupIds: input.groupIds } : {}),
        },
        activate,
      }),
    // The login is unique: a user with it, created since the request went out, is this run's.
    findCreated: async (sentAt) => {
      const user = await unlessMissing(() => getUser(okta, profile.login), true);
      return user && createdSince(user.created as string | undefined, sentAt) ? user : undefined;
    },
  });
  if (!created) return PLANNED;
  return { ...userResult(toPlainJson<OktaUserJson>(created)), changed: true };
});
