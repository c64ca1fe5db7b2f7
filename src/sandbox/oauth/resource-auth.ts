/**
 * An access token presented to a protected resource (the Management API, /userinfo): `Authorization:
 * Bearer <token>`, or for a DPoP-bound token `Authorization: DPoP <token>` with a proof signed by the bound
 * key (RFC 9449 7). Refusals carry the WWW-Authenticate challenge Okta sends:
 *
 *   401 invalid_token        unknown, revoked or expired token
 *   400 invalid_dpop_proof   a bound token without a valid proof (Okta answers these with 400, not the
 *                            401 RFC 9449 7.1 shows: okta-sdk-nodejs#453, okta-sdk-python#541)
 *   403 insufficient_scope   the token holds none of the scopes the operation requires
 */

import type { AuthorizationServer } from './authorization-server.js';
import { DpopProofRefused, verifyDpopProof } from './dpop.js';
import { type Challenge, challengeHeader } from './errors.js';
import type { AccessTokenRecord } from './tokens.js';

export interface PresentedAccessToken {
  scheme: 'Bearer' | 'DPoP';
  token: string;
  /** The DPoP header, if any. */
  proof: string | string[] | undefined;
  method: string;
  /** The request's path, without query. */
  path: string;
  /** The origins the client may name the sandbox by in htu. */
  origins: readonly string[];
  orgUrl: string;
  /** The scopes the resource requires, named in the challenge. */
  requiredScopes: readonly string[];
}

export type ResourceError = 'invalid_token' | 'invalid_dpop_proof' | 'insufficient_scope';

export class ResourceRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly error: ResourceError,
    readonly description: string,
    /** The WWW-Authenticate value. */
    readonly challenge: string,
  ) {
    super(`${status} ${error}: ${description}`);
  }
}

/** The token's record when it may be used for this request; otherwise throws ResourceRefused. */
export function verifyPresentedToken(
  server: AuthorizationServer,
  presented: PresentedAccessToken,
): AccessTokenRecord {
  const record = server.tokens.accessToken(presented.token);
  const scheme = record?.boundThumbprint ? 'DPoP' : presented.scheme;
  const refuse = (status: 400 | 401, error: ResourceError, description: string) =>
    new ResourceRefused(status, error, description, challengeFor(presented, scheme, error, description));
  if (!record) throw refuse(401, 'invalid_token', 'The access token is invalid.');
  if (record.expiresAt <= Date.now()) throw refuse(401, 'invalid_token', 'The token has expired.');
  if (!record.boundThumbprint) {
    // RFC 9449 7.1: the DPoP scheme is for DPoP-bound tokens only.
    if (presented.scheme === 'DPoP')
      throw refuse(401, 'invalid_token', 'The access token is not DPoP-bound; send it as a Bearer token.');
    return record;
  }
  // RFC 9449 7.2: a bound token is worthless without the key, so it is never taken as a Bearer token.
  if (presented.scheme !== 'DPoP')
    throw refuse(
      400,
      'invalid_dpop_proof',
      'The access token is DPoP-bound; send it with the DPoP scheme and a DPoP proof.',
    );
  try {
    verifyDpopProof(
      presented.proof,
      {
        method: presented.method,
        urls: presented.origins.map((origin) => `${origin}${decodedPath(presented.path)}`),
        accessToken: presented.token,
        boundThumbprint: record.boundThumbprint,
      },
      server.replay,
    );
  } catch (error) {
    if (error instanceof DpopProofRefused) throw refuse(400, 'invalid_dpop_proof', error.description);
    throw error;
  }
  return record;
}

/** A refusal for a token that lacks the resource's scopes. */
export function insufficientScope(
  presented: PresentedAccessToken,
  record: AccessTokenRecord,
  description = 'The access token provided does not contain the required scopes.',
): ResourceRefused {
  const scheme = record.boundThumbprint ? 'DPoP' : presented.scheme;
  return new ResourceRefused(
    403,
    'insufficient_scope',
    description,
    challengeFor(presented, scheme, 'insufficient_scope', description),
  );
}

/**
 * Whether the granted scopes allow an operation that lists `required` (any one will do); Okta's
 * `okta.<resource>.manage` includes `okta.<resource>.read`. An operation that lists no OAuth scope is for
 * API tokens only.
 */
export function holdsOneOf(granted: readonly string[], required: readonly string[]): boolean {
  return required.some(
    (scope) =>
      granted.includes(scope) ||
      (scope.endsWith('.read') && granted.includes(`${scope.slice(0, -5)}.manage`)),
  );
}

/**
 * The path as Okta compares it with a proof's htu: percent-decoded. A proof whose htu keeps `%40` for an
 * `@` in the path is refused by Okta ("'htu' claim in the DPoP proof JWT is invalid.": okta-sdk-python#541,
 * okta-sdk-nodejs#521), so the sandbox refuses it too.
 */
export function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function challengeFor(
  presented: PresentedAccessToken,
  scheme: 'Bearer' | 'DPoP',
  error: ResourceError,
  description: string,
): string {
  const challenge: Challenge = {
    scheme,
    orgUrl: presented.orgUrl,
    scopes: [...presented.requiredScopes],
    error,
    description,
    resource: presented.path,
  };
  return challengeHeader(challenge);
}
