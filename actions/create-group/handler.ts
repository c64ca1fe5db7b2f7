import { createdSince, createOnce } from '../../src/domain/create-once.js';
import { groupResult, type OktaGroupJson } from '../../src/domain/group-profile.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async (context) => {
  const { okta, input } = context;
  const profile = {
    ...withoutNulls(input.attributes ?? {}),
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  // Raw POST: the SDK's Group model would drop the custom attributes from Okta's answer. A name already
  // taken comes back as Okta's "already exists" validation error, which the runtime reports as CONFLICT.
  const created = await createOnce(context, {
    step: 'create group',
    request: { method: 'POST', path: '/api/v1/groups' },
    send: () => okta.sendJson<OktaGroupJson>('POST', '/api/v1/groups', { body: { profile } }),
    // Okta group names are unique: a group with this name, created since the request went out, is ours.
    findCreated: async (sentAt) => {
      const found = await okta.getJson<OktaGroupJson[]>('/api/v1/groups', { q: input.name, limit: 200 });
      return found.find(
        (group) => group.profile.name === input.name && createdSince(String(group.created), sentAt),
      );
    },
  });
  if (!created) return PLANNED;
  return { ...groupResult(created), changed: true };
});

/** A new group has no value to clear: an attribute given as null is simply not set. */
function withoutNulls(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null));
}
