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
 *
 * With a shared store (the host option rateLimitStore), the budget and the slots are the fleet's, held in
 * the store (shared-budget.ts); this governor still takes in every reading, so that when the store cannot
 * be reached it carries on alone with a local share of the budget.
 */
import type { HeaderSource } from '../http/rate-limit.js';
import type { CallScope } from './call-scope.js';
import { cancelledWhileWaiting, RESET_MARGIN_MS, waitForBudgetOrGiveUp } from './rate-wait.js';
import { acquireShared } from './shared-budget.js';

interface Bucket {
  limit: number;
  remaining: number;
  /** When the window resets, on this process's clock (epoch ms). */
  resetAt: number;
  /** Requests sent since the reading that have not answered yet: they will spend the budget too. */
  pending: number;
  /** Requests this process sent in the window ending at `resetAt` (for a local share of the budget). */
  sentInWindow: number;
}

/** A request's place in the governor: its answer, or its failure, frees it. */
export interface Permit {
  /** The answer came: its reading is taken (a 429 blocks the family until its reset) and the slot freed. */
  answered(headers: HeaderSource, status: number): void;
  /** No answer (a network failure, a timeout): the slot is freed. */
  failed(): void;
}

export class OrgGovernor {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly origin: string) {}

  /**
   * Waits until a request of this family may go: a free slot under the concurrency limit and budget left
   * beyond the reserved share, in the shared store when the host gave one and it answers, else here.
   */
  async acquire(family: string, scope: CallScope): Promise<Permit> {
    const store = scope.rateLimitStore;
    if (store) {
      const settle = await acquireShared(store, this.origin, family, scope);
      if (settle) {
        return {
          answered: (headers, status) => {
            this.observe(family, headers);
            if (status === 429) this.exhausted(family, headers);
            settle(headers, status === 429);
          },
          failed: () => settle(undefined, false),
        };
      }
    }
    const release = await this.acquireLocal(family, scope, store?.localShare ?? 1);
    return {
      answered: (headers, status) => {
        release();
        this.observe(family, headers);
        if (status === 429) this.exhausted(family, headers);
      },
      failed: release,
    };
  }

  /** A slot and budget in this process alone (with `share` of the budget when a fleet falls back to it). */
  private async acquireLocal(family: string, scope: CallScope, share: number): Promise<() => void> {
    await this.waitForBudget(family, scope, share);
    await this.waitForSlot(scope, share);
    let bucket = this.buckets.get(family);
    if (!bucket) {
      // No reading yet: a placeholder that counts requests on their way until the first answer fills it.
      bucket = { limit: 0, remaining: 0, resetAt: 0, pending: 0, sentInWindow: 0 };
      this.buckets.set(family, bucket);
    }
    bucket.pending += 1;
    bucket.sentInWindow += 1;
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
    const bucket = this.buckets.get(family) ?? { limit, remaining, resetAt: 0, pending: 0, sentInWindow: 0 };
    const resetAt = reset * 1000 + offset;
    // A new window (a reset more than a second later: Okta's resets are whole seconds) starts a new count.
    if (resetAt > bucket.resetAt + RESET_MARGIN_MS) bucket.sentInWindow = bucket.pending;
    Object.assign(bucket, { limit, remaining, resetAt });
    this.buckets.set(family, bucket);
  }

  /** After a 429: nothing more of this family until the announced reset. */
  exhausted(family: string, headers: HeaderSource): void {
    this.observe(family, headers);
    const bucket = this.buckets.get(family);
    if (bucket) bucket.remaining = 0;
  }

  /**
   * Milliseconds until this family may send again (0 when it may now). With a share below 1 (a fleet whose
   * store is out of reach), this process also stops at its share of the window's usable budget.
   */
  waitFor(family: string, scope: Pick<CallScope, 'maxApiCapacity'>, share = 1): number {
    const bucket = this.buckets.get(family);
    if (!bucket) return 0;
    const now = Date.now();
    // The window counts as over only a margin after Okta's reset, which is in whole seconds of its clock.
    const over = bucket.resetAt + RESET_MARGIN_MS;
    if (now >= over) return 0;
    const capacity = Math.min(100, Math.max(1, scope.maxApiCapacity)) / 100;
    const reserved = Math.floor(bucket.limit * (1 - capacity));
    const left = bucket.remaining - bucket.pending;
    if (left <= reserved) return over - now;
    if (share < 1 && bucket.sentInWindow >= Math.max(1, Math.floor(bucket.limit * capacity * share)))
      return over - now;
    return 0;
  }

  private async waitForBudget(family: string, scope: CallScope, share: number): Promise<void> {
    for (let wait = this.waitFor(family, scope, share); wait > 0; wait = this.waitFor(family, scope, share)) {
      await waitForBudgetOrGiveUp(wait, scope);
    }
  }

  /** Nothing in flight or waiting, and every reading's window over: forgetting it loses nothing. */
  isIdle(now = Date.now()): boolean {
    if (this.inFlight > 0 || this.waiting.length > 0) return false;
    for (const bucket of this.buckets.values()) if (bucket.resetAt + RESET_MARGIN_MS > now) return false;
    return true;
  }

  private async waitForSlot(scope: CallScope, share: number): Promise<void> {
    while (this.inFlight >= Math.max(1, Math.floor(scope.maxConcurrency * share))) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(cancelledWhileWaiting());
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

export { pause } from './rate-wait.js';

const governors = new Map<string, OrgGovernor>();
/** Past this many orgs, idle governors are forgotten: a host serving ever new orgs must not grow forever. */
const PRUNE_ABOVE = 256;

/** The process's governor for an org (by origin), shared by every connection to that org. */
export function governorFor(origin: string): OrgGovernor {
  let governor = governors.get(origin);
  if (!governor) {
    if (governors.size >= PRUNE_ABOVE) pruneIdleGovernors();
    governor = new OrgGovernor(origin);
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
