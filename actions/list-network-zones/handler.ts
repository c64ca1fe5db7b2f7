import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import { quoteLiteral } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['zones'][number]>({
    path: '/api/v1/zones',
    // No page size: Okta's default (limit -1) answers every zone at once, and an org has few.
    query: { filter: input.usage ? `usage eq ${quoteLiteral(input.usage)}` : undefined },
    ...listWindow(input),
  });
  return { zones: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
