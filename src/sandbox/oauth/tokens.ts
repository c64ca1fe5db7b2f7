/**
 * What the authorization server has issued: access tokens, refresh tokens and authorization codes. Each is
 * an opaque random string given to the client once; the store keeps only its SHA-256, so no test, log or
 * served-request record can leak one from here.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface AccessTokenRecord {
  clientId: string;
  /** The user it acts as (authorization_code and its refreshes); absent for client credentials. */
  userId: string | undefined;
  scopes: string[];
  /** Epoch ms. */
  expiresAt: number;
  /** RFC 9449 6: the thumbprint of the DPoP key the token is bound to. */
  boundThumbprint: string | undefined;
}

export interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  scopes: string[];
  /** RFC 9449 5: a public client's refresh token is bound to its DPoP key too. */
  boundThumbprint: string | undefined;
  /** When rotation replaced it (epoch ms); it works until then plus the grace period. */
  replacedAt: number | undefined;
}

export interface AuthorizationCodeRecord {
  clientId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  /** PKCE (RFC 7636): the S256 challenge of the authorize request, if it sent one. */
  codeChallenge: string | undefined;
  expiresAt: number;
  /** Hashes of what the code was exchanged for: a second exchange revokes them (RFC 6749 4.1.2). */
  exchangedFor: { accessToken: string; refreshToken: string | undefined } | undefined;
}

export function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthorizationCodeRecord>();

  issueAccessToken(record: AccessTokenRecord): string {
    const token = newSecret();
    this.accessTokens.set(hashOf(token), record);
    return token;
  }

  issueRefreshToken(record: Omit<RefreshTokenRecord, 'replacedAt'>): string {
    const token = newSecret();
    this.refreshTokens.set(hashOf(token), { ...record, replacedAt: undefined });
    return token;
  }

  /** Also an expired token (its caller tells "expired" from "invalid"); undefined once revoked. */
  accessToken(token: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(hashOf(token));
  }

  refreshToken(token: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(hashOf(token));
  }

  /** Revokes tokens by their hashes (what a code remembers it was exchanged for). */
  revokeHashes(hashes: { accessToken: string; refreshToken: string | undefined }): void {
    this.accessTokens.delete(hashes.accessToken);
    if (hashes.refreshToken) this.refreshTokens.delete(hashes.refreshToken);
  }

  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(hashOf(token));
  }

  issueCode(record: Omit<AuthorizationCodeRecord, 'exchangedFor'>): string {
    const code = newSecret();
    this.codes.set(hashOf(code), { ...record, exchangedFor: undefined });
    return code;
  }

  code(code: string): AuthorizationCodeRecord | undefined {
    return this.codes.get(hashOf(code));
  }

  /** Every access token is expired from now on (refresh tokens keep working). */
  expireAccessTokens(): void {
    const past = Date.now() - 1;
    for (const record of this.accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, past);
  }

  /** Revokes what matches (everything when no filter is given). */
  revoke(matches: (record: { clientId: string; userId: string | undefined }) => boolean = () => true): void {
    for (const store of [this.accessTokens, this.refreshTokens, this.codes] as Array<
      Map<string, { clientId: string; userId: string | undefined }>
    >) {
      for (const [hash, record] of store) if (matches(record)) store.delete(hash);
    }
  }
}
