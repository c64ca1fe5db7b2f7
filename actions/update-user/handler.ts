import type { UserProfile } from '@okta/okta-sdk-nodejs';
import { getUser, type OktaUserJson, userResult } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const current = await getUser(okta, input.user);
  const changedFields = Object.keys(input.profile).filter(
    (name) => !sameValue(current.profile[name], input.profile[name]),
  );
  if (changedFields.length === 0) return { ...userResult(current), changed: false, changedFields };

  // POST (not PUT) is Okta's partial update: attributes left out keep their values. The SDK's type has no
  // null, but Okta clears an attribute sent as null, and the SDK passes it through unchanged.
  const profile = input.profile as UserProfile;
  const updated = await change(
    'update profile',
    { method: 'POST', path: oktaPath('/api/v1/users/{id}', { id: current.id }) },
    () => okta.sdk.userApi.updateUser({ userId: current.id, user: { profile } }),
  );
  if (!updated) return PLANNED;
  return { ...userResult(toPlainJson<OktaUserJson>(updated)), changed: true, changedFields };
});

/** Okta treats a missing attribute and null alike; arrays compare by content. */
function sameValue(current: unknown, wanted: unknown): boolean {
  return JSON.stringify(current ?? null) === JSON.stringify(wanted ?? null);
}
