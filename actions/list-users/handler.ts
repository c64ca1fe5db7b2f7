import { NOT_DEACTIVATED } from '../../src/domain/user-lifecycle.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

// Search has no "ne"; Okta documents lt-or-gt as the way to exclude one value.
const SEARCH_NOT_DEPROVISIONED = 'status lt "DEPROVISIONED" or status gt "DEPROVISIONED"';
const SEARCH_ANY_STATUS = `${SEARCH_NOT_DEPROVISIONED} or status eq "DEPROVISIONED"`;
// Filter has only eq for status, so the wanted statuses are listed.
const FILTER_NOT_DEPROVISIONED = NOT_DEACTIVATED.map((s) => `status eq "${s}"`).join(' or ');
const FILTER_ANY_STATUS = `${FILTER_NOT_DEPROVISIONED} or status eq "DEPROVISIONED"`;

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['users'][number]>({
    path: '/api/v1/users',
    query: {
      ...usersQuery(input),
      ...(input.sortBy ? { sortBy: input.sortBy, sortOrder: input.sortOrder ?? 'asc' } : {}),
    },
    ...listWindow(input),
  });
  return { users: page.items, count: page.items.length, nextCursor: page.nextCursor };
});

/**
 * Okta leaves DEPROVISIONED users out of a plain list but returns them for any search or filter; this
 * makes `includeDeprovisioned` mean the same thing in every case. `q` is never used: Okta does not page
 * it, so a long result would be cut without a cursor; the name prefix becomes a (pageable) search.
 */
function usersQuery(input: Input): { search?: string; filter?: string } {
  if (input.filter) {
    if (input.search || input.query)
      throw invalidInput('filter', 'cannot be combined with search or query; use one of them');
    if (input.sortBy)
      throw invalidInput('sortBy', 'works only with search or query, not with a filter expression');
    return {
      filter: input.includeDeprovisioned
        ? input.filter
        : `(${input.filter}) and (${FILTER_NOT_DEPROVISIONED})`,
    };
  }
  const parts: string[] = [];
  if (input.query) {
    const prefix = quoteLiteral(input.query);
    parts.push(
      `profile.firstName sw ${prefix} or profile.lastName sw ${prefix} or profile.email sw ${prefix}`,
    );
  }
  if (input.search) parts.push(input.search);
  if (parts.length === 0 && !input.sortBy) {
    return input.includeDeprovisioned ? { filter: FILTER_ANY_STATUS } : {};
  }
  // Sorting needs a search; one that matches every wanted status serves when none was given.
  if (!input.includeDeprovisioned) parts.push(SEARCH_NOT_DEPROVISIONED);
  else if (parts.length === 0) parts.push(SEARCH_ANY_STATUS);
  return { search: parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' and ') };
}
