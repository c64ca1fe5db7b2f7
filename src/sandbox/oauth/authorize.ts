/**
 * GET /oauth2/v1/authorize (operation `authorize`), the first step of the authorization-code flow, without
 * a sign-in page: the user is the one `login_hint` names (default: the sandbox admin), already signed in,
 * and consent is implied. The answer is the redirect Okta would send after sign-in: 302 to the redirect URI
 * with `code` and `state`, or with `error` and `error_description` (RFC 6749 4.1.2.1). A request that
 * names no known client or an unregistered redirect URI is answered directly with 400: redirecting it
 * would hand an error (or a code) to a stranger.
 */

import { findUser } from '../resources/users/model.js';
import type { RouteResult } from '../route.js';
import { ADMIN_LOGIN } from '../seed.js';
import type { OAuthClient } from './clients.js';
import { OAuthHttpError } from './errors.js';
import type { OAuthRouteHandler } from './oauth-route.js';
import { OIDC_SCOPES } from './token-endpoint.js';

/** The description says an authorization code lives 300 seconds. */
const CODE_LIFETIME_MS = 300_000;

/** Scopes about the person, which OpenID Connect allows only together with openid. */
const IDENTITY_SCOPES = ['profile', 'email', 'address', 'phone', 'groups'];

/** RFC 7636 4.2: the S256 challenge is 43 base64url characters (a SHA-256). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export const authorize: OAuthRouteHandler = (context) => {
  const { server, url } = context;
  const query = url.searchParams;
  const clientId = query.get('client_id') ?? '';
  context.notes.clientId = clientId;
  const client = server.client(clientId);
  if (!client) throw new OAuthHttpError(400, 'invalid_client', 'Invalid value for the `client_id` parameter');
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!client.redirectUris.includes(redirectUri)) {
    throw new OAuthHttpError(
      400,
      'invalid_request',
      "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
    );
  }
  const state = query.get('state') ?? '';
  const redirect = (parameters: Record<string, string>): RouteResult => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries({ ...parameters, state }))
      target.searchParams.set(name, value);
    // Okta adds Referrer-Policy: no-referrer to redirects that carry a code or an error in the query.
    return { status: 302, headers: { Location: target.toString(), 'Referrer-Policy': 'no-referrer' } };
  };
  const refuse = (error: string, description: string) => redirect({ error, error_description: description });

  const scopes = [...new Set((query.get('scope') ?? '').split(' ').filter(Boolean))];
  const challenge = query.get('code_challenge') ?? undefined;
  const refusal =
    flowRefusal(query, client) ?? scopeRefusal(client, scopes) ?? pkceRefusal(query, client, challenge);
  if (refusal) return refuse(...refusal);

  const user = findUser(context.org, query.get('login_hint') ?? ADMIN_LOGIN);
  if (user?.status !== 'ACTIVE')
    return refuse('access_denied', 'The user named by login_hint does not exist or cannot sign in.');
  const code = server.tokens.issueCode({
    clientId: client.clientId,
    userId: user.id,
    scopes,
    redirectUri,
    codeChallenge: challenge,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  return redirect({ code });
};

/** An error of the authorization response (RFC 6749 4.1.2.1), and its description. */
type Refusal = [error: string, description: string];

function flowRefusal(query: URLSearchParams, client: OAuthClient): Refusal | undefined {
  if (query.get('response_type') !== 'code')
    return ['unsupported_response_type', "The response type isn't supported by the sandbox: use code."];
  const responseMode = query.get('response_mode');
  if (responseMode !== null && responseMode !== 'query')
    return ['unsupported_response_mode', 'The sandbox returns the authorization response in the query.'];
  if (!client.grantTypes.includes('authorization_code')) {
    return [
      'unauthorized_client',
      `The client is not authorized to use the provided grant type. Configured grant types: [${client.grantTypes.join(', ')}].`,
    ];
  }
  return undefined;
}

function scopeRefusal(client: OAuthClient, scopes: string[]): Refusal | undefined {
  if (scopes.length === 0) return ['invalid_scope', 'No scopes were requested.'];
  if (!scopes.includes('openid') && scopes.some((scope) => IDENTITY_SCOPES.includes(scope))) {
    return [
      'access_denied',
      'Requests for ID tokens or access tokens with OpenID scopes require the `openid` scope.',
    ];
  }
  const notGranted = scopes.filter((scope) => !OIDC_SCOPES.includes(scope) && !client.scopes.includes(scope));
  if (notGranted.length > 0)
    return ['invalid_scope', `These scopes are not granted to the client: ${notGranted.join(', ')}.`];
  if (scopes.includes('offline_access') && !client.grantTypes.includes('refresh_token'))
    return ['invalid_scope', 'offline_access needs the refresh_token grant, which the client does not have.'];
  return undefined;
}

function pkceRefusal(
  query: URLSearchParams,
  client: OAuthClient,
  challenge: string | undefined,
): Refusal | undefined {
  if (challenge !== undefined) {
    if (query.get('code_challenge_method') !== 'S256')
      return ['invalid_request', 'PKCE code_challenge_method must be S256.'];
    if (!S256_CHALLENGE.test(challenge)) return ['invalid_request', 'PKCE code_challenge is malformed.'];
  } else if (client.tokenEndpointAuthMethod === 'none') {
    // A public client has no secret: PKCE is what keeps a stolen code useless.
    return [
      'invalid_request',
      "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.",
    ];
  }
  return undefined;
}
