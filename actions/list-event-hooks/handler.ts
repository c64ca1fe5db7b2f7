import { EVENT_HOOKS_PATH } from '../../src/okta/event-hooks.js';
import { listWindow } from '../../src/okta/paginate.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  // Okta answers every hook in one page; maxItems and the cursor still let a flow take them in parts.
  const page = await okta.paginate<Output['eventHooks'][number]>({
    path: EVENT_HOOKS_PATH,
    ...listWindow(input),
  });
  return { eventHooks: page.items, count: page.items.length, nextCursor: page.nextCursor };
});
