import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Okta answers token metadata only; the token values themselves are never readable again.
  const page = await okta.paginate<Output['tokens'][number]>({
    path: '/api/v1/api-tokens',
    ...listWindow(input),
  });
  return { tokens: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
