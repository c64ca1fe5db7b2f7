/**
 * What the org authorization server says about itself: GET /.well-known/openid-configuration (OpenID
 * Connect Discovery 1.0, operation `getWellKnownOpenIDConfiguration`) and GET /oauth2/v1/keys (`oauthKeys`,
 * the signing keys' public halves). The sandbox's access tokens are opaque and it issues no ID tokens, so
 * the key set is there for clients that fetch it, not to verify anything the sandbox signs.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { OktaHttpError } from '../errors.js';
import { ok } from '../route.js';
import { SIGNING_ALGORITHMS } from './jose.js';
import type { OAuthRouteHandler } from './oauth-route.js';
import { OIDC_SCOPES } from './token-endpoint.js';

let signingKey: JsonWebKey | undefined;

/** One RSA key per process, made on first use (making one takes tens of milliseconds). */
function publicSigningKey(): JsonWebKey {
  if (!signingKey) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signingKey = publicKey.export({ format: 'jwk' });
  }
  return signingKey;
}

export const getWellKnownOpenIDConfiguration: OAuthRouteHandler = (context) => {
  const { org, server } = context;
  const clientId = context.url.searchParams.get('client_id');
  // The description documents 400 for a client_id the org does not know, in Okta's error shape.
  if (clientId !== null && !server.client(clientId))
    throw new OktaHttpError(400, 'invalid_client', 'Invalid value for `client_id` parameter');
  const base = org.baseUrl;
  return ok({
    issuer: base,
    authorization_endpoint: `${base}/oauth2/v1/authorize`,
    token_endpoint: `${base}/oauth2/v1/token`,
    userinfo_endpoint: `${base}/oauth2/v1/userinfo`,
    jwks_uri: `${base}/oauth2/v1/keys`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    subject_types_supported: ['public'],
    scopes_supported: OIDC_SCOPES.filter((scope) => scope !== 'device_sso'),
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt', 'none'],
    claims_supported: [
      'sub',
      'name',
      'preferred_username',
      'nickname',
      'given_name',
      'middle_name',
      'family_name',
      'profile',
      'locale',
      'zoneinfo',
      'updated_at',
      'email',
      'email_verified',
      'phone_number',
      'address',
    ],
    code_challenge_methods_supported: ['S256'],
    dpop_signing_alg_values_supported: [...SIGNING_ALGORITHMS],
    request_parameter_supported: false,
  });
};

export const oauthKeys: OAuthRouteHandler = () => {
  const { kty, n, e } = publicSigningKey();
  const kid = 'sandbox-org-signing-key';
  return ok(
    { keys: [{ kty, alg: 'RS256', kid, use: 'sig', e, n }] },
    // The description says Okta sends standard caching headers for the key set.
    { 'Cache-Control': 'max-age=3600, must-revalidate' },
  );
};
