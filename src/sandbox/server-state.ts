/** What the sandbox server keeps while it runs, and its record of each request served. */
import type { Faults } from './faults.js';
import type { AuthorizationServer } from './oauth/authorization-server.js';
import type { AuthScheme } from './oauth/oauth-route.js';
import type { OktaApiDescription } from './okta-api.js';
import type { SandboxOrg } from './org.js';
import type { RateLimiter } from './rate-limits.js';
import type { Principal } from './route.js';

export interface ServedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  /**
   * A short hash of the credential the request carried (never the credential), for tenant-isolation
   * checks: the API token (SSWS), the access token (Bearer, DPoP), or at the token endpoint the client
   * secret (Basic) or client assertion.
   */
  tokenHash: string | undefined;
  /** How the request authenticated; undefined when it carried nothing usable. */
  authScheme?: AuthScheme;
  /** The OAuth client: at the token endpoint the one authenticating; elsewhere the one the token is for. */
  clientId?: string;
  /** The answer's X-Okta-Request-Id, which the System Log events of the request name too. */
  requestId: string;
}

export interface ServerState {
  org: SandboxOrg;
  api: OktaApiDescription;
  /** Okta's OAuth description, for the authorization server's endpoints. */
  oauthApi: OktaApiDescription;
  oauth: AuthorizationServer;
  tokens: Map<string, Principal>;
  faults: Faults;
  rateLimits: RateLimiter;
  latencyMs: number;
  maxConcurrent: number;
  checkResponses: boolean;
  inFlight: number;
  /** Answers of ours that broke Okta's description: sandbox bugs. Tests expect none. */
  contractViolations: string[];
  /**
   * Requests received that broke Okta's description: the clients' bugs. Each is recorded, and answered as
   * Okta answers it (refused, or served as if the problem were not there). Tests expect none.
   */
  requestViolations: string[];
  served: ServedRequest[];
}
