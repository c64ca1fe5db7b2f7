/**
 * The single point every HTTP request to Okta passes through (SDK calls and raw JSON reads alike).
 *
 * It replaces the SDK's default executor, which retries only 429, waits without any upper bound and has no
 * timeout, with one that: refuses to send a request (and so the token) anywhere but the connection's own
 * origin; never follows redirects; applies the caller's cancel signal and a per-request timeout; retries
 * 429 after the reset Okta announces, but only while the wait is bounded; and records the request count
 * and the last rate-limit reading for `meta`.
 */
import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { RequestOptions } from '@okta/okta-sdk-nodejs/src/types/request-options.js';
import type { Response } from 'node-fetch';
import { ActionError } from '../errors/action-error.js';
import { type CallScope, currentScope } from '../runtime/call-scope.js';
import { readRateLimit, retryAfterMs } from './rate-limit.js';

type RequestExecutorClass = new () => RequestExecutor;

/** Up to this much random delay is added to a rate-limit wait, so waiting callers do not all return at once. */
const RATE_LIMIT_JITTER_MS = 250;

export function createGuardedExecutor(
  BaseExecutor: RequestExecutorClass,
  origin: string,
  agent: Agent,
): RequestExecutor {
  class GuardedRequestExecutor extends BaseExecutor {
    override async fetch(request: RequestOptions): Promise<Response> {
      const scope = currentScope();
      assertSameOrigin(request.url, origin);
      // The safety net under dry runs: whatever a handler does, nothing but reads leaves the process.
      if (scope.dryRun && String(request.method ?? 'GET').toUpperCase() !== 'GET') {
        throw new ActionError(
          'OUTPUT_CONTRACT',
          `A dry run tried to send ${String(request.method).toUpperCase()} ${safePath(request.url)}; it was not sent. This is a bug in okta-actions; please report it.`,
          { retryable: false },
        );
      }
      for (let attempt = 0; ; attempt++) {
        const response = await this.fetchOnce(request, scope);
        const reading = readRateLimit(response.headers);
        if (reading) scope.rateLimit = reading;
        if (response.status !== 429 || attempt >= scope.rateLimitRetries) return response;
        const waitMs = retryAfterMs(response.headers);
        // An unknown or too long wait is the caller's decision: hand back the 429 (RATE_LIMITED, retryAfterMs).
        if (waitMs === undefined || waitMs > scope.maxRateLimitWaitMs) return response;
        await response.arrayBuffer().catch(() => undefined); // frees the keep-alive socket
        await waitOrCancel(waitMs + Math.random() * RATE_LIMIT_JITTER_MS, scope);
      }
    }

    private async fetchOnce(request: RequestOptions, scope: CallScope): Promise<Response> {
      if (scope.signal?.aborted) throw cancelledError(scope);
      const timeout = AbortSignal.timeout(scope.requestTimeoutMs);
      const signal = scope.signal ? AbortSignal.any([scope.signal, timeout]) : timeout;
      // Registered before node-fetch's own listener, so the reason is known by the time its error surfaces
      // (also when the abort hits while the body is still being read, after this method returned).
      signal.addEventListener(
        'abort',
        () => {
          scope.abortReason ??= scope.signal?.aborted ? 'cancelled' : 'timeout';
        },
        { once: true },
      );
      scope.requests += 1;
      try {
        return await super.fetch({
          ...request,
          agent,
          // A redirect from an API endpoint means a wrong address, and following it could carry the token away.
          redirect: 'manual',
          signal: signal as RequestOptions['signal'],
          timeout: 0,
        });
      } catch (error) {
        if ((error as { name?: string }).name === 'AbortError') {
          throw scope.abortReason === 'cancelled' ? cancelledError(scope) : timeoutError(scope, request);
        }
        throw error;
      }
    }
  }
  return new GuardedRequestExecutor();
}

function assertSameOrigin(url: string | undefined, origin: string): void {
  let target: string | undefined;
  try {
    target = new URL(url ?? '').origin;
  } catch {
    target = undefined;
  }
  if (target !== origin) {
    throw new ActionError(
      'UPSTREAM',
      `Refused to send a request outside the connection's Okta org (${origin}); the credentials stay with that org.`,
      { retryable: false },
    );
  }
}

async function waitOrCancel(ms: number, scope: CallScope): Promise<void> {
  try {
    await sleep(ms, undefined, scope.signal ? { signal: scope.signal } : {});
  } catch {
    throw cancelledError(scope);
  }
}

function cancelledError(scope: CallScope): ActionError {
  scope.abortReason = 'cancelled';
  return new ActionError('CANCELLED', 'The run was cancelled before Okta answered.', { retryable: false });
}

function timeoutError(scope: CallScope, request: RequestOptions): ActionError {
  const seconds = Math.round(scope.requestTimeoutMs / 100) / 10;
  const path = safePath(request.url);
  return new ActionError(
    'TIMEOUT',
    `Okta did not answer ${String(request.method ?? 'GET').toUpperCase()} ${path} within ${seconds} s (request timeout). Okta may be slow or unreachable; try again later.`,
    { retryable: true },
  );
}

/** The path of a request URL without its query, which can hold search terms from the input. */
function safePath(url: string | undefined): string {
  try {
    return new URL(url ?? '').pathname;
  } catch {
    return '(unknown path)';
  }
}
