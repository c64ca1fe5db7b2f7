/** Users as Okta's JSON writes them, with the links their status allows. */
import type { SandboxOrg } from '../../org.js';
import { link, type RouteContext } from '../../route.js';
import { userSchemaIdOf } from '../user-schema.js';
import { CAN_SIGN_IN, type UserRecord, userHooks } from './model.js';

/**
 * Okta's `okta-response` parameter of the Content-Type header on user reads: `omitCredentials` leaves
 * the credentials object out. (The sandbox sends no credential-operation links, so `omitCredentialsLinks`
 * has nothing to remove.)
 */
export function omitsCredentials(headers: RouteContext['headers']): boolean {
  const contentType = String(headers['content-type'] ?? '');
  const omissions = /okta-response="?([^";]*)/i.exec(contentType)?.[1] ?? '';
  return omissions.split(',').some((token) => token.trim() === 'omitCredentials');
}

export function userJson(
  org: SandboxOrg,
  user: UserRecord,
  { omitCredentials = false } = {},
): Record<string, unknown> {
  const { password, recoveryQuestion, ...visible } = user;
  return {
    ...visible,
    ...(omitCredentials
      ? {}
      : {
          credentials: {
            ...(password !== undefined ? { password: {} } : {}),
            ...(recoveryQuestion ? { recovery_question: { question: recoveryQuestion } } : {}),
            provider: { type: 'OKTA', name: 'OKTA' },
          },
        }),
    _links: userLinks(org, user),
  };
}

/**
 * The links of a user, as Okta's Users API gives them: self, type and schema, and one for each lifecycle or
 * credential operation the user's status allows (Okta: "link relations available for the current status of
 * a user"), those with the method to call them by. The statuses follow the sandbox's own lifecycle rules.
 */
function userLinks(org: SandboxOrg, user: UserRecord): Record<string, unknown> {
  const users = `/api/v1/users/${user.id}`;
  const post = (path: string) => ({ href: `${org.baseUrl}${users}${path}`, method: 'POST' });
  const { status } = user;
  const signsIn = CAN_SIGN_IN.includes(status);
  const hasPassword = user.password !== undefined;
  return {
    self: link(org, users),
    type: link(org, `/api/v1/meta/types/user/${user.type.id}`),
    schema: link(org, `/api/v1/meta/schemas/user/${userSchemaIdOf(user.type.id)}`),
    ...(status === 'STAGED' || status === 'DEPROVISIONED' ? { activate: post('/lifecycle/activate') } : {}),
    ...(status === 'PROVISIONED' ? { reactivate: post('/lifecycle/reactivate') } : {}),
    ...(status === 'ACTIVE' ? { suspend: post('/lifecycle/suspend') } : {}),
    ...(status === 'SUSPENDED' ? { unsuspend: post('/lifecycle/unsuspend') } : {}),
    ...(status === 'LOCKED_OUT' ? { unlock: post('/lifecycle/unlock') } : {}),
    ...(signsIn || status === 'PROVISIONED' ? { resetPassword: post('/lifecycle/reset_password') } : {}),
    ...(signsIn ? { expirePassword: post('/lifecycle/expire_password') } : {}),
    // Only while a factor is enrolled, as in Okta's examples of active users with and without one.
    ...(signsIn && userHooks.hasFactors(org, user) ? { resetFactors: post('/lifecycle/reset_factors') } : {}),
    ...(signsIn && hasPassword
      ? {
          forgotPassword: post('/credentials/forgot_password'),
          changePassword: post('/credentials/change_password'),
          changeRecoveryQuestion: post('/credentials/change_recovery_question'),
        }
      : {}),
    ...(status !== 'DEPROVISIONED' ? { deactivate: post('/lifecycle/deactivate') } : {}),
  };
}
