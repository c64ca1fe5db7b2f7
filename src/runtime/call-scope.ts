/**
 * Per-execution state that the transport needs but the SDK cannot carry: the caller's cancel signal, the
 * host's limits (timeouts, waits, retries, concurrency), and what goes into `meta` and into messages
 * (request count, last rate-limit reading, how far a list got). SDK clients are shared by every execution
 * on the same connection, so this travels with the async call chain instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** When the current window resets, ISO 8601. */
  resetAt: string;
}

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

/** Where a streamed list's pages go; `take` settles when the consumer is ready for another page. */
export interface PageSink {
  take(items: unknown[]): Promise<void>;
  /** The most items to stream; undefined: the whole list. */
  maxItems: number | undefined;
}

export interface CallScope extends TransportSettings {
  signal: AbortSignal | undefined;
  /** When the action must be over (epoch ms). */
  deadline: number;
  requests: number;
  /** Time spent waiting for rate limits so far (bounded by maxWaitMs). */
  waitedMs: number;
  rateLimit: RateLimitReading | undefined;
  /** How far lists got: for CANCELLED, TIMEOUT and failures on a later page. */
  progress: { pages: number; items: number };
  /**
   * Set by stream(): the action's list hands each page here as it arrives, instead of collecting the
   * whole list in memory.
   */
  pageSink?: PageSink;
  /** Set when a request was stopped by us, so the error mapper can say why. */
  abortReason: 'cancelled' | 'timeout' | 'deadline' | undefined;
  /** A dry run: the transport refuses any request that could change Okta. */
  dryRun: boolean;
}

const storage = new AsyncLocalStorage<CallScope>();

export function newCallScope(
  signal: AbortSignal | undefined,
  settings: Partial<TransportSettings> = {},
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
    signal,
    deadline: Date.now() + actionTimeoutMs,
    requests: 0,
    waitedMs: 0,
    rateLimit: undefined,
    progress: { pages: 0, items: 0 },
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

/** "3 pages (600 items)": how far a list got, for messages; '' when no list was read. */
export function describeProgress(scope: Pick<CallScope, 'progress'>): string {
  const { pages, items } = scope.progress;
  if (pages === 0) return '';
  return `${pages} page${pages === 1 ? '' : 's'} (${items} item${items === 1 ? '' : 's'})`;
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
