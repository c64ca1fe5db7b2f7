import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['groups'][number]>({
    path: '/api/v1/groups',
    // Raw pages keep custom profile attributes, which the SDK's Group model drops.
    query: groupsQuery(input),
    // Okta's next link may leave expand out; it is asked for on every page.
    everyPage: input.expand ? { expand: input.expand } : undefined,
    ...listWindow(input),
  });
  return { groups: page.items, count: page.items.length, nextCursor: page.nextCursor };
});

/**
 * The name prefix becomes a search (`profile.name sw`), not Okta's `q`: `q` is not pageable, so a long
 * result would be cut without a cursor.
 */
function groupsQuery(input: Input): { search?: string; filter?: string } {
  if (input.filter) {
    if (input.name || input.type || input.search) {
      throw invalidInput(
        'filter',
        'cannot be combined with name, type or search; use either the filter or those',
      );
    }
    return { filter: input.filter };
  }
  const parts = [
    input.name ? `profile.name sw ${quoteLiteral(input.name)}` : undefined,
    input.type ? `type eq ${quoteLiteral(input.type)}` : undefined,
    input.search,
  ].filter((part): part is string => part !== undefined);
  if (parts.length === 0) return {};
  return { search: parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' and ') };
}
