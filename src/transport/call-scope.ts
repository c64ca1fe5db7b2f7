/**
 * The one seam through which per-run state reaches the transport: the caller's cancel signal, the host's
 * limits (timeouts, waits, retries, concurrency), the dry-run guard, and what the run reports back (request
 * count, the last rate-limit reading). SDK clients are shared by every run on the same connection and the
 * SDK's request executor takes no per-call argument, so the scope travels with the async call chain
 * (AsyncLocalStorage): the runtime enters it (runInScope) and the guarded executor, only it, reads it
 * (currentScope), handing it on explicitly to the governor. Everything else a run needs is passed in
 * explicitly (a list's progress and a stream's page sink go through the Okta context, src/handler).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RateLimitReading } from '../http/rate-limit.js';
import type { RateLimitStore } from './rate-limit-store.js';

/** Limits the host chooses (HostOptions); every one has a default. */
export interface TransportSettings {
  /** Longest wait for one HTTP answer (headers and body). Default 30 s. */
  requestTimeoutMs: number;
  /** Longest a whole action may take, waits and retries included. Default 5 minutes. */
  actionTimeoutMs: number;
  /** Longest an action may wait, in all, for rate limits; past it: RATE_LIMITED with retryAfterMs. Default 60 s. */
  maxWaitMs: number;
  /** How often a read or another idempotent request is retried after a 5xx or network failure. Default 3. */
  maxRetries: number;
  /** Requests in flight at once to one org, across every connection and action of the process. Default 20. */
  maxConcurrency: number;
  /** The share (percent) of each rate-limit budget this process may use; the rest is left to other integrations. Default 100. */
  maxApiCapacity: number;
}

export const DEFAULT_TRANSPORT: TransportSettings = {
  requestTimeoutMs: 30_000,
  actionTimeoutMs: 300_000,
  maxWaitMs: 60_000,
  maxRetries: 3,
  maxConcurrency: 20,
  maxApiCapacity: 100,
};

/** Host settings the transport reads besides the numbers: where the org's rate-limit state is shared. */
export interface SharedSettings {
  /** Several processes share each org's budget through it (okta-actions/redis); default: this process alone. */
  rateLimitStore?: RateLimitStore;
}

/** How this run's requests were paced, when a store is configured. */
export interface BudgetReport {
  /** shared: through the store; local-share: it could not be reached, so a local share of the budget was used. */
  mode: 'shared' | 'local-share';
  /** Why the store was not used (local-share). */
  reason?: string;
}

export interface CallScope extends TransportSettings {
  rateLimitStore: RateLimitStore | undefined;
  /** Set by the governor when a store is configured; a fallback in any request of the run sticks. */
  budget: BudgetReport | undefined;
  signal: AbortSignal | undefined;
  /** When the action must be over (epoch ms). */
  deadline: number;
  requests: number;
  /** Time spent waiting for rate limits so far (bounded by maxWaitMs). */
  waitedMs: number;
  rateLimit: RateLimitReading | undefined;
  /** Set when a request was stopped by us, so the error mapper can say why. */
  abortReason: 'cancelled' | 'timeout' | 'deadline' | undefined;
  /** A dry run: the transport refuses any request that could change Okta. */
  dryRun: boolean;
}

const storage = new AsyncLocalStorage<CallScope>();

export function newCallScope(
  signal: AbortSignal | undefined,
  settings: Partial<TransportSettings> & SharedSettings = {},
): CallScope {
  // Only the transport settings are taken: host options carry other things (allowLoopback, ...). Spelled
  // out rather than spread: this runs for every execute(), and V8 builds a literal of fixed shape faster.
  const actionTimeoutMs = settings.actionTimeoutMs ?? DEFAULT_TRANSPORT.actionTimeoutMs;
  return {
    requestTimeoutMs: settings.requestTimeoutMs ?? DEFAULT_TRANSPORT.requestTimeoutMs,
    actionTimeoutMs,
    maxWaitMs: settings.maxWaitMs ?? DEFAULT_TRANSPORT.maxWaitMs,
    maxRetries: settings.maxRetries ?? DEFAULT_TRANSPORT.maxRetries,
    maxConcurrency: settings.maxConcurrency ?? DEFAULT_TRANSPORT.maxConcurrency,
    maxApiCapacity: settings.maxApiCapacity ?? DEFAULT_TRANSPORT.maxApiCapacity,
    rateLimitStore: settings.rateLimitStore,
    budget: undefined,
    signal,
    deadline: Date.now() + actionTimeoutMs,
    requests: 0,
    waitedMs: 0,
    rateLimit: undefined,
    abortReason: undefined,
    dryRun: false,
  };
}

export function runInScope<T>(scope: CallScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

/** The scope of the execution that issued the current request, or a default one for direct SDK use. */
export function currentScope(): CallScope {
  return storage.getStore() ?? newCallScope(undefined);
}

/**
 * Why the run can send nothing more: the host cancelled it, or it passed its deadline (the action
 * timeout). Undefined while requests may still go out.
 */
export function haltReason(
  scope: Pick<CallScope, 'signal' | 'deadline' | 'actionTimeoutMs'>,
): string | undefined {
  if (scope.signal?.aborted) return 'the run was cancelled first';
  if (Date.now() >= scope.deadline)
    return `the run passed its deadline first (the action timeout, ${Math.round(scope.actionTimeoutMs / 1000)} s)`;
  return undefined;
}
