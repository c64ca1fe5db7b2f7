/**
 * Running a request's route: a Management API handler, acting as the token's user or app in the System
 * Log, or an authorization server endpoint, whose OAuth errors become answers.
 */
import type { IncomingMessage } from 'node:http';
import { originsOf } from './authentication.js';
import { OktaHttpError } from './errors.js';
import { OAuthHttpError } from './oauth/errors.js';
import type { OAuthRouteContext } from './oauth/oauth-route.js';
import { oauthRoutes } from './oauth/routes.js';
import type { Principal, RouteResult } from './route.js';
import { routes } from './routes.js';
import type { ServedRequest, ServerState } from './server-state.js';
import type { LogRequestContext } from './system-log.js';

/** Runs a Management API route; what it changes is logged as done by the token's user or app. */
export async function runManagementRoute(
  state: ServerState,
  operationId: string,
  request: {
    params: Record<string, string>;
    url: URL;
    raw: string;
    req: IncomingMessage;
    principal: Principal;
    takesBody: boolean;
    record: ServedRequest;
  },
): Promise<RouteResult> {
  const handler = routes[operationId];
  if (!handler)
    throw new OktaHttpError(501, 'E0000022', 'The sandbox does not implement this operation yet.');
  const { log } = state.org;
  const sandboxAdmin = log.actor;
  if (request.principal.actor) log.actor = request.principal.actor;
  log.request = logContextOf(request.req, request.url, request.record);
  let answer: RouteResult | Promise<RouteResult>;
  try {
    // The actor holds while the handler runs synchronously, which is where handlers record their events:
    // requests in flight at once cannot take each other's actor.
    answer = handler({
      org: state.org,
      operationId,
      params: request.params,
      url: request.url,
      query: request.url.searchParams,
      // Okta reads a body only for an operation that takes one (the request check refused unreadable ones).
      body: request.raw && request.takesBody ? JSON.parse(request.raw) : undefined,
      headers: request.req.headers,
      principal: request.principal,
    });
  } finally {
    log.actor = sandboxAdmin;
    log.request = undefined;
  }
  return answer;
}

/** What the System Log events of a request say about it. */
function logContextOf(req: IncomingMessage, url: URL, record: ServedRequest): LogRequestContext {
  return {
    requestId: record.requestId,
    requestUri: url.pathname,
    url: url.pathname + url.search,
    ipAddress: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: String(req.headers['user-agent'] ?? ''),
  };
}

/** Runs an authorization server route; its OAuth errors become answers, so they are checked like the rest. */
export function runOAuthRoute(
  state: ServerState,
  operationId: string,
  request: { url: URL; raw: string; req: IncomingMessage; method: string; record: ServedRequest },
): RouteResult {
  const handler = oauthRoutes[operationId];
  if (!handler)
    throw new OktaHttpError(501, 'E0000022', 'The sandbox does not implement this operation yet.');
  const context: OAuthRouteContext = {
    server: state.oauth,
    org: state.org,
    method: request.method,
    url: request.url,
    headers: request.req.headers,
    form: new URLSearchParams(request.method === 'POST' ? request.raw : ''),
    origins: originsOf(state, request.req),
    notes: request.record,
  };
  state.org.log.request = logContextOf(request.req, request.url, request.record);
  try {
    return handler(context);
  } catch (error) {
    if (error instanceof OAuthHttpError || error instanceof OktaHttpError)
      return { status: error.status, body: error.body(), headers: error.headers };
    throw error;
  } finally {
    state.org.log.request = undefined;
  }
}
