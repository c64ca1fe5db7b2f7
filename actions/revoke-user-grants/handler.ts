import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

/** Okta's largest page of grants. */
const GRANTS_PER_PAGE = 200;

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  const path = oktaPath('/api/v1/users/{userId}/grants', { userId: user.id });
  // DELETE answers 204 whether or not there was a grant, so the grants are read first, to the end.
  const { items: grants } = await okta.paginate<Output['grants'][number]>({
    path,
    everyPage: { expand: 'scope' },
    pageSize: GRANTS_PER_PAGE,
    maxItems: Number.MAX_SAFE_INTEGER,
  });
  const result = { id: user.id, login: user.profile.login, grants, count: grants.length };
  if (grants.length === 0) return { ...result, changed: false };
  await change('revoke grants', { method: 'DELETE', path }, () =>
    okta.sdk.userApi.revokeUserGrants({ userId: user.id }),
  );
  return { ...result, changed: true };
});
