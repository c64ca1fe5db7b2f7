import { eventHookPath, eventHookStatusChange, requireEventHook } from '../../src/domain/event-hooks.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const hook = await requireEventHook(okta, input.eventHookId);
  if (hook.status === 'INACTIVE') return eventHookStatusChange(hook, 'INACTIVE', false);
  await change('deactivate', { method: 'POST', path: eventHookPath(hook.id, 'deactivate') }, () =>
    okta.sdk.eventHookApi.deactivateEventHook({ eventHookId: hook.id }),
  );
  return eventHookStatusChange(hook, 'INACTIVE', true);
});
