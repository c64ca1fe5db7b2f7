import {
  changedUserTypeFields,
  getUserType,
  type OktaUserTypeJson,
  userTypePath,
  userTypeResult,
  writtenUserType,
} from '../../src/domain/user-types.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  if (input.displayName === undefined && input.description === undefined)
    throw invalidInput('displayName', 'is empty, and so is description: give at least one of them');
  const current = await getUserType(okta, input.typeId);
  const changedFields = changedUserTypeFields(current, input);
  if (changedFields.length === 0) return { ...userTypeResult(current), changed: false, changedFields };

  // POST is Okta's partial update: only the fields sent change. Raw JSON, as the SDK's answer renames
  // Okta's `default` flag (see user-types.ts).
  const body = Object.fromEntries(changedFields.map((field) => [field, input[field]]));
  const path = userTypePath(current.id);
  const updated = await change('update user type', { method: 'POST', path }, async () =>
    writtenUserType(await okta.sendJson<OktaUserTypeJson>('POST', path, { body })),
  );
  if (!updated) return PLANNED;
  return { ...userTypeResult(updated), changed: true, changedFields };
});
