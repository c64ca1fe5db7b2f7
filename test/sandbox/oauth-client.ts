/**
 * A bare OAuth client for the authorization-server tests: signs client assertions and DPoP proofs with
 * node:crypto and talks to the sandbox with fetch. Written apart from the sandbox's own JOSE code (and from
 * the plugin's), so the tests check the server against an independent reading of the RFCs.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { Sandbox } from '../../src/sandbox/index.js';

export type Algorithm = 'RS256' | 'ES256';

export interface KeyPair {
  privateKey: KeyObject;
  /** The public half as a JWK (what a client registers, or puts in a DPoP proof's header). */
  publicJwk: { kty: string; [member: string]: unknown };
  alg: Algorithm;
}

export function rsaKeyPair(kid?: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), ...(kid ? { kid } : {}) } as KeyPair['publicJwk'],
    alg: 'RS256',
  };
}

export function ecKeyPair(kid?: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), ...(kid ? { kid } : {}) } as KeyPair['publicJwk'],
    alg: 'ES256',
  };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyPair,
): string {
  const input = `${b64url(JSON.stringify({ alg: key.alg, ...header }))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    // RFC 7518 3.4: ES256 signatures are r||s, 64 bytes.
    ...(key.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${input}.${b64url(signature)}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** An RFC 7523 client assertion; `claims` overrides or removes (undefined) the usual ones. */
export function clientAssertion(
  sandbox: Sandbox,
  clientId: string,
  key: KeyPair,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): string {
  const all: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: sandbox.oauth.tokenUrl,
    iat: now(),
    exp: now() + 300,
    jti: randomUUID(),
    ...claims,
  };
  const defined = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  return signJwt(
    { typ: 'JWT', ...(key.publicJwk.kid ? { kid: key.publicJwk.kid } : {}), ...header },
    defined,
    key,
  );
}

/** An RFC 9449 DPoP proof for one request. */
export function dpopProof(
  key: KeyPair,
  request: { htm: string; htu: string; nonce?: string; accessToken?: string },
  claims: Record<string, unknown> = {},
): string {
  return signJwt(
    { typ: 'dpop+jwt', jwk: key.publicJwk },
    {
      htm: request.htm,
      htu: request.htu,
      iat: now(),
      jti: randomUUID(),
      ...(request.nonce ? { nonce: request.nonce } : {}),
      ...(request.accessToken
        ? { ath: createHash('sha256').update(request.accessToken).digest('base64url') }
        : {}),
      ...claims,
    },
    key,
  );
}

/** RFC 6749 2.3.1: id and secret, form-encoded each, in a Basic header. */
export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** RFC 7636: a verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(Buffer.from(`${randomUUID()}${randomUUID()}`)).slice(0, 64);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely.
  body: any;
  headers: Headers;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export async function tokenRequest(
  sandbox: Sandbox,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(sandbox.oauth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return answerOf(response);
}

/** A request to the sandbox with whatever Authorization (and DPoP) headers the test gives. */
export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return answerOf(response);
}

/** The authorize redirect's Location, parsed. */
export async function authorizeRedirect(
  sandbox: Sandbox,
  query: Record<string, string>,
): Promise<{ status: number; location: URL | undefined; body: unknown }> {
  const response = await fetch(`${sandbox.oauth.authorizeUrl}?${new URLSearchParams(query)}`, {
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  const text = await response.text();
  return {
    status: response.status,
    location: location ? new URL(location) : undefined,
    body: text ? JSON.parse(text) : undefined,
  };
}

export interface SignIn {
  clientId: string;
  accessToken: string;
  refreshToken: string | undefined;
}

/**
 * A person's whole sign-in as a host's authorization-code flow does it: a public client (PKCE) registered
 * with `appScopes`, the authorize redirect for `login`, and the code exchanged for tokens.
 */
export async function signInWithPkce(
  sandbox: Sandbox,
  options: { scope: string; login: string; appScopes: string[]; dpop?: boolean },
): Promise<SignIn> {
  const redirect = 'https://host.example/oauth/callback';
  const app = sandbox.oauth.addClient({
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirect],
    scopes: options.appScopes,
    dpop: options.dpop ?? false,
  });
  const pkce = pkcePair();
  const { location } = await authorizeRedirect(sandbox, {
    client_id: app.clientId,
    response_type: 'code',
    scope: options.scope,
    redirect_uri: redirect,
    state: 'sign-in',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    login_hint: options.login,
  });
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`the authorize step gave no code: ${location}`);
  const exchanged = await tokenRequest(sandbox, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    code,
    redirect_uri: redirect,
    code_verifier: pkce.verifier,
  });
  if (exchanged.status !== 200)
    throw new Error(`the code exchange failed: ${JSON.stringify(exchanged.body)}`);
  return {
    clientId: app.clientId,
    accessToken: exchanged.body.access_token,
    refreshToken: exchanged.body.refresh_token,
  };
}
