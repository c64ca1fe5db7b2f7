/**
 * Reads the private key of an oauth_private_key connection as people paste it: PEM (PKCS#8, PKCS#1 RSA,
 * SEC1 EC), or the JWK Okta shows when it generates a key (also inside a { "keys": [...] } set of one).
 * Checked when the connection is resolved, before any request, and the reasons never quote the key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { algorithmFor, type JwsAlgorithm } from './jwt.js';

export type PrivateKeyResult =
  | { ok: true; key: KeyObject; algorithm: JwsAlgorithm; kid: string | undefined }
  | { ok: false; reason: string };

export function parsePrivateKey(text: string): PrivateKeyResult {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromJwk(trimmed);
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(trimmed))
    return refuse('is a public key or certificate; paste the private key (the one Okta never sees)');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(trimmed))
    return refuse('is protected by a passphrase; export it without one (it is stored as a secret)');
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(trimmed))
    return refuse('is neither a PEM private key (-----BEGIN PRIVATE KEY-----) nor a JWK');
  try {
    return usable(createPrivateKey(withLineBreaks(trimmed)), undefined);
  } catch {
    return refuse('could not be read as a PEM private key: check that it was pasted whole');
  }
}

/**
 * A PEM as OpenSSL reads it: header, body and footer on lines of their own. A single-line field (a form's
 * password input, which is where a secret goes) drops the line breaks of a pasted key; they are put back.
 */
function withLineBreaks(pem: string): string {
  if (/\r?\n/.test(pem)) return pem;
  const match = /^(-----BEGIN [A-Z ]+-----)\s*([A-Za-z0-9+/=\s]+?)\s*(-----END [A-Z ]+-----)$/.exec(pem);
  if (!match) return pem;
  const body = (match[2] ?? '').replace(/\s+/g, '');
  return [match[1], ...(body.match(/.{1,64}/g) ?? []), match[3], ''].join('\n');
}

function fromJwk(text: string): PrivateKeyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse('looks like JSON but is not valid JSON');
  }
  const set = parsed as { keys?: unknown[] };
  const jwk = (Array.isArray(set.keys) ? (set.keys.length === 1 ? set.keys[0] : undefined) : parsed) as
    | Record<string, unknown>
    | undefined;
  if (!jwk) return refuse('is a key set of several keys; paste the one private key');
  if (typeof jwk.d !== 'string')
    return refuse(
      'is a public JWK (it has no "d"); paste the private JWK Okta showed when it generated the key',
    );
  try {
    return usable(
      createPrivateKey({ key: jwk as never, format: 'jwk' }),
      typeof jwk.kid === 'string' ? jwk.kid : undefined,
    );
  } catch {
    return refuse('could not be read as a private JWK');
  }
}

function usable(key: KeyObject, kid: string | undefined): PrivateKeyResult {
  const algorithm = algorithmFor(key);
  if (!algorithm)
    return refuse(
      `is a ${key.asymmetricKeyType ?? 'kind of'} key; Okta service apps take RSA or EC (P-256, P-384, P-521) keys`,
    );
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    return refuse('is an RSA key shorter than 2048 bits, which Okta refuses');
  return { ok: true, key, algorithm, kid };
}

function refuse(reason: string): PrivateKeyResult {
  return { ok: false, reason };
}
