/**
 * How each request of a connection is authenticated. One authorizer per connection client (so per
 * tenant): it owns that connection's tokens and nothing else, and the transport asks it for the headers of
 * every request and what to do after a 401.
 *
 *   api_token            SSWS <token>
 *   oauth_client_secret  client credentials, client_secret_basic        } a token cached until a minute
 *   oauth_private_key    client credentials, private_key_jwt (RFC 7523)  } before it expires; concurrent
 *   oauth_access_token   the host's token; refreshed with the refresh    } requests share one token request;
 *                        token (rotation handed back to the host)        } DPoP when the app requires it
 */
import { randomUUID } from 'node:crypto';
import type { Credentials } from './credentials.js';
import { DpopProver } from './dpop.js';
import { signJwt } from './jwt.js';
import { requestToken, type TokenSet, type TokenTransport } from './token-endpoint.js';

/** New tokens after a refresh, for the host to store in place of the connection's (meta.connectionUpdate). */
export interface ConnectionUpdate {
  accessToken: string;
  refreshToken?: string;
  /** ISO 8601, when Okta said. */
  expiresAt?: string;
}

export interface UnauthorizedAnswer {
  status: number;
  headers: { get(name: string): string | null };
  url: string;
  /** The Authorization header the refused request carried (to tell a stale token from the current one). */
  sentAuthorization: string | undefined;
}

export interface Authorizer {
  readonly kind: Credentials['kind'];
  /** The headers that authenticate one request to the org's API (Authorization, and DPoP for bound tokens). */
  headersFor(method: string, url: string): Promise<Record<string, string>>;
  /** After a refusal of an API request: true when one more try, with fresh credentials, may succeed. */
  recover(answer: UnauthorizedAnswer): Promise<boolean>;
  /** The scopes the token holds (or the connection asks for), when known. */
  grantedScopes(): string[] | undefined;
  /** Tokens obtained so far: secrets the final redaction removes too. */
  secrets(): string[];
  /** Refreshes the host must store: a counter (compare before and after a run) and the latest tokens. */
  readonly updates: { generation: number; latest: ConnectionUpdate | undefined };
  /** What to tell the person when a 401 could not be recovered from (undefined: the usual message). */
  unauthorizedAdvice(): string | undefined;
  /** The kind of the current token: DPoP when the app requires proof of possession. */
  tokenType(): 'SSWS' | 'Bearer' | 'DPoP' | undefined;
}

/** Renew a cached token this long before Okta says it expires (clocks differ; requests take time). */
const EXPIRY_MARGIN_MS = 60_000;
/**
 * Obtained tokens kept for redaction: the current ones and those just before (a run that spans a renewal
 * carried both). Bounded, as a service connection gets a new token every hour for as long as a host runs.
 */
const SECRETS_KEPT = 4;

export function createAuthorizer(credentials: Credentials, orgUrl: string, send: TokenTransport): Authorizer {
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  switch (credentials.kind) {
    case 'ssws':
      return sswsAuthorizer(credentials.token);
    case 'client_secret':
    case 'private_key':
      return new ClientCredentialsAuthorizer(credentials, tokenUrl, send);
    case 'access_token':
      return new AccessTokenAuthorizer(credentials, tokenUrl, send);
  }
}

function sswsAuthorizer(token: string): Authorizer {
  const headers = { Authorization: `SSWS ${token}` };
  return {
    kind: 'ssws',
    headersFor: async () => headers,
    recover: async () => false,
    grantedScopes: () => undefined,
    secrets: () => [],
    updates: { generation: 0, latest: undefined },
    unauthorizedAdvice: () => undefined,
    tokenType: () => 'SSWS',
  };
}

/** Shared by the OAuth kinds: the current token, one token request at a time, DPoP headers. */
abstract class OAuthAuthorizer implements Authorizer {
  abstract readonly kind: Credentials['kind'];
  readonly updates: Authorizer['updates'] = { generation: 0, latest: undefined };
  protected readonly dpop = new DpopProver();
  protected token: TokenSet | undefined;
  /** Set once Okta has answered with a DPoP-bound token: later token requests carry a proof at once. */
  protected dpopRequired = false;
  private pending: Promise<TokenSet> | undefined;
  private obtained: string[] = [];

  constructor(
    protected readonly tokenUrl: string,
    protected readonly send: TokenTransport,
  ) {}

  /** Asks the token endpoint for a new token (the kinds differ only in how). */
  protected abstract obtain(): Promise<TokenSet>;

  abstract grantedScopes(): string[] | undefined;

  unauthorizedAdvice(): string | undefined {
    return undefined;
  }

  tokenType(): 'Bearer' | 'DPoP' | undefined {
    return this.token?.tokenType;
  }

  async headersFor(method: string, url: string): Promise<Record<string, string>> {
    const token = await this.current();
    if (token.tokenType === 'DPoP') {
      return {
        Authorization: `DPoP ${token.accessToken}`,
        DPoP: this.dpop.proof(method, url, token.accessToken),
      };
    }
    return { Authorization: `Bearer ${token.accessToken}` };
  }

  async recover(answer: UnauthorizedAnswer): Promise<boolean> {
    if (answer.status !== 401) return false;
    const challenge = answer.headers.get('www-authenticate') ?? '';
    if (/use_dpop_nonce/.test(challenge))
      return this.dpop.rememberNonce(answer.url, answer.headers.get('dpop-nonce'));
    // Another request may already have replaced the token this one carried: then simply try again.
    if (
      this.token &&
      answer.sentAuthorization &&
      !answer.sentAuthorization.endsWith(` ${this.token.accessToken}`)
    )
      return true;
    return this.renewAfterRefusal();
  }

  secrets(): string[] {
    return this.obtained;
  }

  /** The token is refused (expired early, revoked): get another if this kind can. */
  protected abstract renewAfterRefusal(): Promise<boolean>;

  protected async current(): Promise<TokenSet> {
    const token = this.token;
    if (token && (token.expiresAt === undefined || Date.now() < token.expiresAt - EXPIRY_MARGIN_MS))
      return token;
    return this.renew();
  }

  /** One token request for every caller that needs a token now. */
  protected renew(): Promise<TokenSet> {
    this.pending ??= this.obtain()
      .then((token) => {
        this.token = token;
        if (token.tokenType === 'DPoP') this.dpopRequired = true;
        const fresh = [token.accessToken, token.refreshToken].filter(
          (secret): secret is string => !!secret && !this.obtained.includes(secret),
        );
        this.obtained = [...this.obtained, ...fresh].slice(-SECRETS_KEPT);
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

type ClientCredentials = Extract<Credentials, { kind: 'client_secret' | 'private_key' }>;

class ClientCredentialsAuthorizer extends OAuthAuthorizer {
  readonly kind: ClientCredentials['kind'];

  constructor(
    private readonly credentials: ClientCredentials,
    tokenUrl: string,
    send: TokenTransport,
  ) {
    super(tokenUrl, send);
    this.kind = credentials.kind;
  }

  grantedScopes(): string[] | undefined {
    return this.token?.scopes ?? this.credentials.scopes;
  }

  protected obtain(): Promise<TokenSet> {
    const { credentials } = this;
    return requestToken(this.send, {
      tokenUrl: this.tokenUrl,
      purpose: "the app's client credentials",
      dpop: this.dpop,
      dpopRequired: this.dpopRequired,
      form: () => ({
        grant_type: 'client_credentials',
        scope: credentials.scopes.join(' '),
        ...(credentials.kind === 'private_key' ? clientAssertion(credentials, this.tokenUrl) : {}),
      }),
      headers: () =>
        credentials.kind === 'client_secret'
          ? basicAuthorization(credentials.clientId, credentials.clientSecret)
          : {},
    });
  }

  protected async renewAfterRefusal(): Promise<boolean> {
    this.token = undefined;
    await this.renew();
    return true;
  }
}

type UserToken = Extract<Credentials, { kind: 'access_token' }>;

class AccessTokenAuthorizer extends OAuthAuthorizer {
  readonly kind = 'access_token' as const;
  private refreshToken: string | undefined;

  constructor(
    private readonly credentials: UserToken,
    tokenUrl: string,
    send: TokenTransport,
  ) {
    super(tokenUrl, send);
    this.refreshToken = credentials.refreshToken;
    // The host's token: used as given until it expires (or Okta refuses it), then refreshed.
    this.token = {
      accessToken: credentials.accessToken,
      tokenType: 'Bearer',
      expiresAt: credentials.expiresAt,
      scopes: credentials.scopes,
      refreshToken: credentials.refreshToken,
    };
  }

  grantedScopes(): string[] | undefined {
    return this.token?.scopes ?? this.credentials.scopes;
  }

  override unauthorizedAdvice(): string | undefined {
    return this.refreshToken
      ? undefined
      : 'The access token has expired or was revoked, and the connection has no refresh token: the person must reconnect (sign in again) so the host gets new tokens.';
  }

  protected override async current(): Promise<TokenSet> {
    const token = this.token;
    const expired = token?.expiresAt !== undefined && Date.now() >= token.expiresAt - EXPIRY_MARGIN_MS;
    // Without a refresh token there is nothing to renew with: send it and let Okta say (the advice follows).
    if (token && (!expired || !this.refreshToken)) return token;
    return this.renew();
  }

  protected obtain(): Promise<TokenSet> {
    const { credentials } = this;
    const refreshToken = this.refreshToken;
    return requestToken(this.send, {
      tokenUrl: this.tokenUrl,
      purpose: 'the refresh token',
      dpop: this.dpop,
      dpopRequired: this.dpopRequired,
      form: () => ({
        grant_type: 'refresh_token',
        refresh_token: refreshToken ?? '',
        // A public client (PKCE) names itself; a confidential one authenticates with Basic instead.
        ...(credentials.clientSecret ? {} : { client_id: credentials.clientId ?? '' }),
      }),
      headers: () =>
        credentials.clientSecret
          ? basicAuthorization(credentials.clientId ?? '', credentials.clientSecret)
          : {},
    }).then((token) => {
      // Rotation: Okta may answer with a new refresh token; the old one stops working.
      this.refreshToken = token.refreshToken ?? refreshToken;
      this.updates.generation += 1;
      this.updates.latest = {
        accessToken: token.accessToken,
        ...(this.refreshToken ? { refreshToken: this.refreshToken } : {}),
        ...(token.expiresAt ? { expiresAt: new Date(token.expiresAt).toISOString() } : {}),
      };
      return { ...token, scopes: token.scopes ?? credentials.scopes };
    });
  }

  protected async renewAfterRefusal(): Promise<boolean> {
    if (!this.refreshToken) return false;
    await this.renew();
    return true;
  }
}

/** RFC 6749 2.3.1: client id and secret, each form-encoded, then Basic. */
function basicAuthorization(clientId: string, clientSecret: string): Record<string, string> {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return {
    Authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`,
  };
}

/** private_key_jwt (RFC 7523): a short-lived assertion signed with the app's key, new for every request. */
function clientAssertion(
  credentials: Extract<Credentials, { kind: 'private_key' }>,
  tokenUrl: string,
): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = signJwt(
    { typ: 'JWT', ...(credentials.keyId ? { kid: credentials.keyId } : {}) },
    {
      iss: credentials.clientId,
      sub: credentials.clientId,
      aud: tokenUrl,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    },
    credentials.key,
    credentials.algorithm,
  );
  return {
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  };
}
