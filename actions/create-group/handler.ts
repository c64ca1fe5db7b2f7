import { groupResult, type OktaGroupJson } from '../../src/okta/group-profile.js';
import { defineAction, PLANNED } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const profile = {
    ...withoutNulls(input.attributes ?? {}),
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  // Raw POST: the SDK's Group model would drop the custom attributes from Okta's answer. A name already
  // taken comes back as Okta's "already exists" validation error, which the runtime reports as CONFLICT.
  const created = await change('create group', { method: 'POST', path: '/api/v1/groups' }, () =>
    okta.sendJson<OktaGroupJson>('POST', '/api/v1/groups', { body: { profile } }),
  );
  if (!created) return PLANNED;
  return { ...groupResult(created), changed: true };
});

/** A new group has no value to clear: an attribute given as null is simply not set. */
function withoutNulls(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null));
}
