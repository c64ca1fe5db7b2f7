/**
 * The governor's shared path: a request's slot and budget reserved in the host's RateLimitStore, so that a
 * fleet of processes spends one org's budget together. The store is never waited on for long: when it
 * fails or is slower than its timeoutMs, this process falls back to a local share of the budget (the
 * governor's own path, at the store's localShare), says so in the run's meta, and asks the store again a
 * second later. A store's answer can make a request wait (the budget or a 429 block, until the reset; a full
 * set of slots, briefly), within the run's maxWaitMs, deadline and cancel signal like any rate-limit wait.
 */
import { randomBytes } from 'node:crypto';
import type { HeaderSource } from '../http/rate-limit.js';
import type { CallScope } from './call-scope.js';
import type { RateLimitStore, Reservation, StoreReading } from './rate-limit-store.js';
import { pause, waitForBudgetOrGiveUp } from './rate-wait.js';

/** After a store failed, this process uses its local share this long before asking the store again. */
const RETRY_STORE_AFTER_MS = 1000;
/** How often to ask again for a slot when the fleet's are all taken (a lease frees one within a request's time). */
const SLOT_POLL_MS = 15;
/** A lease outlives its request's longest answer by this much before the store frees it on its own. */
const LEASE_MARGIN_MS = 5000;

/** Frees the lease and tells the store the answer's reading (headers undefined: no answer). */
export type Settle = (headers: HeaderSource | undefined, exhausted: boolean) => void;

/** When each store may be asked again, after it failed (per process: the store itself may be fine elsewhere). */
const unreachableUntil = new WeakMap<RateLimitStore, number>();
/** Lease ids: this process's random prefix and a counter (unique across the fleet, cheap per request). */
const PROCESS_PREFIX = randomBytes(6).toString('base64url');
let leases = 0;

/** The settle function of a reserved request, or undefined when the store cannot be used now (fall back). */
export async function acquireShared(
  store: RateLimitStore,
  org: string,
  family: string,
  scope: CallScope,
): Promise<Settle | undefined> {
  const lease = `${PROCESS_PREFIX}:${++leases}`;
  const request = {
    org,
    family,
    lease,
    maxConcurrency: scope.maxConcurrency,
    maxApiCapacity: scope.maxApiCapacity,
    leaseMs: scope.requestTimeoutMs + LEASE_MARGIN_MS,
  };
  for (;;) {
    if ((unreachableUntil.get(store) ?? 0) > Date.now()) {
      return fallBack(scope, 'the shared rate-limit store failed a moment ago');
    }
    let reservation: Reservation;
    try {
      reservation = await withinTimeout(store.reserve(request), store.timeoutMs);
    } catch (error) {
      unreachableUntil.set(store, Date.now() + RETRY_STORE_AFTER_MS);
      return fallBack(scope, `the shared rate-limit store ${describeFailure(error, store.timeoutMs)}`);
    }
    if (reservation.granted) {
      if (!scope.budget) scope.budget = { mode: 'shared' };
      return (headers, exhausted) => settle(store, { org, family, lease }, headers, exhausted);
    }
    if (reservation.reason === 'concurrency') await pause(SLOT_POLL_MS * (1 + Math.random()), scope);
    else await waitForBudgetOrGiveUp(reservation.waitMs, scope);
  }
}

function fallBack(scope: CallScope, reason: string): undefined {
  // Sticks for the run: one request paced locally is enough for the host to hear of it.
  scope.budget = { mode: 'local-share', reason };
  return undefined;
}

/**
 * Fire and forget: the run does not wait for it, and a lost settle only leaves a lease to expire. A failed
 * settle does not mark the store out of reach: the next reserve finds that out on its own (at once when
 * Redis is down), and a settle that was merely slow behind a busy event loop must not send the process to
 * its local share (bench/fleet.mjs saw 42 of 4,000 runs fall back so with Redis healthy).
 */
function settle(
  store: RateLimitStore,
  key: { org: string; family: string; lease: string },
  headers: HeaderSource | undefined,
  exhausted: boolean,
): void {
  const reading = headers ? readingOf(headers) : undefined;
  withinTimeout(store.settle({ ...key, reading, exhausted }), store.timeoutMs).catch(() => {});
}

/** Okta's reading with its reset measured from the answer's Date: the store puts it on its own clock. */
function readingOf(headers: HeaderSource): StoreReading | undefined {
  const [limit, remaining, reset] = ['limit', 'remaining', 'reset'].map((name) =>
    Number(headers.get(`x-rate-limit-${name}`) ?? Number.NaN),
  ) as [number, number, number];
  if (!(limit >= 0) || !(remaining >= 0) || !(reset > 0)) return undefined;
  const date = Date.parse(headers.get('date') ?? '');
  return { limit, remaining, resetInMs: reset * 1000 - (Number.isNaN(date) ? Date.now() : date) };
}

async function withinTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Rejected only after the event loop's next I/O phase: when the process itself was busy (loading the
    // SDK takes a synchronous second), the store's answer may be waiting in the socket, and timers run first.
    timer = setTimeout(() => setImmediate(() => reject(new StoreTimeout())), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class StoreTimeout extends Error {
  override name = 'StoreTimeout';
}

/** In words, without the store's own message (a connection string may hold a password). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof StoreTimeout) return `did not answer within ${timeoutMs} ms`;
  const code = (error as { code?: unknown })?.code;
  return `failed (${typeof code === 'string' ? code : ((error as Error)?.name ?? 'error')})`;
}
