import type { UserProfile } from '@okta/okta-sdk-nodejs';
import { getUser, type OktaUserJson, userResult } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const current = await getUser(okta, input.user);
  const wanted: Record<string, unknown> = input.profile;
  const names = [...new Set([...Object.keys(current.profile), ...Object.keys(wanted)])];
  const changedFields = names.filter((name) => !sameValue(current.profile[name], wanted[name]));
  // Left out of a PUT means deleted: these had a value and the new profile does not name them.
  const removedFields = changedFields.filter((name) => wanted[name] === undefined);
  if (changedFields.length === 0) {
    return { ...userResult(current), changed: false, changedFields, removedFields };
  }

  // PUT is Okta's full replace (POST would keep the attributes left out). The SDK sends custom profile
  // attributes through unchanged.
  const replaced = await change(
    'replace profile',
    { method: 'PUT', path: oktaPath('/api/v1/users/{id}', { id: current.id }) },
    () =>
      okta.sdk.userApi.replaceUser({ userId: current.id, user: { profile: input.profile as UserProfile } }),
  );
  if (!replaced) return PLANNED;
  return { ...userResult(toPlainJson<OktaUserJson>(replaced)), changed: true, changedFields, removedFields };
});

/** Okta treats a missing attribute and null alike; arrays compare by content. */
function sameValue(current: unknown, wanted: unknown): boolean {
  return JSON.stringify(current ?? null) === JSON.stringify(wanted ?? null);
}
