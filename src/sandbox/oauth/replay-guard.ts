/**
 * Remembers the `jti` of every JWT accepted while that JWT could still be accepted, so the same one is
 * refused a second time: a client assertion (RFC 7523 3, Okta refuses a reused jti) and a DPoP proof
 * (RFC 9449 11.1). Entries go once their JWT would be refused anyway (expired, or its iat too old).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  /** Records the jti until `untilMs`; false when it was already used (the JWT must be refused). */
  firstUse(jti: string, untilMs: number): boolean {
    const now = Date.now();
    this.sweep(now);
    const known = this.seen.get(jti);
    if (known !== undefined && known > now) return false;
    this.seen.set(jti, untilMs);
    return true;
  }

  /** Drops expired entries at most once a second, so a busy token endpoint does not scan on each call. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1_000;
    for (const [jti, until] of this.seen) if (until <= now) this.seen.delete(jti);
  }
}
