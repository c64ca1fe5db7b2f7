import { unlessMissing } from '../../src/domain/missing.js';
import {
  checkUserTypeDeletable,
  getUserType,
  type OktaUserTypeJson,
  userTypeInUse,
  userTypePath,
} from '../../src/domain/user-types.js';
import { toErrorEnvelope } from '../../src/errors/map-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const userType = await unlessMissing(() => getUserType(okta, input.typeId), input.missingOk);
  if (!userType) return { id: input.typeId, name: null, deleted: true as const, changed: false };
  await checkUserTypeDeletable(okta, userType);
  await change('delete user type', { method: 'DELETE', path: userTypePath(userType.id) }, () =>
    refusalAsConflict(userType, okta.sdk.userTypeApi.deleteUserType({ typeId: userType.id })),
  );
  return { id: userType.id, name: userType.name, deleted: true as const, changed: true };
});

/**
 * The user search is eventually consistent, so a user given the type a moment ago can slip past it; Okta
 * then refuses with 403 E0000142, which would otherwise read as a missing permission.
 */
async function refusalAsConflict<T>(userType: OktaUserTypeJson, deleting: Promise<T>): Promise<T> {
  try {
    return await deleting;
  } catch (error) {
    const envelope = toErrorEnvelope(error);
    if (envelope.okta?.errorCode !== 'E0000142') throw error;
    const causes = envelope.okta.errorCauses?.map((cause) => cause.errorSummary).join('; ');
    throw userTypeInUse(userType, `Okta refused (${causes || envelope.okta.errorSummary})`);
  }
}
