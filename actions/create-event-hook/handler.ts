import type { EventHook } from '@okta/okta-sdk-nodejs';
import { createdSince, createOnce } from '../../src/domain/create-once.js';
import {
  checkEndpointScheme,
  checkRoomForActiveHook,
  EVENT_HOOKS_PATH,
  listEventHooks,
  type OktaEventHookJson,
} from '../../src/domain/event-hooks.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async (context) => {
  const { okta, input } = context;
  checkEndpointScheme(okta.orgUrl, input.uri);
  // Okta creates hooks ACTIVE, so a 26th active hook would be refused: say so before sending anything.
  checkRoomForActiveHook(await listEventHooks(okta));
  const created = await createOnce<object>(context, {
    step: 'create event hook',
    request: { method: 'POST', path: EVENT_HOOKS_PATH },
    send: () => okta.sdk.eventHookApi.createEventHook({ eventHook: eventHookBody(input) }),
    // A hook with this name and endpoint, created since the request went out, is this run's.
    findCreated: async (sentAt) =>
      (await listEventHooks(okta)).find(
        (hook) =>
          hook.name === input.name &&
          (hook as CreatedHook).channel?.config?.uri === input.uri &&
          createdSince(String(hook.created), sentAt),
      ),
  });
  if (!created) return PLANNED;
  const hook = toPlainJson<CreatedHook>(created);
  return {
    id: hook.id,
    name: hook.name,
    status: hook.status,
    verificationStatus: hook.verificationStatus ?? 'UNVERIFIED',
    uri: hook.channel?.config?.uri ?? input.uri,
    eventTypes: hook.events?.items ?? input.eventTypes,
    changed: true,
    eventHook: hook,
  };
});

type CreatedHook = OktaEventHookJson & {
  events?: { items?: string[] };
  channel?: { config?: { uri?: string } };
};

function eventHookBody(input: Input): EventHook {
  const authScheme = input.authHeaderValue
    ? { type: 'HEADER', key: input.authHeaderName ?? 'Authorization', value: input.authHeaderValue }
    : undefined;
  return {
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    events: { type: 'EVENT_TYPE', items: input.eventTypes },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: input.uri,
        ...(input.headers?.length ? { headers: input.headers } : {}),
        ...(authScheme ? { authScheme } : {}),
      },
    },
  } as EventHook;
}
