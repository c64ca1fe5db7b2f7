/**
 * DPoP (RFC 9449): proof-of-possession for OAuth tokens, Okta's default for new service apps. A DPoP-bound
 * access token works only with a proof, signed by the key it was bound to, on every request. The key is
 * one of our own (an EC P-256 pair made per connection client, never the app's private key: that one
 * proves the client, this one the token), so nothing the host stores is needed for it.
 */
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { publicJwk, sha256Base64url, signJwt } from './jwt.js';

export class DpopProver {
  private keys: { privateKey: KeyObject; jwk: Record<string, string> } | undefined;
  /** The last nonce each server asked for (the token endpoint and the API keep their own). */
  private readonly nonces = new Map<string, string>();

  /** A proof for one request: `htu` is the URL without query or fragment, `ath` binds the access token. */
  proof(method: string, url: string, accessToken?: string): string {
    this.keys ??= newKeys();
    const target = new URL(url);
    const htu = `${target.origin}${decodedPath(target.pathname)}`;
    const nonce = this.nonces.get(nonceKey(target));
    return signJwt(
      { typ: 'dpop+jwt', jwk: this.keys.jwk },
      {
        htm: method.toUpperCase(),
        htu,
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        ...(nonce ? { nonce } : {}),
        ...(accessToken ? { ath: sha256Base64url(accessToken) } : {}),
      },
      this.keys.privateKey,
      'ES256',
    );
  }

  /** Keeps the nonce a server sent (DPoP-Nonce header); true when it is a new one worth a retry. */
  rememberNonce(url: string, nonce: string | null | undefined): boolean {
    if (!nonce) return false;
    const key = nonceKey(new URL(url));
    if (this.nonces.get(key) === nonce) return false;
    this.nonces.set(key, nonce);
    return true;
  }
}

function newKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwk: publicJwk(privateKey) };
}

/** Okta's authorization server (/oauth2/...) and its resource server (/api/...) issue separate nonces. */
function nonceKey(url: URL): string {
  return `${url.origin} ${url.pathname.startsWith('/oauth2/') ? 'authorization server' : 'resource server'}`;
}

/**
 * Okta compares `htu` with the request path after percent-decoding it, so a proof for
 * /api/v1/users/jane%40example.com must say /api/v1/users/jane@example.com, or Okta answers 400
 * invalid_dpop_proof ("'htu' claim in the DPoP proof JWT is invalid"; the official SDKs shipped this bug:
 * okta-sdk-nodejs#521, okta-sdk-python#541).
 */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
