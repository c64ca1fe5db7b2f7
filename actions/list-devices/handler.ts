import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const page = await okta.paginate<Output['devices'][number]>({
    path: '/api/v1/devices',
    // Raw pages keep every device profile field; the SDK's model drops the ones it does not know.
    query: { search: input.search },
    everyPage: input.expand ? { expand: input.expand } : undefined,
    ...listWindow(input),
  });
  return { devices: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
