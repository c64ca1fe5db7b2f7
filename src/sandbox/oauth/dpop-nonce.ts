/**
 * The token endpoint's DPoP nonce (RFC 9449 8): a value the server makes up and changes now and then, which
 * a proof must carry, so that proofs cannot be made ahead of time. Okta answers a proof without it with
 * `use_dpop_nonce` and the current value in a DPoP-Nonce header. After a change the previous value is
 * still accepted for a while, so requests already on their way do not fail.
 */
import { randomBytes } from 'node:crypto';

/** How long a nonce is the current one. */
const ROTATION_MS = 5 * 60_000;

export class DpopNonce {
  private current = newNonce();
  private previous: string | undefined;
  private changedAt = Date.now();

  /** The nonce a proof should carry now. */
  value(): string {
    const age = Date.now() - this.changedAt;
    if (age >= ROTATION_MS) this.rotate();
    // After a long quiet spell the previous nonce is as stale as the current one was.
    if (age >= 2 * ROTATION_MS) this.previous = undefined;
    return this.current;
  }

  /** The current nonce, or the one before it (for one more rotation period). */
  accepts(nonce: unknown): boolean {
    const current = this.value();
    return typeof nonce === 'string' && (nonce === current || nonce === this.previous);
  }

  /** Changes the nonce now (tests: a client must follow a new DPoP-Nonce). */
  rotate(): void {
    this.previous = this.current;
    this.current = newNonce();
    this.changedAt = Date.now();
  }
}

function newNonce(): string {
  return randomBytes(24).toString('base64url');
}
