/**
 * POST /oauth2/v1/token of the org authorization server (operation `token`): the client authenticates
 * (client-auth.ts), shows its DPoP proof if its app requires one, and exchanges a grant for tokens.
 *
 *   client_credentials   every requested scope granted to the app; an Okta API Services app only
 *   authorization_code   a code from /authorize, once, with its redirect_uri and PKCE verifier
 *   refresh_token        rotated on use: the answer carries a new one and the old one stops working
 *
 * Checks run before anything is issued, so a refused request changes nothing (apart from using up the
 * jti of an assertion or proof that was accepted).
 */

import { type AuthenticatedClient, authenticateClient, JWT_BEARER_ASSERTION } from './client-auth.js';
import type { OAuthClient } from './clients.js';
import { DpopProofRefused, verifyDpopProof } from './dpop.js';
import {
  invalidClient,
  invalidDpopProof,
  invalidGrant,
  invalidRequest,
  invalidScope,
  OAuthHttpError,
  unauthorizedClient,
  useDpopNonce,
} from './errors.js';
import { sha256Base64url } from './jose.js';
import { type OAuthRouteContext, type OAuthRouteHandler, shortHash, urlsAt } from './oauth-route.js';
import { hashOf } from './tokens.js';

export const TOKEN_PATH = '/oauth2/v1/token';

/** OpenID Connect scopes: about a person, so never for client credentials (no person is involved). */
export const OIDC_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'groups',
  'device_sso',
];

const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
type SupportedGrant = (typeof GRANTS)[number];

export const token: OAuthRouteHandler = (context) => {
  const { server, form } = context;
  noteCredentials(context);
  const tokenUrls = urlsAt(context.origins, TOKEN_PATH);
  const authenticated = authenticateClient({
    form,
    authorization: context.headers.authorization,
    findClient: (clientId) => server.client(clientId),
    tokenUrls,
    replay: server.replay,
  });
  context.notes.clientId = authenticated.client.clientId;
  const grantType = form.get('grant_type');
  if (!grantType) throw invalidRequest('The `grant_type` parameter is required.');
  if (!(GRANTS as readonly string[]).includes(grantType))
    throw new OAuthHttpError(400, 'unsupported_grant_type', "The grant type in the request isn't supported.");
  const grant = grantType as SupportedGrant;
  const { client } = authenticated;
  if (!client.grantTypes.includes(grant)) {
    throw unauthorizedClient(
      `The client is not authorized to use the provided grant type. Configured grant types: [${client.grantTypes.join(', ')}].`,
    );
  }
  if (grant === 'client_credentials') refuseSecretForClientCredentials(authenticated);
  const boundThumbprint = dpopThumbprint(context, client, tokenUrls);
  const body =
    grant === 'client_credentials'
      ? clientCredentials(context, client, boundThumbprint)
      : grant === 'authorization_code'
        ? authorizationCode(context, client, boundThumbprint)
        : refreshToken(context, client, boundThumbprint);
  // RFC 6749 5.1: token responses must not be cached.
  return { status: 200, body, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
};

/** The served record names how the client authenticated and a hash of what it sent (before checking it). */
function noteCredentials(context: OAuthRouteContext): void {
  const { form, notes } = context;
  const basic = /^Basic\s+(\S+)$/i.exec(context.headers.authorization ?? '')?.[1];
  const assertion = form.get('client_assertion');
  if (basic) Object.assign(notes, { authScheme: 'Basic', tokenHash: shortHash(basic) });
  else if (assertion || form.get('client_assertion_type') === JWT_BEARER_ASSERTION)
    Object.assign(notes, {
      authScheme: 'client_assertion',
      tokenHash: assertion ? shortHash(assertion) : undefined,
    });
  else Object.assign(notes, { authScheme: 'none' });
  const namedClient = form.get('client_id');
  if (namedClient) notes.clientId = namedClient;
}

/**
 * Okta's org authorization server takes client credentials only from apps that sign a client assertion,
 * and from API service integrations, which authenticate with their client secret; any other app with a
 * client secret gets this answer (Okta support: "Client Credentials requests to the Org Authorization
 * Server must use the private_key_jwt token_endpoint_auth_method").
 */
function refuseSecretForClientCredentials(authenticated: AuthenticatedClient): void {
  if (authenticated.scheme === 'client_assertion' || authenticated.client.apiServiceIntegration) return;
  throw invalidClient(
    'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.',
  );
}

/**
 * The key the tokens are to be bound to, for an app that requires DPoP (RFC 9449 5). An app that does not
 * require it ignores a DPoP header and gets Bearer tokens, as Okta does: Okta's SDKs send a proof with
 * their first token request whether or not the app needs one.
 */
function dpopThumbprint(
  context: OAuthRouteContext,
  client: OAuthClient,
  tokenUrls: string[],
): string | undefined {
  if (!client.dpop) return undefined;
  const { server } = context;
  try {
    return verifyDpopProof(
      context.headers.dpop,
      { method: 'POST', urls: tokenUrls, nonce: server.dpopNonce },
      server.replay,
    ).thumbprint;
  } catch (error) {
    if (!(error instanceof DpopProofRefused)) throw error;
    throw error.needsNonce ? useDpopNonce(server.dpopNonce.value()) : invalidDpopProof(error.description);
  }
}

function requestedScopes(scope: string | null): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

function clientCredentials(
  context: OAuthRouteContext,
  client: OAuthClient,
  boundThumbprint: string | undefined,
) {
  const scopes = requestedScopes(context.form.get('scope'));
  // Okta's org authorization server has no default scope: a request must name what it wants.
  if (scopes.length === 0) throw invalidScope('No scopes were requested.');
  const personal = scopes.filter((scope) => OIDC_SCOPES.includes(scope));
  if (personal.length > 0)
    throw invalidScope(`These scopes cannot be requested with client credentials: ${personal.join(', ')}.`);
  const notGranted = scopes.filter((scope) => !client.scopes.includes(scope));
  if (notGranted.length > 0)
    throw invalidScope(`These scopes are not granted to the client: ${notGranted.join(', ')}.`);
  return context.server.issue({ client, scopes, boundThumbprint, withRefreshToken: false });
}

function authorizationCode(
  context: OAuthRouteContext,
  client: OAuthClient,
  boundThumbprint: string | undefined,
) {
  const { form, server } = context;
  const presented = form.get('code') ?? '';
  const code = server.tokens.code(presented);
  const invalid = () => invalidGrant('The authorization code is invalid or has expired.');
  if (!code || code.expiresAt <= Date.now()) throw invalid();
  if (code.clientId !== client.clientId)
    throw invalidGrant(
      'The grant was issued to another client. Ensure that the `client_id` matches the one used at the authorize request.',
    );
  if (code.exchangedFor) {
    // RFC 6749 4.1.2: a code used twice may have been stolen; what it was exchanged for is revoked.
    server.tokens.revokeHashes(code.exchangedFor);
    throw invalid();
  }
  if (form.get('redirect_uri') !== code.redirectUri)
    throw invalidGrant(
      "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
    );
  if (code.codeChallenge !== undefined) {
    // RFC 7636 4.6: the verifier's SHA-256, base64url, must be the challenge of the authorize request.
    const verifier = form.get('code_verifier');
    if (!verifier) throw invalidGrant('PKCE verification failed: the code_verifier is missing.');
    if (sha256Base64url(verifier) !== code.codeChallenge) throw invalidGrant('PKCE verification failed.');
  }
  const answer = server.issue({
    client,
    userId: code.userId,
    scopes: code.scopes,
    boundThumbprint,
    withRefreshToken: code.scopes.includes('offline_access') && client.grantTypes.includes('refresh_token'),
  });
  code.exchangedFor = {
    accessToken: hashOf(answer.access_token),
    refreshToken: answer.refresh_token ? hashOf(answer.refresh_token) : undefined,
  };
  return answer;
}

function refreshToken(context: OAuthRouteContext, client: OAuthClient, boundThumbprint: string | undefined) {
  const { form, server } = context;
  const presented = form.get('refresh_token') ?? '';
  const record = server.tokens.refreshToken(presented);
  const invalid = () => invalidGrant('The refresh token is invalid or expired.');
  if (!record || record.clientId !== client.clientId) throw invalid();
  const grace = server.settings.refreshTokenGraceSeconds * 1000;
  // A rotated refresh token is refused once its grace period is over (a reuse: maybe a stolen copy).
  if (record.replacedAt !== undefined && Date.now() > record.replacedAt + grace) throw invalid();
  if (record.boundThumbprint !== undefined && record.boundThumbprint !== boundThumbprint)
    throw invalidDpopProof('The DPoP proof JWT key does not match the key the refresh token is bound to.');
  const asked = requestedScopes(form.get('scope'));
  const beyond = asked.filter((scope) => !record.scopes.includes(scope));
  if (beyond.length > 0)
    throw invalidScope(
      `The requested scopes must be a subset of the refresh token's scopes: ${beyond.join(', ')}.`,
    );
  const rotate = server.settings.refreshTokenRotation;
  if (rotate) record.replacedAt ??= Date.now();
  const answer = server.issue({
    client,
    userId: record.userId,
    scopes: asked.length > 0 ? asked : record.scopes,
    boundThumbprint,
    withRefreshToken: true,
    ...(rotate ? {} : { keptRefreshToken: presented }),
  });
  // The new refresh token keeps the whole grant, even when this access token asked for less (RFC 6749 6).
  if (rotate && answer.refresh_token) {
    const fresh = server.tokens.refreshToken(answer.refresh_token)!;
    fresh.scopes = [...record.scopes];
    fresh.boundThumbprint = record.boundThumbprint;
  }
  return answer;
}
