/** Group helpers shared by the membership actions. */

import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/** How many of the user's groups one membership check reads per run of the pagination helper. */
const MEMBERSHIP_BATCH = 1000;

/**
 * Whether the user is a member of the group. Okta answers 204 to adding an existing member and to
 * removing a non-member alike, so this is read first to report `changed` honestly. The user's own group
 * list is short compared with a group's member list, so that is the list read; it is read to the end.
 */
export async function isUserInGroup(okta: OktaContext, userId: string, groupId: string): Promise<boolean> {
  const path = oktaPath('/api/v1/users/{id}/groups', { id: userId });
  let cursor: string | undefined;
  do {
    const page = await okta.paginate<{ id: string }>({
      path,
      maxItems: MEMBERSHIP_BATCH,
      ...(cursor ? { cursor } : {}),
    });
    if (page.items.some((group) => group.id === groupId)) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return false;
}
