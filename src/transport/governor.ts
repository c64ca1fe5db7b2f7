/**
 * The per-org rate-limit governor. Okta's limits belong to the org, shared by every integration and by
 * every connection of this process that talks to it, so there is one governor per org origin for the
 * whole process. For each endpoint family it keeps Okta's last reading (X-Rate-Limit-Limit, -Remaining,
 * -Reset, read against the answer's Date) and:
 *   - holds requests in flight to the org under `maxConcurrency`, well below Okta's ~75;
 *   - paces: when the budget left (minus requests already on their way) falls to the share reserved for
 *     the org's other integrations (`maxApiCapacity`), requests wait for the reset instead of spending it;
 *   - after a 429, holds the family until the reset Okta announced (plus a second and some jitter).
 * Every wait is bounded by the action's `maxWaitMs` and deadline, and by its cancel signal: past them the
 * action gets RATE_LIMITED with retryAfterMs, or CANCELLED, never an open-ended wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionError } from '../errors/action-error.js';
import type { HeaderSource } from '../http/rate-limit.js';
import type { CallScope } from './call-scope.js';

/** Random extra wait after a reset, so callers released together do not all arrive in the same instant. */
const JITTER_MS = 250;
/** Okta's reset is in whole seconds of its own clock; waiting a second more avoids arriving just before it. */
const RESET_MARGIN_MS = 1000;

interface Bucket {
  limit: number;
  remaining: number;
  /** When the window resets, on this process's clock (epoch ms). */
  resetAt: number;
  /** Requests sent since the reading that have not answered yet: they will spend the budget too. */
  pending: number;
}

export class OrgGovernor {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Waits until a request of this family may go: a free slot under the concurrency limit and budget left
   * beyond the reserved share. Resolves to the function that releases the slot.
   */
  async acquire(family: string, scope: CallScope): Promise<() => void> {
    await this.waitForBudget(family, scope);
    await this.waitForSlot(scope);
    let bucket = this.buckets.get(family);
    if (!bucket) {
      // No reading yet: a placeholder that counts requests on their way until the first answer fills it.
      bucket = { limit: 0, remaining: 0, resetAt: 0, pending: 0 };
      this.buckets.set(family, bucket);
    }
    bucket.pending += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (bucket.pending > 0) bucket.pending -= 1;
      this.inFlight -= 1;
      this.waiting.shift()?.();
    };
  }

  /** Takes in Okta's reading from an answer of this family. */
  observe(family: string, headers: HeaderSource): void {
    const [limitText, remainingText, resetText] = ['limit', 'remaining', 'reset'].map((name) =>
      headers.get(`x-rate-limit-${name}`),
    );
    if (limitText == null || remainingText == null || resetText == null) return; // no reading in this answer
    const limit = Number(limitText);
    const remaining = Number(remainingText);
    const reset = Number(resetText);
    // A limit of 0 is a reading too (nothing may be sent until the reset), not a missing one.
    if (!(limit >= 0) || !(remaining >= 0) || !(reset > 0)) return;
    // The reset is on Okta's clock: convert it with the answer's Date, which is on the same clock.
    const serverNow = Date.parse(headers.get('date') ?? '');
    const offset = Number.isNaN(serverNow) ? 0 : Date.now() - serverNow;
    // Updated in place: requests on their way hold this object to count themselves out when they answer.
    const bucket = this.buckets.get(family) ?? { limit, remaining, resetAt: 0, pending: 0 };
    Object.assign(bucket, { limit, remaining, resetAt: reset * 1000 + offset });
    this.buckets.set(family, bucket);
  }

  /** After a 429: nothing more of this family until the announced reset. */
  exhausted(family: string, headers: HeaderSource): void {
    this.observe(family, headers);
    const bucket = this.buckets.get(family);
    if (bucket) bucket.remaining = 0;
  }

  /** Milliseconds until this family may send again (0 when it may now). */
  waitFor(family: string, scope: Pick<CallScope, 'maxApiCapacity'>): number {
    const bucket = this.buckets.get(family);
    if (!bucket) return 0;
    const now = Date.now();
    // The window counts as over only a margin after Okta's reset, which is in whole seconds of its clock.
    const over = bucket.resetAt + RESET_MARGIN_MS;
    if (now >= over) return 0;
    const reserved = Math.floor(bucket.limit * (1 - Math.min(100, Math.max(1, scope.maxApiCapacity)) / 100));
    const left = bucket.remaining - bucket.pending;
    return left > reserved ? 0 : over - now;
  }

  private async waitForBudget(family: string, scope: CallScope): Promise<void> {
    for (let wait = this.waitFor(family, scope); wait > 0; wait = this.waitFor(family, scope)) {
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
  }

  /** Nothing in flight or waiting, and every reading's window over: forgetting it loses nothing. */
  isIdle(now = Date.now()): boolean {
    if (this.inFlight > 0 || this.waiting.length > 0) return false;
    for (const bucket of this.buckets.values()) if (bucket.resetAt + RESET_MARGIN_MS > now) return false;
    return true;
  }

  private async waitForSlot(scope: CallScope): Promise<void> {
    while (this.inFlight >= Math.max(1, scope.maxConcurrency)) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(cancelled());
        scope.signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(() => {
          scope.signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.inFlight += 1;
  }
}

/** Sleeps, unless the caller cancels first. */
export async function pause(ms: number, scope: Pick<CallScope, 'signal' | 'abortReason'>): Promise<void> {
  try {
    await sleep(ms, undefined, scope.signal ? { signal: scope.signal } : {});
  } catch {
    scope.abortReason = 'cancelled';
    throw cancelled();
  }
}

function cancelled(): ActionError {
  return new ActionError('CANCELLED', 'The run was cancelled while it waited.', { retryable: false });
}

const governors = new Map<string, OrgGovernor>();
/** Past this many orgs, idle governors are forgotten: a host serving ever new orgs must not grow forever. */
const PRUNE_ABOVE = 256;

/** The process's governor for an org (by origin), shared by every connection to that org. */
export function governorFor(origin: string): OrgGovernor {
  let governor = governors.get(origin);
  if (!governor) {
    if (governors.size >= PRUNE_ABOVE) pruneIdleGovernors();
    governor = new OrgGovernor();
    governors.set(origin, governor);
  }
  return governor;
}

function pruneIdleGovernors(): void {
  const now = Date.now();
  for (const [origin, governor] of governors) if (governor.isIdle(now)) governors.delete(origin);
}

/** Orgs with a governor (for tests and benchmarks). */
export function governorCount(): number {
  return governors.size;
}

/**
 * The endpoint family a request belongs to, for its rate-limit budget: the method and the path with ids,
 * logins and other values replaced (Okta budgets /api/v1/users/{id} as one endpoint, not one per user).
 */
export function endpointFamily(method: string, url: string): string {
  const path = new URL(url).pathname
    .split('/')
    .map((segment, index) =>
      index <= 3 && !/^[0-9A-Za-z]{20}$/.test(segment) && !segment.includes('%') && !segment.includes('@')
        ? segment
        : /^(lifecycle|users|groups|apps|roles|factors|sessions|grants|devices|rules)$/.test(segment)
          ? segment
          : '{}',
    )
    .join('/');
  return `${method.toUpperCase()} ${path}`;
}

/** Forgets every org's readings (tests start each case from a clean slate; a host never needs it). */
export function forgetGovernors(): void {
  governors.clear();
}
