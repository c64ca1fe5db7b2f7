import { NOT_DEACTIVATED, userStatusConflict } from '../../src/domain/user-lifecycle.js';
import { getUser } from '../../src/domain/users.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

type Factor = Output['alsoRemoved'][number];

// Okta refuses to unenroll a factor of a deactivated user.
const UNENROLLS_FOR = NOT_DEACTIVATED;
const PHONE_FACTORS = ['sms', 'call'];

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  const factors = await okta.getJson<Factor[]>(
    oktaPath('/api/v1/users/{userId}/factors', { userId: user.id }),
  );
  const factor = factors.find((candidate) => candidate.id === input.factorId);
  const base = { userId: user.id, login: user.profile.login, factorId: input.factorId };
  if (!factor) {
    if (input.missingOk) return { ...base, factorType: null, factor: null, alsoRemoved: [], changed: false };
    throw new ActionError(
      'NOT_FOUND',
      `${user.profile.login} has no factor ${input.factorId}. List User Factors shows the user's factors and their ids; set missingOk if an earlier run may have removed it.`,
      { retryable: false },
    );
  }
  if (!UNENROLLS_FOR.includes(user.status)) throw userStatusConflict(user, 'reset-factor', UNENROLLS_FOR);

  // removeRecoveryEnrollment means something only for phone factors, so it is sent only for them.
  const query = {
    removeRecoveryEnrollment:
      input.removeRecoveryPhone && PHONE_FACTORS.includes(factor.factorType) ? true : undefined,
  };
  await change(
    'unenroll factor',
    {
      method: 'DELETE',
      path: `${oktaPath('/api/v1/users/{userId}/factors/{factorId}', { userId: user.id, factorId: factor.id })}${queryString(query)}`,
    },
    () =>
      okta.sdk.userFactorApi.unenrollFactor({
        userId: user.id,
        factorId: factor.id,
        ...(query.removeRecoveryEnrollment ? { removeRecoveryEnrollment: true } : {}),
      }),
  );
  return {
    ...base,
    factorType: factor.factorType,
    factor,
    alsoRemoved: oktaVerifyCompanions(factor, factors),
    changed: true,
  };
});

/**
 * Okta: unenrolling the push or the signed_nonce (FastPass) factor also unenrolls the user's other Okta
 * Verify factors (its push, TOTP and signed_nonce). Okta Verify's factors are those with provider OKTA.
 */
function oktaVerifyCompanions(factor: Factor, all: readonly Factor[]): Factor[] {
  if (factor.factorType !== 'push' && factor.factorType !== 'signed_nonce') return [];
  const oktaVerifyTypes = ['push', 'signed_nonce', 'token:software:totp'];
  return all.filter(
    (other) =>
      other.id !== factor.id && other.provider === 'OKTA' && oktaVerifyTypes.includes(other.factorType),
  );
}
