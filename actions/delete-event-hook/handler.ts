import { eventHookNotFound, eventHookPath, findEventHook } from '../../src/domain/event-hooks.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change, skip }) => {
  const hook = await findEventHook(okta, input.eventHookId);
  if (!hook) {
    if (!input.missingOk) throw eventHookNotFound(input.eventHookId);
    return {
      id: input.eventHookId,
      name: null,
      deactivatedFirst: false,
      deleted: true as const,
      changed: false,
    };
  }
  // Okta deletes only INACTIVE hooks, a guard against dropping a live subscription by mistake.
  const deactivatedFirst = hook.status !== 'INACTIVE';
  if (deactivatedFirst && !input.deactivateFirst) {
    throw new ActionError(
      'CONFLICT',
      `Event hook ${hook.name} is ${hook.status}; Okta deletes only INACTIVE hooks: run Deactivate Event Hook first, or leave deactivateFirst on to do both in one run. Nothing was changed.`,
      { retryable: false },
    );
  }
  if (deactivatedFirst) {
    await change('deactivate', { method: 'POST', path: eventHookPath(hook.id, 'deactivate') }, () =>
      okta.sdk.eventHookApi.deactivateEventHook({ eventHookId: hook.id }),
    );
  } else skip('deactivate');
  await change('delete', { method: 'DELETE', path: eventHookPath(hook.id) }, () =>
    okta.sdk.eventHookApi.deleteEventHook({ eventHookId: hook.id }),
  );
  return { id: hook.id, name: hook.name, deactivatedFirst, deleted: true as const, changed: true };
});
