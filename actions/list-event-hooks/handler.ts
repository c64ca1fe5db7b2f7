import { EVENT_HOOKS_PATH } from '../../src/domain/event-hooks.js';
import { defineAction } from '../../src/handler/define-action.js';
import { listWindow } from '../../src/transport/paginate.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Okta answers every hook in one page; maxItems and the cursor still let a flow take them in parts.
  const page = await okta.paginate<Output['eventHooks'][number]>({
    path: EVENT_HOOKS_PATH,
    ...listWindow(input),
  });
  return { eventHooks: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
