/**
 * How the org authorization server says no. The token endpoint answers `{ error, error_description }`
 * (RFC 6749 5.2) with 400, or 401 for a client that failed to authenticate, as Okta's OAuth description
 * documents. Protected resources (the Management API, /userinfo) answer with a `WWW-Authenticate`
 * challenge (RFC 6750 3, RFC 9449 7.1) in the form Okta sends it:
 *
 *   Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com",
 *     scope="okta.users.read", error="insufficient_scope", error_description="...", resource="/api/v1/users"
 *
 * and for a DPoP-bound token the same after `DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", `.
 */
import { SIGNING_ALGORITHMS } from './jose.js';

export class OAuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
    /** /userinfo documents its 401 and 403 without a body: the challenge header says it all. */
    readonly withBody = true,
  ) {
    super(`${status} ${error}: ${description}`);
  }

  body(): { error: string; error_description: string } | undefined {
    return this.withBody ? { error: this.error, error_description: this.description } : undefined;
  }
}

export const invalidRequest = (description: string) =>
  new OAuthHttpError(400, 'invalid_request', description);
export const invalidGrant = (description: string) => new OAuthHttpError(400, 'invalid_grant', description);
export const invalidScope = (description: string) => new OAuthHttpError(400, 'invalid_scope', description);
export const unauthorizedClient = (description: string) =>
  new OAuthHttpError(400, 'unauthorized_client', description);
export const invalidDpopProof = (description: string) =>
  new OAuthHttpError(400, 'invalid_dpop_proof', description);
/** RFC 6749 5.2: a client that failed to authenticate gets 401 (Okta's description documents it so). */
export const invalidClient = (description: string) => new OAuthHttpError(401, 'invalid_client', description);

/** RFC 9449 8: a proof without the server's current nonce; the nonce to use comes in DPoP-Nonce. */
export function useDpopNonce(nonce: string): OAuthHttpError {
  return new OAuthHttpError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', {
    'DPoP-Nonce': nonce,
  });
}

export interface Challenge {
  /** DPoP when the request presented (or should have presented) a DPoP-bound token. */
  scheme: 'Bearer' | 'DPoP';
  /** The org's URL, e.g. https://acme.okta.com. */
  orgUrl: string;
  /** The scopes the resource requires, when known. */
  scopes?: string[];
  error: string;
  description: string;
  /** The request's path, without query. */
  resource?: string;
}

/** The WWW-Authenticate value of a refused request to a protected resource, as Okta writes it. */
export function challengeHeader(challenge: Challenge): string {
  const quoted = (name: string, value: string) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
  const parameters = [
    ...(challenge.scheme === 'DPoP' ? [quoted('algs', SIGNING_ALGORITHMS.join(' '))] : []),
    quoted('authorization_uri', `${challenge.orgUrl}/oauth2/v1/authorize`),
    quoted('realm', challenge.orgUrl),
    ...(challenge.scopes && challenge.scopes.length > 0 ? [quoted('scope', challenge.scopes.join(' '))] : []),
    quoted('error', challenge.error),
    quoted('error_description', challenge.description),
    ...(challenge.resource ? [quoted('resource', challenge.resource)] : []),
  ];
  return `${challenge.scheme} ${parameters.join(', ')}`;
}
