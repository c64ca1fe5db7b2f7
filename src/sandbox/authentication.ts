/**
 * Who a Management API request acts as: an API token's admin, or what an OAuth access token (Bearer, or
 * DPoP with its proof) was issued to; and Okta's answer when the token is refused.
 */
import type { IncomingMessage } from 'node:http';
import { forbidden, invalidToken, OktaHttpError } from './errors.js';
import { shortHash } from './oauth/oauth-route.js';
import {
  holdsOneOf,
  insufficientScope,
  type PresentedAccessToken,
  ResourceRefused,
  verifyPresentedToken,
} from './oauth/resource-auth.js';
import type { Principal } from './route.js';
import type { ServedRequest, ServerState } from './server-state.js';

/** The origins a client may name the sandbox by (htu, aud): the org URL, and the Host it connected to. */
export function originsOf(state: ServerState, req: IncomingMessage): string[] {
  const host = req.headers.host;
  const viaHost = host && /^[\w.[\]:-]+$/.test(host) ? `http://${host}` : undefined;
  return [...new Set([state.org.baseUrl, ...(viaHost ? [viaHost] : [])])];
}

/**
 * Who a Management API request acts as: the admin of an API token (SSWS), or what an OAuth access token was
 * issued to (Bearer, or DPoP with a proof), provided the token holds one of the operation's scopes.
 */
export function authenticate(
  state: ServerState,
  req: IncomingMessage,
  url: URL,
  operationId: string | undefined,
  record: ServedRequest,
): Principal {
  const header = req.headers.authorization ?? '';
  const ssws = /^SSWS (\S+)$/.exec(header);
  if (ssws) {
    Object.assign(record, { authScheme: 'SSWS', tokenHash: shortHash(ssws[1]!) });
    const principal = state.tokens.get(ssws[1]!);
    if (!principal) throw invalidToken();
    return principal;
  }
  const [, scheme, accessToken] = /^(Bearer|DPoP)\s+(\S+)$/i.exec(header) ?? [];
  if (!scheme || !accessToken) throw invalidToken();
  const presented: PresentedAccessToken = {
    scheme: scheme.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer',
    token: accessToken,
    proof: req.headers.dpop,
    method: req.method ?? 'GET',
    path: url.pathname,
    origins: originsOf(state, req),
    orgUrl: state.org.baseUrl,
    requiredScopes: operationId ? state.api.scopesOf(operationId) : [],
  };
  Object.assign(record, { authScheme: presented.scheme, tokenHash: shortHash(accessToken) });
  try {
    const granted = verifyPresentedToken(state.oauth, presented);
    record.clientId = granted.clientId;
    if (operationId && !holdsOneOf(granted.scopes, presented.requiredScopes))
      throw insufficientScope(presented, granted);
    return state.oauth.principalOf(accessToken, granted);
  } catch (error) {
    if (error instanceof ResourceRefused) throw managementRefusal(error);
    throw error;
  }
}

/**
 * The Management API's answer to a refused access token: Okta's error body for the status, and the OAuth
 * challenge in WWW-Authenticate. A DPoP proof problem is a 400 at Okta; its body is not documented, and
 * the sandbox sends E0000011 (the token cannot be used) with it.
 */
function managementRefusal(refusal: ResourceRefused): OktaHttpError {
  const headers = { 'WWW-Authenticate': refusal.challenge };
  if (refusal.status === 403) {
    const { status, errorCode, errorSummary } = forbidden();
    return new OktaHttpError(status, errorCode, errorSummary, [], headers);
  }
  return new OktaHttpError(refusal.status, 'E0000011', 'Invalid token provided', [], headers);
}
