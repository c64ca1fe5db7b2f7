/**
 * Checks a DPoP proof (RFC 9449 4.3): the JWT a client sends in the DPoP header to show it holds the private
 * key a token is (or is to be) bound to. The token endpoint and the protected resources check the same
 * things, with two differences: the token endpoint wants its current nonce in the proof (Okta's does), and
 * a resource wants the proof to name the access token (`ath`) and to be signed by the token's key.
 */
import type { DpopNonce } from './dpop-nonce.js';
import {
  decodeJws,
  hasPrivateMembers,
  isSigningAlgorithm,
  jwkThumbprint,
  publicKeyOf,
  sha256Base64url,
  verifiesWith,
} from './jose.js';
import type { ReplayGuard } from './replay-guard.js';

/** How far a proof's iat may be from the server's clock, either way. */
export const PROOF_IAT_WINDOW_SECONDS = 60;

export class DpopProofRefused extends Error {
  constructor(
    readonly description: string,
    /** Only the nonce was missing or stale: the client should try again with the one it is given. */
    readonly needsNonce = false,
  ) {
    super(description);
  }
}

export interface ProofExpectations {
  /** The request's method (htm). */
  method: string;
  /** The htu values that name this request (scheme, host and path; no query or fragment). */
  urls: readonly string[];
  /** Token endpoint: the proof must carry this server's current (or previous) nonce. */
  nonce?: DpopNonce;
  /** Resource: the access token presented, which the proof's ath must hash. */
  accessToken?: string;
  /** Resource: the thumbprint of the key the token is bound to (its cnf.jkt). */
  boundThumbprint?: string;
}

export interface VerifiedProof {
  /** RFC 7638 thumbprint of the proof's key: what a token issued with this proof is bound to. */
  thumbprint: string;
}

/** The proof's key thumbprint when every check passes; otherwise throws DpopProofRefused. */
export function verifyDpopProof(
  header: string | string[] | undefined,
  expected: ProofExpectations,
  replay: ReplayGuard,
): VerifiedProof {
  if (header === undefined || header === '')
    throw new DpopProofRefused('The DPoP proof JWT header is missing.');
  // Node joins repeated headers with ", "; a JWT never holds a comma (RFC 9449 4.3: exactly one header).
  if (Array.isArray(header) || header.includes(','))
    throw new DpopProofRefused('Only one DPoP proof JWT header may be sent.');
  const proof = decodeJws(header.trim());
  if (!proof) throw new DpopProofRefused('DPoP proof JWT cannot be parsed.');
  const { header: joseHeader, claims } = proof;
  if (joseHeader.typ !== 'dpop+jwt')
    throw new DpopProofRefused("The DPoP proof JWT 'typ' header is invalid.");
  if (!isSigningAlgorithm(joseHeader.alg))
    throw new DpopProofRefused("The DPoP proof JWT 'alg' header is invalid.");
  const jwk = joseHeader.jwk as Record<string, unknown> | undefined;
  const thumbprint = jwk && typeof jwk === 'object' ? jwkThumbprint(jwk) : undefined;
  // The key must be public only (RFC 9449 4.3 step 7) and usable.
  if (!jwk || !thumbprint || hasPrivateMembers(jwk) || !publicKeyOf(jwk))
    throw new DpopProofRefused("The DPoP proof JWT 'jwk' header is invalid.");
  if (!verifiesWith(proof, jwk)) throw new DpopProofRefused('The DPoP proof JWT signature is invalid.');

  if (claims.htm !== expected.method.toUpperCase())
    throw new DpopProofRefused("'htm' claim in the DPoP proof JWT is invalid.");
  const htu = typeof claims.htu === 'string' ? claims.htu.replace(/[?#].*$/, '') : undefined;
  if (!htu || !expected.urls.includes(htu))
    throw new DpopProofRefused("'htu' claim in the DPoP proof JWT is invalid.");
  const now = Date.now() / 1000;
  if (typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > PROOF_IAT_WINDOW_SECONDS)
    throw new DpopProofRefused("'iat' claim in the DPoP proof JWT is invalid.");
  if (typeof claims.jti !== 'string' || claims.jti === '')
    throw new DpopProofRefused("'jti' claim in the DPoP proof JWT is invalid.");

  if (expected.accessToken !== undefined && claims.ath !== sha256Base64url(expected.accessToken))
    throw new DpopProofRefused("'ath' claim in the DPoP proof JWT is invalid.");
  if (expected.boundThumbprint !== undefined && thumbprint !== expected.boundThumbprint)
    throw new DpopProofRefused('The DPoP proof JWT key does not match the key the access token is bound to.');
  if (expected.nonce && !expected.nonce.accepts(claims.nonce))
    throw new DpopProofRefused('Authorization server requires nonce in DPoP proof.', true);

  // Last, so a proof refused for another reason can be fixed and sent again with the same jti.
  const until = (claims.iat + PROOF_IAT_WINDOW_SECONDS) * 1000;
  if (!replay.firstUse(`dpop:${claims.jti}`, until))
    throw new DpopProofRefused("'jti' claim in the DPoP proof JWT was already used.");
  return { thumbprint };
}
