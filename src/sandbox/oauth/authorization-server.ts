/**
 * The sandbox org's authorization server: Okta's org authorization server (issuer = the org URL), which
 * alone mints tokens with Okta API scopes. It holds the registered clients and what it issued, mints
 * tokens for the endpoints (token-endpoint.ts) and for tests, and turns an access token into the principal
 * a Management API request acts as. One per sandbox; found from the org by the hooks that revoke tokens
 * when a user goes.
 */
import type { SandboxOrg } from '../org.js';
import { credentialsHooks } from '../resources/credentials/model.js';
import { rolesOf } from '../resources/roles/model.js';
import { findUser, userHooks, userTarget } from '../resources/users/model.js';
import type { Principal } from '../route.js';
import type { LogParty } from '../system-log.js';
import { newClient, type OAuthClient, type OAuthClientOptions } from './clients.js';
import { DpopNonce } from './dpop-nonce.js';
import { jwkThumbprint, publicKeyOf } from './jose.js';
import { ReplayGuard } from './replay-guard.js';
import { hashOf, TokenStore } from './tokens.js';

export interface OAuthSettings {
  /** Access token lifetime; Okta's org authorization server fixes it at one hour. */
  accessTokenLifetimeSeconds: number;
  /** Each refresh answers with a new refresh token and retires the old one (Okta's default for new apps). */
  refreshTokenRotation: boolean;
  /**
   * How long a rotated refresh token still works (Okta's app setting "Grace period for token rotation",
   * 30 seconds by default there). Default 0 here, so a test sees the old token refused at once.
   */
  refreshTokenGraceSeconds: number;
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = {
  accessTokenLifetimeSeconds: 3600,
  refreshTokenRotation: true,
  refreshTokenGraceSeconds: 0,
};

/** The body of a successful token response (RFC 6749 5.1), as Okta orders it. */
export interface TokenResponse {
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
}

export interface Grant {
  client: OAuthClient;
  /** The user the tokens act as; absent for client credentials. */
  userId?: string;
  scopes: string[];
  /** Bind the access token (and a public client's refresh token) to this DPoP key thumbprint. */
  boundThumbprint?: string;
  /** Issue a refresh token too (offline_access granted to a client with the refresh_token grant). */
  withRefreshToken: boolean;
  /** A refresh that keeps its refresh token (rotation off) answers with the one it was given. */
  keptRefreshToken?: string;
}

export interface IssueAccessTokenOptions {
  clientId: string;
  scopes: string[];
  /** Act as this user (like an authorization-code token); otherwise as the client (client credentials). */
  userId?: string;
  /** Bind the token to this public key (a DPoP-bound token, token_type DPoP). */
  dpopJwk?: Record<string, unknown>;
}

const servers = new WeakMap<SandboxOrg, AuthorizationServer>();

/** The authorization server of a sandbox org, if it has one. */
export function authorizationServerOf(org: SandboxOrg): AuthorizationServer | undefined {
  return servers.get(org);
}

export class AuthorizationServer {
  readonly tokens = new TokenStore();
  /** jti values of client assertions and DPoP proofs already accepted. */
  readonly replay = new ReplayGuard();
  readonly dpopNonce = new DpopNonce();
  private readonly clients = new Map<string, OAuthClient>();

  constructor(
    readonly org: SandboxOrg,
    readonly settings: OAuthSettings,
  ) {
    servers.set(org, this);
    org.onDelete('user', (userId) => this.revokeUserTokens(userId));
  }

  addClient(options: OAuthClientOptions): OAuthClient {
    const client = newClient(options);
    if (this.clients.has(client.clientId))
      throw new Error(`Cannot register the OAuth client: ${client.clientId} is already registered.`);
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Removes a client; its tokens and codes stop working. False when there was no such client. */
  removeClient(clientId: string): boolean {
    this.tokens.revoke((record) => record.clientId === clientId);
    return this.clients.delete(clientId);
  }

  client(clientId: string): OAuthClient | undefined {
    return this.clients.get(clientId);
  }

  /** Mints tokens for a grant that passed every check, and says so in the System Log. */
  issue(grant: Grant): TokenResponse {
    const { client, userId, scopes, boundThumbprint } = grant;
    const lifetime = this.settings.accessTokenLifetimeSeconds;
    const accessToken = this.tokens.issueAccessToken({
      clientId: client.clientId,
      userId,
      scopes,
      expiresAt: Date.now() + lifetime * 1000,
      boundThumbprint,
    });
    const refreshToken = !grant.withRefreshToken
      ? undefined
      : (grant.keptRefreshToken ??
        this.tokens.issueRefreshToken({
          clientId: client.clientId,
          userId: userId!,
          scopes,
          // RFC 9449 5: only a public client's refresh token is bound; a confidential client proves itself.
          boundThumbprint: client.tokenEndpointAuthMethod === 'none' ? boundThumbprint : undefined,
        }));
    this.logGrant(client, userId, accessToken, refreshToken !== undefined && !grant.keptRefreshToken);
    return {
      token_type: boundThumbprint ? 'DPoP' : 'Bearer',
      expires_in: lifetime,
      access_token: accessToken,
      scope: scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  /** For tests: a token as if a grant had been made, without the endpoint's checks of the scopes. */
  issueAccessToken(options: IssueAccessTokenOptions): TokenResponse {
    const client = this.clients.get(options.clientId);
    if (!client) throw new Error(`No OAuth client ${options.clientId} is registered.`);
    if (options.userId !== undefined && !findUser(this.org, options.userId))
      throw new Error(`No user ${options.userId} in the sandbox.`);
    let boundThumbprint: string | undefined;
    if (options.dpopJwk) {
      boundThumbprint = publicKeyOf(options.dpopJwk) ? jwkThumbprint(options.dpopJwk) : undefined;
      if (!boundThumbprint) throw new Error('dpopJwk must be an RSA or EC public key.');
    }
    return this.issue({
      client,
      userId: options.userId,
      scopes: [...options.scopes],
      boundThumbprint,
      withRefreshToken: options.userId !== undefined && options.scopes.includes('offline_access'),
    });
  }

  /** The principal a Management API request made with this access token acts as. */
  principalOf(
    accessToken: string,
    record: { clientId: string; userId: string | undefined; scopes: string[] },
  ): Principal {
    const client = this.clients.get(record.clientId);
    const user = record.userId ? findUser(this.org, record.userId) : undefined;
    const actor: LogParty = user
      ? userTarget(user)
      : {
          id: record.clientId,
          type: 'PublicClientApp',
          alternateId: record.clientId,
          displayName: client?.name ?? record.clientId,
        };
    return {
      token: accessToken,
      // A service app acts as itself: `me` names no user, and what it creates is created by the app.
      userId: record.userId ?? record.clientId,
      // A user token has the user's admin rights; a service token has those of the app's admin role.
      admin: record.userId
        ? (rolesOf(this.org).assignments.get(record.userId) ?? []).length > 0
        : (client?.admin ?? false),
      oauth: { clientId: record.clientId, scopes: record.scopes, userId: record.userId },
      actor,
    };
  }

  /** The user's tokens stop working (deactivated, deleted, or its OAuth tokens revoked by an admin). */
  revokeUserTokens(userId: string): void {
    this.tokens.revoke((record) => record.userId === userId);
  }

  private logGrant(
    client: OAuthClient,
    userId: string | undefined,
    accessToken: string,
    refreshed: boolean,
  ): void {
    const actor: LogParty = {
      id: client.clientId,
      type: 'PublicClientApp',
      alternateId: client.clientId,
      displayName: client.name,
    };
    const user = userId ? findUser(this.org, userId) : undefined;
    const subject = user ? [userTarget(user)] : [];
    // Okta's org authorization server logs app.oauth2.token.grant.*; app.oauth2.as.* is a custom server's.
    this.org.log.record(
      'app.oauth2.token.grant.access_token',
      'OAuth2 access token is granted',
      [
        ...subject,
        { id: `AT.${hashOf(accessToken).slice(0, 20)}`, type: 'access_token', displayName: 'Access Token' },
      ],
      'INFO',
      actor,
    );
    if (refreshed)
      this.org.log.record(
        'app.oauth2.token.grant.refresh_token',
        'OAuth2 refresh token is granted',
        subject,
        'INFO',
        actor,
      );
  }
}

// A user's tokens die with the user: deactivation, deletion, and an admin's "revoke OAuth tokens".
userHooks.deactivated.push((org, user) => authorizationServerOf(org)?.revokeUserTokens(user.id));
credentialsHooks.oauthTokensRevoked.push((org, userId) =>
  authorizationServerOf(org)?.revokeUserTokens(userId),
);
