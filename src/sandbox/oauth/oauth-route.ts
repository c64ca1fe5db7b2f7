/** What the authorization server's endpoints (authorize, token, userinfo, metadata) get and give back. */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxOrg } from '../org.js';
import type { RouteResult } from '../route.js';
import type { AuthorizationServer } from './authorization-server.js';

/** How a request authenticated: an API token, an access token, or a client at the token endpoint. */
export type AuthScheme = 'SSWS' | 'Bearer' | 'DPoP' | 'Basic' | 'client_assertion' | 'none';

/** What the served-request record says about a request's credentials (never the credential itself). */
export interface CredentialNotes {
  authScheme?: AuthScheme;
  /** A short SHA-256 of the credential (token, secret or assertion). */
  tokenHash?: string;
  /** The OAuth client: the one authenticating at the token endpoint, or the one a token was issued to. */
  clientId?: string;
}

export interface OAuthRouteContext {
  server: AuthorizationServer;
  org: SandboxOrg;
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The form-encoded body (the token request), empty for a GET. */
  form: URLSearchParams;
  /** The origins this request may name the sandbox by: the org URL and the Host header's (htu, aud). */
  origins: readonly string[];
  notes: CredentialNotes;
}

export type OAuthRouteHandler = (context: OAuthRouteContext) => RouteResult;

export function shortHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/** The URLs of a path under each origin the sandbox answers at. */
export function urlsAt(origins: readonly string[], path: string): string[] {
  return origins.map((origin) => `${origin}${path}`);
}
