/**
 * Where an org's rate-limit state lives when several processes share it. Okta's budget belongs to the org,
 * so a fleet of workers that each keep their own governor each believe they own it all, and together they
 * earn 429 storms. A store (the host option `rateLimitStore`; `okta-actions/redis` makes one on Redis)
 * holds, per org and endpoint family, Okta's last reading and the requests on their way, and per org the
 * requests in flight as leases that expire, so that a worker that dies does not keep its slots.
 *
 * The governor asks the store before each request (reserve) and tells it the answer (settle). A store that
 * fails or is slow is not waited for: the governor falls back to a local share of the budget (see
 * governor.ts) and tries the store again a little later.
 */

/** Okta's reading from one answer, with its reset relative to the answer's own Date (so no clock is compared). */
export interface StoreReading {
  limit: number;
  remaining: number;
  /** Milliseconds from the answer's Date to Okta's reset. */
  resetInMs: number;
}

export interface ReserveRequest {
  /** The org: its origin, like https://acme.okta.com. */
  org: string;
  /** The endpoint family (governor.ts endpointFamily): each has its own budget at Okta. */
  family: string;
  /** A unique id for this request's lease. */
  lease: string;
  /** Requests in flight to the org at once, across the fleet. */
  maxConcurrency: number;
  /** The share (percent) of each budget the fleet may use; the rest is left to the org's other integrations. */
  maxApiCapacity: number;
  /** How long a lease holds a slot when nobody settles it (a worker died mid-request). */
  leaseMs: number;
}

export type Reservation =
  | { granted: true }
  | {
      granted: false;
      /** How long before asking again. */
      waitMs: number;
      /** budget: the window's budget is spent down to the reserved share; blocked: after a 429; concurrency: no free slot. */
      reason: 'budget' | 'blocked' | 'concurrency';
    };

export interface Settlement {
  org: string;
  family: string;
  lease: string;
  /** Undefined when the request got no answer (a network failure) or the answer carried no reading. */
  reading: StoreReading | undefined;
  /** The answer was a 429: the family is blocked for everyone until its reset. */
  exhausted: boolean;
}

export interface RateLimitStore {
  /** Reserves one request (a lease on a slot, counted against the family's budget), or says how long to wait. */
  reserve(request: ReserveRequest): Promise<Reservation>;
  /** Frees the lease and records what Okta answered. */
  settle(settlement: Settlement): Promise<void>;
  /**
   * The share of the budget (0 < share <= 1) this process may use on its own while the store cannot be
   * reached: about 1 / the number of processes sharing it, so that a fleet falling back does not storm.
   */
  readonly localShare: number;
  /** Longest wait for the store's answer before falling back (ms). */
  readonly timeoutMs: number;
}

/** True when the value has the shape of a RateLimitStore (host options are checked before use). */
export function isRateLimitStore(value: unknown): value is RateLimitStore {
  const store = value as Partial<RateLimitStore> | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.reserve === 'function' &&
    typeof store.settle === 'function' &&
    typeof store.localShare === 'number' &&
    store.localShare > 0 &&
    store.localShare <= 1 &&
    typeof store.timeoutMs === 'number' &&
    store.timeoutMs > 0
  );
}
