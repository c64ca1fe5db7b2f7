/** Reading Okta's rate-limit headers (X-Rate-Limit-Limit/-Remaining/-Reset, with the response Date). */

export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** When the current window resets, ISO 8601. */
  resetAt: string;
}

export interface HeaderSource {
  get(name: string): string | null;
}

export function readRateLimit(headers: HeaderSource): RateLimitReading | undefined {
  const limit = Number(headers.get('x-rate-limit-limit'));
  const remaining = Number(headers.get('x-rate-limit-remaining'));
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (
    !headers.get('x-rate-limit-limit') ||
    !Number.isFinite(limit) ||
    !Number.isFinite(remaining) ||
    !reset
  ) {
    return undefined;
  }
  if (reset !== lastReset) {
    // Every answer of a window carries the same reset: its ISO form is made once per window.
    lastReset = reset;
    lastResetAt = new Date(reset * 1000).toISOString();
  }
  return { limit, remaining, resetAt: lastResetAt };
}

let lastReset = Number.NaN;
let lastResetAt = '';

/**
 * How long to wait before the window resets. Okta's reset is in its own clock, so the wait is computed
 * against the response's Date header (not ours), plus one second for sub-second differences.
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (reset > 0) {
    const date = Date.parse(headers.get('date') ?? '');
    const serverNow = Number.isNaN(date) ? now : date;
    return Math.max(0, reset * 1000 - serverNow) + 1000;
  }
  const retryAfter = Number(headers.get('retry-after'));
  return retryAfter > 0 ? retryAfter * 1000 : undefined;
}
