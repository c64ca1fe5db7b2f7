/**
 * Failed sign-ins, for tests. The sandbox serves no sign-in page, yet triggers must see what a failed
 * sign-in leaves in the System Log: a `user.session.start` event with outcome FAILURE whose actor is the
 * user who tried (a sign-in has no requester but that user), and, once the failures in a row reach the
 * password policy's lockout threshold, the user LOCKED_OUT and a `user.account.lock` event. Unlocking
 * (unlockUser) sets the user ACTIVE again and starts the count again, as it does in Okta.
 */
import type { SandboxOrg } from '../../org.js';
import { findUser, setStatus, type UserStatus, userTarget } from '../users/model.js';
import { credentialsOf } from './model.js';

/**
 * The sandbox org's password policy locks a user out after this many failed sign-ins in a row (an Okta org
 * sets its own number in the lockout settings of its password policy; three keeps tests short).
 */
export const LOCKOUT_THRESHOLD = 3;

export interface FailedSignInResult {
  userId: string;
  /** The user's status afterwards. */
  status: UserStatus;
  /** Failed sign-ins in a row so far (since the user was created or last unlocked). */
  consecutiveFailures: number;
  /** Whether these failures locked the user out. */
  lockedOut: boolean;
}

/** Records `times` failed sign-ins of a user (by id or login); throws for a user the org does not have. */
export function simulateFailedSignIn(org: SandboxOrg, idOrLogin: string, times = 1): FailedSignInResult {
  const user = findUser(org, idOrLogin);
  if (!user) throw new Error(`simulateFailedSignIn: the org has no user ${idOrLogin}`);
  const failures = credentialsOf(org).failedSignIns;
  let lockedOut = false;
  for (let i = 0; i < times; i++) {
    const actor = userTarget(user);
    // A locked-out user's password is not even checked: Okta gives LOCKED_OUT as the reason instead.
    const reason = user.status === 'LOCKED_OUT' ? 'LOCKED_OUT' : 'INVALID_CREDENTIALS';
    org.log.recordEvent({
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      severity: 'WARN',
      actor,
      outcome: { result: 'FAILURE', reason },
    });
    if (user.status !== 'ACTIVE') continue;
    const count = (failures.get(user.id) ?? 0) + 1;
    failures.set(user.id, count);
    if (count < LOCKOUT_THRESHOLD) continue;
    setStatus(org, user, 'LOCKED_OUT');
    lockedOut = true;
    org.log.recordEvent({
      eventType: 'user.account.lock',
      displayMessage: 'Max sign in attempts exceeded',
      severity: 'WARN',
      actor,
      outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
    });
  }
  return {
    userId: user.id,
    status: user.status,
    consecutiveFailures: failures.get(user.id) ?? 0,
    lockedOut,
  };
}
