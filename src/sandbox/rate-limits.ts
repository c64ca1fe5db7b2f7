/**
 * Okta's rate limits: a budget of requests per minute for each endpoint, shared by every client of the
 * org, announced on every answer (X-Rate-Limit-Limit, -Remaining, -Reset in epoch seconds) and enforced
 * with 429 E0000047. A time scale compresses the minute (timeScale 60: a minute passes in one second) so a
 * test or benchmark can exhaust and refill budgets quickly.
 */
export interface RateLimitSettings {
  /** Requests per minute for each endpoint (operation). Default 600. */
  perMinute: number;
  /** Budgets of particular operations (by operationId), overriding perMinute. */
  perOperation: Record<string, number>;
  /** How many times faster than real time the minute passes. Default 1. */
  timeScale: number;
}

interface Window {
  start: number;
  used: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly settings: RateLimitSettings) {}

  take(operationId: string, now = Date.now()): RateLimitDecision {
    const limit = this.settings.perOperation[operationId] ?? this.settings.perMinute;
    const length = 60_000 / this.settings.timeScale;
    let window = this.windows.get(operationId);
    if (!window || now >= window.start + length) {
      window = { start: now - ((now - (window?.start ?? now)) % length), used: 0 };
      this.windows.set(operationId, window);
    }
    const allowed = window.used < limit;
    if (allowed) window.used += 1;
    return {
      allowed,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - window.used)),
        'x-rate-limit-reset': String(Math.ceil((window.start + length) / 1000)),
      },
    };
  }

  /** Changes one operation's budget (tests and drills tighten a single endpoint). */
  setLimit(operationId: string, perMinute: number): void {
    this.settings.perOperation[operationId] = perMinute;
    this.windows.delete(operationId);
  }

  reset(): void {
    this.windows.clear();
  }
}
