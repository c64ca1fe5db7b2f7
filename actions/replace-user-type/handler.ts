import {
  changedUserTypeFields,
  getUserType,
  type OktaUserTypeJson,
  userTypePath,
  userTypeResult,
  writtenUserType,
} from '../../src/domain/user-types.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const current = await getUserType(okta, input.typeId);
  const wanted = { displayName: input.displayName, description: input.description ?? '' };
  const changedFields = changedUserTypeFields(current, wanted);
  if (changedFields.length === 0) return { ...userTypeResult(current), changed: false, changedFields };

  // PUT needs the type's unchangeable API name in the body too, so it comes from the read above. Raw
  // JSON, as the SDK's answer renames Okta's `default` flag (see user-types.ts).
  const path = userTypePath(current.id);
  const body = { name: current.name, ...wanted };
  const replaced = await change('replace user type', { method: 'PUT', path }, async () =>
    writtenUserType(await okta.sendJson<OktaUserTypeJson>('PUT', path, { body })),
  );
  if (!replaced) return PLANNED;
  return { ...userTypeResult(replaced), changed: true, changedFields };
});
