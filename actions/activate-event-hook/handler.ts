import {
  checkRoomForActiveHook,
  eventHookNotFound,
  eventHookPath,
  eventHookStatusChange,
  listEventHooks,
} from '../../src/domain/event-hooks.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const hooks = await listEventHooks(okta);
  const hook = hooks.find((candidate) => candidate.id === input.eventHookId);
  if (!hook) throw eventHookNotFound(input.eventHookId);
  if (hook.status === 'ACTIVE') return eventHookStatusChange(hook, 'ACTIVE', false);
  checkRoomForActiveHook(hooks);
  await change('activate', { method: 'POST', path: eventHookPath(hook.id, 'activate') }, () =>
    okta.sdk.eventHookApi.activateEventHook({ eventHookId: hook.id }),
  );
  return eventHookStatusChange(hook, 'ACTIVE', true);
});
