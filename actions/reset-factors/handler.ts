import { NOT_DEACTIVATED, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser, type OktaUserJson } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Okta refuses to change a deactivated user's factors (E0000038).
const RESETS_FOR = NOT_DEACTIVATED;

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  const factors = await okta.getJson<Output['factors']>(
    oktaPath('/api/v1/users/{userId}/factors', { userId: user.id }),
  );
  const result = { id: user.id, login: user.profile.login, factors, count: factors.length };
  if (factors.length === 0 && !hasResetFactorsLink(user)) return { ...result, changed: false };
  if (!RESETS_FOR.includes(user.status)) throw userStatusConflict(user, 'reset-factors', RESETS_FOR);
  await change(
    'reset factors',
    { method: 'POST', path: oktaPath('/api/v1/users/{id}/lifecycle/reset_factors', { id: user.id }) },
    () => okta.sdk.userApi.resetFactors({ userId: user.id }),
  );
  return { ...result, changed: true };
});

/**
 * Okta lists only the factors of the enrollment policy that applies to the user, so an empty list does not
 * prove there is none; the user's resetFactors link is present exactly when some factor is enrolled.
 */
function hasResetFactorsLink(user: OktaUserJson): boolean {
  const links = user._links as Record<string, unknown> | undefined;
  return links?.resetFactors !== undefined;
}
