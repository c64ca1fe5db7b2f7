/**
 * The OAuth clients (Okta apps) the sandbox's org authorization server knows: how each proves itself at the
 * token endpoint, which grants and scopes it may use, where the authorization code may be sent, whether
 * its tokens must be DPoP-bound, and whether it holds an admin role (what a service app needs, besides
 * scopes, to call the Management API).
 */
import { randomBytes } from 'node:crypto';
import { publicKeyOf } from './jose.js';

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'private_key_jwt' | 'none';
export type OAuthGrantType = 'client_credentials' | 'authorization_code' | 'refresh_token';

export interface OAuthClientOptions {
  /** Default: a new Okta-style id (0oa and 17 more characters). */
  clientId?: string;
  /** client_secret_basic only. Default: a new 40-character secret. */
  clientSecret?: string;
  /** private_key_jwt: the public keys the client signs its assertions with (kid picks one, if given). */
  jwks?: JsonWebKey[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: OAuthGrantType[];
  /** The scopes granted to the app (Okta API Scopes tab): what it may ask for. */
  scopes: string[];
  /** authorization_code: the registered Sign-in redirect URIs. */
  redirectUris?: string[];
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests". Default false. */
  dpop?: boolean;
  /** Whether the app holds an admin role. Default true; false: Management API calls answer 403. */
  admin?: boolean;
  /**
   * An API service integration (an OIN catalog integration, Admin Console > Applications > API Service
   * Integrations): the one kind of app whose client credentials Okta's org authorization server accepts
   * with a client secret. Default false.
   */
  apiServiceIntegration?: boolean;
  /** Its label in the System Log. */
  name?: string;
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly jwks: readonly JsonWebKey[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly grantTypes: readonly OAuthGrantType[];
  readonly scopes: readonly string[];
  readonly redirectUris: readonly string[];
  readonly dpop: boolean;
  readonly admin: boolean;
  readonly apiServiceIntegration: boolean;
  readonly name: string;
}

/** A JWK as clients register it: RSA or EC public key members, optional kid, alg and use. */
export interface JsonWebKey {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/**
 * A service app every sandbox has, for trying the OAuth connection types against `okta-actions sandbox`:
 * client credentials with private_key_jwt (the only client authentication Okta's org authorization server
 * takes for that grant), every Okta API scope the sandbox's operations need, and an admin role; no DPoP.
 * The key is published here on purpose, like DEFAULT_SANDBOX_TOKEN: it is no secret and works nowhere else.
 */
export const DEFAULT_SANDBOX_OAUTH_CLIENT = {
  clientId: '0oaSandboxServiceApp',
  keyId: 'sandbox-service-key-1',
  /** The private key to paste into an oauth_private_key connection (a JWK; EC P-256, signs ES256). */
  privateKeyJwk: {
    kty: 'EC',
    crv: 'P-256',
    kid: 'sandbox-service-key-1',
    x: 'WLBeX8vC-OzbOHdJZIJ2eD9h1-mQsSVBt90ajWpAuEM',
    y: 'RQ15A_B24ls6p-L8shyl_4p8AE837o3ZN3vI0O7qDKc',
    d: '2IOBwh-scaxLmLSrA3ra3DuBG1Fv4aBiQodlsvcBCPU',
  },
} as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 text (not the org's seeded id generator: registering a client must not shift its ids). */
function randomBase62(length: number): string {
  return [...randomBytes(length)].map((byte) => BASE62[byte % BASE62.length]).join('');
}

/** Checks the options as Okta's app settings would, and fills in the defaults; throws on nonsense. */
export function newClient(options: OAuthClientOptions): OAuthClient {
  const method = options.tokenEndpointAuthMethod;
  const grantTypes = [...new Set(options.grantTypes)];
  const redirectUris = [...(options.redirectUris ?? [])];
  const problems: string[] = [];
  if (grantTypes.length === 0) problems.push('grantTypes must name at least one grant');
  if (method === 'none' && grantTypes.includes('client_credentials'))
    problems.push('a public client (tokenEndpointAuthMethod none) cannot use client_credentials');
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0)
    problems.push('authorization_code needs at least one redirect URI');
  for (const uri of redirectUris)
    if (!URL.canParse(uri)) problems.push(`redirect URI ${uri} is not absolute`);
  if (method !== 'client_secret_basic' && options.clientSecret !== undefined)
    problems.push(`a clientSecret means nothing to ${method}`);
  const jwks = [...(options.jwks ?? [])];
  if (method === 'private_key_jwt' && jwks.length === 0) problems.push('private_key_jwt needs jwks');
  for (const [index, jwk] of jwks.entries()) {
    if (!publicKeyOf(jwk)) problems.push(`jwks[${index}] is not an RSA (2048 bits or more) or EC public key`);
  }
  if (problems.length > 0) throw new Error(`Cannot register the OAuth client: ${problems.join('; ')}.`);
  const clientId = options.clientId ?? `0oa${randomBase62(17)}`;
  return {
    clientId,
    clientSecret: method === 'client_secret_basic' ? (options.clientSecret ?? randomBase62(40)) : undefined,
    jwks,
    tokenEndpointAuthMethod: method,
    grantTypes,
    scopes: [...new Set(options.scopes)],
    redirectUris,
    dpop: options.dpop ?? false,
    admin: options.admin ?? true,
    apiServiceIntegration: options.apiServiceIntegration ?? false,
    name: options.name ?? `Sandbox app ${clientId}`,
  };
}

/** The registration of the default service app, granted the given scopes. */
export function defaultServiceClient(scopes: string[]): OAuthClientOptions {
  const { kty, crv, kid, x, y } = DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk;
  return {
    clientId: DEFAULT_SANDBOX_OAUTH_CLIENT.clientId,
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: [{ kty, crv, kid, x, y, use: 'sig', alg: 'ES256' }],
    grantTypes: ['client_credentials'],
    scopes,
    name: 'Sandbox service app',
  };
}
