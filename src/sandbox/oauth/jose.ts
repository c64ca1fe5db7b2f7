/**
 * The little of JOSE the authorization server needs, on Node's own crypto: reading a compact JWS (RFC 7515),
 * checking its signature against a public JWK (RFC 7517/7518), and the JWK thumbprint that binds a DPoP
 * token to its key (RFC 7638). Only the asymmetric algorithms Okta accepts for client assertions and DPoP
 * proofs are known; "none" and HMAC never verify.
 * Written apart from the plugin's src/oauth/jwt.ts on purpose, small helpers included: the sandbox checks
 * the JWTs the plugin signs, and code they shared would share its mistakes.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';

export const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const HASH_OF: Record<SigningAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** RFC 7518 3.4: each ES algorithm goes with one curve. */
const CURVE_OF: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Okta refuses RSA keys shorter than 2048 bits for client authentication. */
const MIN_RSA_BITS = 2048;

/** JWK members that only a private key has (RFC 7518 6.2.2, 6.3.2, 6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** The signed part: base64url(header) "." base64url(claims). */
  signingInput: string;
  signature: Buffer;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** A compact JWS with JSON objects for header and claims, or undefined when it is not one. */
export function decodeJws(compact: string): DecodedJws | undefined {
  const parts = compact.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return undefined;
  const [header, claims, signature] = parts as [string, string, string];
  const decoded = { header: parseObject(header), claims: parseObject(claims) };
  if (!decoded.header || !decoded.claims) return undefined;
  return {
    header: decoded.header,
    claims: decoded.claims,
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

function parseObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function isSigningAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/** True when the JWK holds private key material (a DPoP proof must carry only the public key). */
export function hasPrivateMembers(jwk: Record<string, unknown>): boolean {
  return PRIVATE_MEMBERS.some((member) => member in jwk);
}

/** The public key of a JWK, or undefined when it is not a usable RSA or EC public key. */
export function publicKeyOf(jwk: Record<string, unknown>): KeyObject | undefined {
  if (hasPrivateMembers(jwk) || (jwk.kty !== 'RSA' && jwk.kty !== 'EC')) return undefined;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType === 'rsa' && bits < MIN_RSA_BITS) return undefined;
    return key;
  } catch {
    return undefined;
  }
}

/** Whether the signature of a decoded JWS verifies with the key under the algorithm its header names. */
export function verifiesWith(jws: DecodedJws, jwk: Record<string, unknown>): boolean {
  const alg = jws.header.alg;
  if (!isSigningAlgorithm(alg)) return false;
  // The key must be of the algorithm's family (and curve): a key never signs under another algorithm.
  if (alg.startsWith('RS') ? jwk.kty !== 'RSA' : jwk.kty !== 'EC' || jwk.crv !== CURVE_OF[alg]) return false;
  const key = publicKeyOf(jwk);
  if (!key) return false;
  try {
    return verify(
      HASH_OF[alg],
      Buffer.from(jws.signingInput),
      // JWS carries EC signatures as the raw r||s pair (RFC 7518 3.4), not DER.
      alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : key,
      jws.signature,
    );
  } catch {
    return false;
  }
}

/**
 * RFC 7638: SHA-256 of the key's required members, in lexicographic order, as JSON without whitespace.
 * Undefined for a key type without a thumbprint here.
 */
export function jwkThumbprint(jwk: Record<string, unknown>): string | undefined {
  const members =
    jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : undefined;
  if (!members || members.some((name) => typeof jwk[name] !== 'string')) return undefined;
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return sha256Base64url(canonical);
}
