/**
 * A local Okta org on loopback: stateful, faithful to Okta's published API description for every endpoint
 * the actions use, with rate limits and faults on demand, and Okta's org authorization server (OAuth 2.0
 * client credentials, authorization code with PKCE, refresh tokens, DPoP). For the demo, end-to-end tests,
 * benchmarks and fault drills; nothing here talks to a real Okta org.
 *
 *   import { startSandbox } from 'okta-actions/sandbox';
 *   const sandbox = await startSandbox({ seed: 1000 });
 *   // connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token }, host option allowLoopback
 *   // or OAuth: sandbox.oauth.addClient({ tokenEndpointAuthMethod: 'private_key_jwt', jwks: [publicJwk], ... })
 *   await sandbox.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import okta from './generated/okta-api.json';
import oktaOAuth from './generated/okta-oauth-api.json';
import {
  AuthorizationServer,
  DEFAULT_OAUTH_SETTINGS,
  type IssueAccessTokenOptions,
  type OAuthSettings,
  type TokenResponse,
} from './oauth/authorization-server.js';
import { defaultServiceClient, type OAuthClient, type OAuthClientOptions } from './oauth/clients.js';
import { OktaApiDescription, type OpenApiDocument } from './okta-api.js';
import { SandboxOrg } from './org.js';
import { RateLimiter, type RateLimitSettings } from './rate-limits.js';
import { type FailedSignInResult, simulateFailedSignIn } from './resources/credentials/sign-in.js';
import {
  DEFAULT_DELIVERY_SETTINGS,
  type DeliverySettings,
  EventHookDeliveries,
  type EventHookDeliveryLog,
} from './resources/event-hooks/delivery.js';
import { onApiTokenRevoked, registerApiToken } from './resources/security/model.js';
import type { Principal } from './route.js';
import { seedBase, seedBulk } from './seed.js';
import { handleRequest } from './server.js';
import type { ServedRequest, ServerState } from './server-state.js';

export type { Fault, FaultRule } from './faults.js';
export type { IssueAccessTokenOptions, OAuthSettings, TokenResponse } from './oauth/authorization-server.js';
export {
  DEFAULT_SANDBOX_OAUTH_CLIENT,
  type JsonWebKey,
  type OAuthClient,
  type OAuthClientOptions,
  type OAuthGrantType,
  type TokenEndpointAuthMethod,
} from './oauth/clients.js';
export type { AuthScheme } from './oauth/oauth-route.js';
export { SandboxOrg } from './org.js';
export { type FailedSignInResult, LOCKOUT_THRESHOLD } from './resources/credentials/sign-in.js';
export type {
  DeliveryRecord,
  DeliverySettings,
  EventHookDeliveryLog,
} from './resources/event-hooks/delivery.js';
export type {
  DeliveryFault,
  DeliveryFaultHandle,
  DeliveryFaultRule,
} from './resources/event-hooks/delivery-faults.js';
export type { ServedRequest } from './server-state.js';

/** The sandbox's fixed development token (documented; not a secret, and useless against a real org). */
export const DEFAULT_SANDBOX_TOKEN = '00sandboxDevelopmentTokenNotForRealOrgs42';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The admin API token clients must send (SSWS). Default DEFAULT_SANDBOX_TOKEN. */
  token?: string;
  /** Generated users to add to the base cast (up to hundreds of thousands). Default 0. */
  seed?: number;
  /** Seed of the id generator: the same value gives the same ids. */
  randomSeed?: number;
  /** Requests per minute per endpoint, or per-operation budgets too. Default 600 per endpoint. */
  rateLimit?: number | Partial<RateLimitSettings>;
  /** Added to every answer, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Requests in flight at once before 429. Default 75 (Okta's per-org concurrency limit). */
  maxConcurrent?: number;
  /** Answer 500 when an answer would break Okta's API description (default true: sandbox bugs show). */
  checkResponses?: boolean;
  /** The org authorization server's settings (token lifetime, refresh token rotation, ...). */
  oauth?: Partial<OAuthSettings>;
  /**
   * How event hooks are delivered: the endpoint's time to answer (default 3000 ms, Okta's), how long events
   * are collected into one delivery (default 25 ms) and how many one delivery carries (default 50).
   */
  eventHooks?: Partial<DeliverySettings>;
}

/**
 * The org authorization server, for tests: register clients (Okta apps), mint tokens directly, and force
 * what is slow or rare in real life (every token expired, every token revoked, a new DPoP nonce).
 */
export interface SandboxOAuth {
  /** `${url}/oauth2/v1/authorize`, `.../token`, `.../userinfo`. */
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly userinfoUrl: string;
  /** Registers a client; clientId (0oa + 17 characters) and clientSecret are made up when not given. */
  addClient(options: OAuthClientOptions): OAuthClient;
  /** Removes a client and revokes what it was issued; false when there was no such client. */
  removeClient(clientId: string): boolean;
  client(clientId: string): OAuthClient | undefined;
  /** A token as the token endpoint would issue it, without its checks (any scopes, any user). */
  issueAccessToken(options: IssueAccessTokenOptions): TokenResponse;
  /** Every access token, refresh token and authorization code stops working. */
  revokeAll(): void;
  /** Every access token issued so far is expired (refresh tokens keep working). */
  expireAccessTokens(): void;
  /** The token endpoint's DPoP nonce changes now (the previous one is still accepted for a while). */
  rotateDpopNonce(): void;
}

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:43121: the connection's apiAddress (with the host's allowLoopback). */
  url: string;
  port: number;
  /** The admin API token. */
  token: string;
  org: SandboxOrg;
  faults: Faults;
  rateLimits: RateLimiter;
  /** Adds another token, e.g. one whose admin lost its role (`admin: false`: management calls answer 403). */
  addToken(token: string, options?: { admin?: boolean }): void;
  /** Answers of the sandbox that broke Okta's API description (sandbox bugs): tests expect none. */
  contractViolations: string[];
  /**
   * Requests received that broke Okta's description (the client's bugs): each one is recorded here, and
   * answered as Okta answers it, which for an undeclared query parameter means served as if it were not
   * there. Tests expect none.
   */
  requestViolations: string[];
  /** The last requests served (method, path, operation, status, auth scheme, credential hash, client). */
  served: ServedRequest[];
  /** The org authorization server (/oauth2/v1/...). */
  oauth: SandboxOAuth;
  /**
   * Event hook deliveries: each attempt made (`records`), `idle()` to wait until none is collecting or under
   * way, and `faults` (duplicate, delay, reorder, drop) for the deliveries to come.
   */
  eventHookDeliveries: EventHookDeliveryLog;
  /**
   * Records failed sign-ins of a user (id or login), as the sandbox has no sign-in page: each a
   * `user.session.start` event with outcome FAILURE (reason INVALID_CREDENTIALS) and the user as actor.
   * LOCKOUT_THRESHOLD (3) failures in a row lock an ACTIVE user out (LOCKED_OUT, `user.account.lock`);
   * unlockUser starts the count again. `times` defaults to 1.
   */
  simulateFailedSignIn(user: string, options?: { times?: number }): FailedSignInResult;
  /** Stops the server; deliveries under way are abandoned and nothing is left running. */
  close(): Promise<void>;
}

let api: OktaApiDescription | undefined;
let oauthApi: OktaApiDescription | undefined;

/**
 * Every Okta API scope the served operations require, and the manage scope of each read scope: what the
 * default service app is granted.
 */
function scopesOfServedOperations(description: OktaApiDescription): string[] {
  const scopes = new Set(
    description.operations.flatMap((operation) => description.scopesOf(operation.operationId)),
  );
  for (const scope of [...scopes]) if (scope.endsWith('.read')) scopes.add(`${scope.slice(0, -5)}.manage`);
  return [...scopes].sort();
}

/** The authorization server as tests drive it; its URLs are the org's, which is listening by now. */
function sandboxOAuth(org: SandboxOrg, authorizationServer: AuthorizationServer): SandboxOAuth {
  return {
    authorizeUrl: `${org.baseUrl}/oauth2/v1/authorize`,
    tokenUrl: `${org.baseUrl}/oauth2/v1/token`,
    userinfoUrl: `${org.baseUrl}/oauth2/v1/userinfo`,
    addClient: (clientOptions) => authorizationServer.addClient(clientOptions),
    removeClient: (clientId) => authorizationServer.removeClient(clientId),
    client: (clientId) => authorizationServer.client(clientId),
    issueAccessToken: (tokenOptions) => authorizationServer.issueAccessToken(tokenOptions),
    revokeAll: () => authorizationServer.tokens.revoke(),
    expireAccessTokens: () => authorizationServer.tokens.expireAccessTokens(),
    rotateDpopNonce: () => authorizationServer.dpopNonce.rotate(),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  api ??= new OktaApiDescription(okta as unknown as OpenApiDocument);
  oauthApi ??= new OktaApiDescription(oktaOAuth as unknown as OpenApiDocument);
  const org = new SandboxOrg(options.randomSeed);
  const { admin, groups } = seedBase(org);
  if (options.seed) seedBulk(org, options.seed, groups);
  org.log.actor = {
    id: admin.id,
    type: 'User',
    alternateId: admin.profile.login,
    displayName: 'Sandbox Admin',
  };

  const token = options.token ?? DEFAULT_SANDBOX_TOKEN;
  const tokens = new Map<string, Principal>([[token, { token, userId: admin.id, admin: true }]]);
  // Tokens are listed by the API tokens API, and a revoked one answers 401 E0000011 from then on.
  registerApiToken(org, token, { userId: admin.id, name: 'Sandbox admin token' });
  onApiTokenRevoked(org, (secret) => tokens.delete(secret));
  const rate =
    typeof options.rateLimit === 'number' ? { perMinute: options.rateLimit } : (options.rateLimit ?? {});
  const authorizationServer = new AuthorizationServer(org, { ...DEFAULT_OAUTH_SETTINGS, ...options.oauth });
  authorizationServer.addClient(defaultServiceClient(scopesOfServedOperations(api)));
  const state: ServerState = {
    org,
    api,
    oauthApi,
    oauth: authorizationServer,
    tokens,
    faults: new Faults(),
    rateLimits: new RateLimiter({ perMinute: 600, perOperation: {}, timeScale: 1, ...rate }),
    latencyMs: options.latencyMs ?? 0,
    maxConcurrent: options.maxConcurrent ?? 75,
    checkResponses: options.checkResponses ?? true,
    inFlight: 0,
    contractViolations: [],
    requestViolations: [],
    served: [],
  };

  const server = createServer((req, res) => {
    void handleRequest(state, req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  org.baseUrl = `http://127.0.0.1:${port}`;
  const deliveries = new EventHookDeliveries(org, { ...DEFAULT_DELIVERY_SETTINGS, ...options.eventHooks });

  return {
    url: org.baseUrl,
    port,
    token,
    org,
    faults: state.faults,
    rateLimits: state.rateLimits,
    addToken(extra, { admin: isAdmin = true } = {}) {
      tokens.set(extra, { token: extra, userId: admin.id, admin: isAdmin });
      registerApiToken(org, extra, { userId: admin.id });
    },
    contractViolations: state.contractViolations,
    requestViolations: state.requestViolations,
    served: state.served,
    oauth: sandboxOAuth(org, authorizationServer),
    eventHookDeliveries: deliveries,
    simulateFailedSignIn: (user, { times = 1 } = {}) => simulateFailedSignIn(org, user, times),
    close: async () => {
      deliveries.close();
      await deliveries.idle();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
