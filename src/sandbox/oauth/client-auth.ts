/**
 * Who is asking at the token endpoint (RFC 6749 2.3): a confidential client with its secret in an HTTP
 * Basic header (client_secret_basic), one with a JWT signed by its private key (private_key_jwt, RFC 7523
 * 2.2 and 3), or a public client that only names itself (none). Exactly one method per request, and it
 * must be the one the client is registered with, as Okta checks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { OAuthClient } from './clients.js';
import { invalidClient, invalidRequest } from './errors.js';
import { decodeJws, isSigningAlgorithm, verifiesWith } from './jose.js';
import type { ReplayGuard } from './replay-guard.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Okta refuses a client assertion that expires more than an hour after it was issued. */
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
/** Clocks differ a little; an assertion issued a moment "in the future" is still taken. */
const CLOCK_SKEW_SECONDS = 60;

export type ClientAuthScheme = 'Basic' | 'client_assertion' | 'none';

export interface AuthenticatedClient {
  client: OAuthClient;
  scheme: ClientAuthScheme;
  /** What proved it (the secret or the assertion), for the served record's hash; never logged. */
  credential: string | undefined;
}

export interface ClientAuthRequest {
  form: URLSearchParams;
  authorization: string | undefined;
  findClient: (clientId: string) => OAuthClient | undefined;
  /** The token endpoint's URLs as the client may name them in `aud`. */
  tokenUrls: readonly string[];
  replay: ReplayGuard;
}

export function authenticateClient(request: ClientAuthRequest): AuthenticatedClient {
  const { form } = request;
  const basic = /^Basic\s+(.+)$/i.exec(request.authorization ?? '')?.[1];
  const assertion = form.get('client_assertion') ?? undefined;
  const assertionType = form.get('client_assertion_type') ?? undefined;
  const postedSecret = form.get('client_secret') ?? undefined;
  const ways = [basic, assertion ?? assertionType, postedSecret].filter((way) => way !== undefined);
  if (ways.length > 1) {
    throw invalidRequest(
      "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.",
    );
  }
  const namedId = form.get('client_id') ?? undefined;
  if (basic !== undefined) return withSecret(request, basic, namedId);
  if (assertion !== undefined || assertionType !== undefined)
    return withAssertion(request, assertion, assertionType, namedId);
  if (postedSecret !== undefined) {
    // client_secret_post is an app setting of its own; the sandbox's apps use the Basic header.
    const client = known(request, namedId);
    throw invalidClient(
      `Client authentication failed: the client ${client.clientId} is not configured for client_secret_post.`,
    );
  }
  if (namedId === undefined) throw invalidClient('No client credentials found');
  const client = known(request, namedId);
  if (client.tokenEndpointAuthMethod !== 'none') {
    throw invalidClient(
      `Client authentication failed: the client must authenticate with ${client.tokenEndpointAuthMethod}.`,
    );
  }
  return { client, scheme: 'none', credential: undefined };
}

function known(request: ClientAuthRequest, clientId: string | undefined): OAuthClient {
  const client = clientId ? request.findClient(clientId) : undefined;
  if (!client) throw invalidClient('Invalid value for the `client_id` parameter');
  return client;
}

/** RFC 6749 2.3.1: base64 of the form-encoded id, a colon, and the form-encoded secret. */
function withSecret(request: ClientAuthRequest, encoded: string, namedId: string | undefined) {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw invalidClient('The client credentials in the Authorization header are malformed.');
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined)
    throw invalidClient('The client credentials in the Authorization header are malformed.');
  const client = known(request, clientId);
  if (namedId !== undefined && namedId !== clientId)
    throw invalidClient('The client_id parameter does not match the client in the Authorization header.');
  if (client.tokenEndpointAuthMethod !== 'client_secret_basic') {
    throw invalidClient(
      `Client authentication failed: the client must authenticate with ${client.tokenEndpointAuthMethod}.`,
    );
  }
  if (!sameSecret(secret, client.clientSecret ?? ''))
    throw invalidClient('The client secret supplied for a confidential client is invalid.');
  return { client, scheme: 'Basic' as const, credential: secret };
}

/** Compares hashes in constant time, so the answer's timing says nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected)) && expected !== '';
}

/** RFC 7523 3: the assertion names the client (iss = sub), the token endpoint (aud), and expires soon. */
function withAssertion(
  request: ClientAuthRequest,
  assertion: string | undefined,
  assertionType: string | undefined,
  namedId: string | undefined,
) {
  if (assertionType !== JWT_BEARER_ASSERTION) throw invalidRequest('The `client_assertion_type` is invalid.');
  if (!assertion) throw invalidRequest('The `client_assertion` parameter is required.');
  const jwt = decodeJws(assertion);
  if (!jwt) throw invalidClient('The parsing of the client_assertion failed.');
  const { header, claims } = jwt;
  const client = known(request, typeof claims.sub === 'string' ? claims.sub : undefined);
  if (claims.iss !== claims.sub)
    throw invalidClient('The issuer and the subject of the client_assertion must both be the client_id.');
  if (namedId !== undefined && namedId !== client.clientId)
    throw invalidClient('The client_id parameter does not match the subject of the client_assertion.');
  if (client.tokenEndpointAuthMethod !== 'private_key_jwt') {
    throw invalidClient(
      `Client authentication failed: the client must authenticate with ${client.tokenEndpointAuthMethod}.`,
    );
  }
  if (!isSigningAlgorithm(header.alg))
    throw invalidClient(`The client_assertion signing algorithm ${String(header.alg)} is not supported.`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && request.tokenUrls.includes(aud)))
    throw invalidClient(
      'The audience claim for client_assertion must be the endpoint invoked for the request.',
    );

  // The kid picks the key when the header has one; otherwise any registered key may have signed it.
  const keys =
    typeof header.kid === 'string' ? client.jwks.filter((key) => key.kid === header.kid) : client.jwks;
  if (keys.length === 0)
    throw invalidClient(`No key with the kid "${String(header.kid)}" is registered for the client.`);
  if (!keys.some((key) => verifiesWith(jwt, key)))
    throw invalidClient('The client_assertion signature is invalid.');

  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number')
    throw invalidClient('The client_assertion token has no expiration time.');
  if (claims.exp <= now) throw invalidClient('The client_assertion token is expired.');
  const issuedAt = typeof claims.iat === 'number' ? claims.iat : now;
  if (
    issuedAt > now + CLOCK_SKEW_SECONDS ||
    (typeof claims.nbf === 'number' && claims.nbf > now + CLOCK_SKEW_SECONDS)
  )
    throw invalidClient('The client_assertion token is not valid yet.');
  if (claims.exp - issuedAt > MAX_ASSERTION_LIFETIME_SECONDS)
    throw invalidClient('The client_assertion token expires more than one hour after it was issued.');
  // jti is optional (RFC 7523 3), but an assertion that has one is taken once.
  if (claims.jti !== undefined) {
    if (
      typeof claims.jti !== 'string' ||
      !request.replay.firstUse(`assertion:${client.clientId}:${claims.jti}`, claims.exp * 1000)
    )
      throw invalidClient('The client_assertion token has already been used.');
  }
  return { client, scheme: 'client_assertion' as const, credential: assertion };
}
