/**
 * Compact JWS signing with Node's own crypto, for the two JWTs OAuth needs here: the client assertion of
 * private_key_jwt (RFC 7523) and DPoP proofs (RFC 9449). Node parses PEM and JWK keys and signs RSA and EC
 * natively; the only JOSE details are the header, base64url and the raw r||s form of EC signatures.
 */
import { createHash, type KeyObject, sign } from 'node:crypto';

export type JwsAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

const EC_ALGORITHMS: Record<string, JwsAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
const HASH_OF: Record<JwsAlgorithm, string> = {
  RS256: 'sha256',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** The algorithm a key signs with, or undefined for a key type OAuth clients cannot use here. */
export function algorithmFor(key: KeyObject): JwsAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject,
  algorithm: JwsAlgorithm,
): string {
  const input = `${base64url(JSON.stringify({ ...header, alg: algorithm }))}.${base64url(JSON.stringify(claims))}`;
  // JWS wants EC signatures as the raw r||s pair (RFC 7518 3.4), not DER.
  const signature = sign(HASH_OF[algorithm], Buffer.from(input), {
    key,
    ...(algorithm.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${input}.${base64url(signature)}`;
}

/** The public half of a key as a JWK with only the members RFC 7638 thumbprints use. */
export function publicJwk(key: KeyObject): Record<string, string> {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
    : { kty: 'RSA', e: jwk.e!, n: jwk.n! };
}

/** base64url(SHA-256(value)): DPoP's `ath` for an access token. */
export function sha256Base64url(value: string): string {
  return base64url(createHash('sha256').update(value).digest());
}
