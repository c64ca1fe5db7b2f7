/**
 * Waiting for a rate limit, the same way whether the budget is this process's or a fleet's: with jitter,
 * within the run's maxWaitMs and deadline (past them: RATE_LIMITED with retryAfterMs, for the caller to
 * decide), and never past its cancel signal.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionError } from '../errors/action-error.js';
import type { CallScope } from './call-scope.js';

/** Random extra wait after a reset, so callers released together do not all arrive in the same instant. */
export const JITTER_MS = 250;
/** Okta's reset is in whole seconds of its own clock; waiting a second more avoids arriving just before it. */
export const RESET_MARGIN_MS = 1000;

/** Waits `wait` ms (and jitter) for a budget to come back, or throws RATE_LIMITED when the run cannot wait that long. */
export async function waitForBudgetOrGiveUp(wait: number, scope: CallScope): Promise<void> {
  const jittered = wait + Math.random() * JITTER_MS;
  const budget = Math.min(scope.maxWaitMs - scope.waitedMs, scope.deadline - Date.now());
  if (jittered > budget) {
    throw new ActionError(
      'RATE_LIMITED',
      `Okta's rate limit for this kind of request is used up, or nearly, for ${Math.ceil(wait / 1000)} s more; waiting that long would pass this run's limit of ${Math.round(scope.maxWaitMs / 1000)} s of waiting. The limit is shared by every integration of the org; try again later.`,
      { retryable: true, retryAfterMs: Math.ceil(wait) },
    );
  }
  await pause(jittered, scope);
  scope.waitedMs += jittered;
}

/** Sleeps, unless the caller cancels first. */
export async function pause(ms: number, scope: Pick<CallScope, 'signal' | 'abortReason'>): Promise<void> {
  try {
    await sleep(ms, undefined, scope.signal ? { signal: scope.signal } : {});
  } catch {
    scope.abortReason = 'cancelled';
    throw cancelledWhileWaiting();
  }
}

export function cancelledWhileWaiting(): ActionError {
  return new ActionError('CANCELLED', 'The run was cancelled while it waited.', { retryable: false });
}
