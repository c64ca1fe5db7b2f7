import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Okta takes 20 to 200 group assignments per page. The helper would cut the page size down to what the
  // run still returns (below 20 for a small run), so the size is set on every page instead and the helper
  // trims the last page. expand is asked for on every page too: the next link may leave it out.
  const { pageSize, ...window } = listWindow(input);
  const page = await okta.paginate<Output['groupAssignments'][number]>({
    path: oktaPath('/api/v1/apps/{appId}/groups', { appId: input.appId }),
    query: { q: input.query },
    everyPage: { limit: pageSize, ...(input.includeGroup ? { expand: 'group' } : {}) },
    ...window,
  });
  return {
    appId: input.appId,
    groupAssignments: page.items,
    count: page.items.length,
    nextCursor: page.nextCursor,
  };
});
