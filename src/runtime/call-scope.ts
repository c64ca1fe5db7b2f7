/**
 * Per-execution state that the transport needs but the SDK cannot carry: the caller's cancel signal,
 * timeouts, and the request count and rate-limit reading that go into `meta`. SDK clients are shared by
 * every execution on the same connection, so this travels with the async call chain instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** When the current window resets, ISO 8601. */
  resetAt: string;
}

export interface TransportSettings {
  /** Longest wait for one HTTP response (headers and body). */
  requestTimeoutMs: number;
  /** How many times a 429 answer is retried after waiting for the reset. */
  rateLimitRetries: number;
  /** Longest single wait for a rate-limit reset; a longer one returns RATE_LIMITED at once. */
  maxRateLimitWaitMs: number;
}

export interface CallScope extends TransportSettings {
  signal: AbortSignal | undefined;
  requests: number;
  rateLimit: RateLimitReading | undefined;
  /** Set when a request was stopped by us, so the error mapper can say why. */
  abortReason: 'cancelled' | 'timeout' | undefined;
  /** A dry run: the transport refuses any request that could change Okta. */
  dryRun: boolean;
}

export const DEFAULT_TRANSPORT: TransportSettings = {
  requestTimeoutMs: 30_000,
  rateLimitRetries: 2,
  maxRateLimitWaitMs: 60_000,
};

const storage = new AsyncLocalStorage<CallScope>();

export function newCallScope(
  signal: AbortSignal | undefined,
  settings: Partial<TransportSettings> = {},
): CallScope {
  // Only the transport settings are taken: host options carry other things (allowLoopback, ...).
  return {
    requestTimeoutMs: settings.requestTimeoutMs ?? DEFAULT_TRANSPORT.requestTimeoutMs,
    rateLimitRetries: settings.rateLimitRetries ?? DEFAULT_TRANSPORT.rateLimitRetries,
    maxRateLimitWaitMs: settings.maxRateLimitWaitMs ?? DEFAULT_TRANSPORT.maxRateLimitWaitMs,
    signal,
    requests: 0,
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
