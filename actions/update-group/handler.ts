import {
  groupPath,
  groupResult,
  type OktaGroupJson,
  readGroup,
  requireOktaGroup,
} from '../../src/domain/group-profile.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const wanted = requestedChanges(input);
  const current = await readGroup(okta, input.groupId);
  requireOktaGroup(current, 'update-group');
  const changedFields = Object.keys(wanted).filter((name) => !sameValue(current.profile[name], wanted[name]));
  if (changedFields.length === 0) return { ...groupResult(current), changed: false, changedFields };

  // PUT replaces the whole profile: whatever is left out is deleted, custom attributes included. So the
  // whole current profile is sent with the changes merged in; a cleared attribute is left out. Raw, since
  // the SDK's Group model would drop the custom attributes of Okta's answer.
  const profile = withoutNulls({ ...current.profile, ...wanted });
  const path = groupPath(current.id);
  const updated = await change('replace group profile', { method: 'PUT', path }, () =>
    okta.sendJson<OktaGroupJson>('PUT', path, { body: { profile } }),
  );
  if (!updated) return PLANNED;
  return { ...groupResult(updated), changed: true, changedFields };
});

/** The profile attributes the input asks to set (null: clear). */
function requestedChanges(input: Input): Record<string, unknown> {
  const wanted: Record<string, unknown> = {
    ...input.attributes,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  if (Object.keys(wanted).length === 0) {
    throw invalidInput('name', 'is empty, and so are description and attributes: give at least one change');
  }
  return wanted;
}

/** Okta treats a missing attribute and null alike; arrays compare by content. */
function sameValue(current: unknown, wanted: unknown): boolean {
  return JSON.stringify(current ?? null) === JSON.stringify(wanted ?? null);
}

function withoutNulls(profile: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== null));
}
