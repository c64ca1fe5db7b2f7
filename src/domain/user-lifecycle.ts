/**
 * User lifecycle actions (activate, suspend, unlock, ...) share their shape: read the user, answer
 * "already as asked" without a request, refuse a status Okta would refuse with a message that names the
 * status and the action that helps, otherwise send Okta's lifecycle call as one change.
 */

import { ActionError, invalidInput } from '../errors/action-error.js';
import type { ActionHandler } from '../handler/define-action.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath, type QueryParams, queryString } from '../transport/paths.js';
import { applyOnce } from './create-once.js';
import { getUser, type OktaUserJson } from './users.js';

/**
 * Every status but DEPROVISIONED: Okta refuses any change to a deactivated user other than its lifecycle
 * (E0000038), so actions that change a user's profile, password or factors work only for these.
 */
export const NOT_DEACTIVATED: readonly string[] = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
];

/** What helps a user out of each status, for error messages. */
const WAY_OUT: Readonly<Record<string, string>> = {
  STAGED: 'activate-user first',
  PROVISIONED: 'the user has not finished activation yet; reactivate-user sends a new activation link',
  ACTIVE: 'it is already active',
  RECOVERY: 'the user is resetting their password; set-password or reactivate-user first',
  PASSWORD_EXPIRED: 'set-password first, or let the user change it at their next sign-in',
  LOCKED_OUT: 'unlock-user first',
  SUSPENDED: 'unsuspend-user first',
  DEPROVISIONED: 'activate-user first (it reactivates a deactivated user)',
};

/**
 * CONFLICT naming the user's status, what the action needs and the action that would help: by default
 * the way out of the user's status; `advice` when the action has its own (the way out would be wrong).
 */
export function userStatusConflict(
  user: OktaUserJson,
  actionKey: string,
  allowed: readonly string[],
  advice?: string,
): ActionError {
  const help = advice ?? WAY_OUT[user.status] ?? '';
  return new ActionError(
    'CONFLICT',
    `${user.profile.login} is ${user.status}; ${actionKey} works only for users who are ${allowed.join(' or ')}${help ? `: ${help}` : ''}. Nothing was changed.`,
    { retryable: false },
  );
}

export interface UserStatusChange {
  id: string;
  login: string;
  status: string;
  previousStatus: string;
  changed: boolean;
}

export interface LifecycleSpec<Input extends { user: string }> {
  /** The action's key, for messages. */
  actionKey: string;
  /** Okta's operation: the last segment of /api/v1/users/{id}/lifecycle/{operation}. */
  operation: string;
  /** Statuses Okta performs the operation from. */
  from: readonly string[];
  /** Statuses in which the user already is as asked: changed false, nothing sent. */
  alreadyDone: readonly string[];
  /** The user's status after the call (most lifecycle calls answer without the user). */
  resultStatus: (user: OktaUserJson, input: Input) => string;
  /** Query parameters of the call (sendEmail, ...). */
  query?: (input: Input) => QueryParams;
  /** The SDK call that performs it. */
  send: (okta: OktaContext, userId: string, input: Input) => Promise<unknown>;
}

export function userLifecycleHandler<Input extends { user: string }>(
  spec: LifecycleSpec<Input>,
): ActionHandler<Input, UserStatusChange> {
  return async ({ okta, input, change, settleLastChange }) => {
    const user = await getUser(okta, input.user);
    const before = { id: user.id, login: user.profile.login, previousStatus: user.status };
    if (spec.alreadyDone.includes(user.status)) return { ...before, status: user.status, changed: false };
    if (!spec.from.includes(user.status)) throw userStatusConflict(user, spec.actionKey, spec.from);
    const path = `${oktaPath('/api/v1/users/{id}/lifecycle/{operation}', { id: user.id, operation: spec.operation })}${queryString(spec.query?.(input))}`;
    const status = spec.resultStatus(user, input);
    // A lifecycle POST is not re-sent blindly: after an ambiguous failure the user's status says if it took.
    await applyOnce(
      { change, settleLastChange },
      {
        step: spec.operation.replace(/_/g, ' '),
        request: { method: 'POST', path },
        send: () => spec.send(okta, user.id, input),
        isDone: async () => (await getUser(okta, user.id)).status === status,
      },
    );
    return { ...before, status, changed: true };
  };
}

/**
 * How a secret Okta creates (activation link, reset link, temporary password) reaches someone. A secret
 * that is neither emailed by Okta nor returned would be created for nothing, so that input is refused.
 */
export function secretDelivery(
  emailed: boolean,
  reveal: boolean,
  sendEmailField = 'sendEmail',
): 'EMAILED' | 'RETURNED' {
  if (emailed) return 'EMAILED';
  if (reveal) return 'RETURNED';
  throw invalidInput(
    'revealSecret',
    `is false while ${sendEmailField} is false: Okta would create a secret that reaches no one. Set ${sendEmailField} to true to have Okta email it, or revealSecret to true to receive it in the output`,
  );
}
