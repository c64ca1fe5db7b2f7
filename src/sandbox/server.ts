/**
 * The sandbox's HTTP side: one request goes through the in-flight limit, authentication, the rate limit,
 * any programmed faults, the check against Okta's API description, the route, and the check of the answer
 * against the description, in that order (Okta checks the token before anything else).
 *
 * Two APIs answer here, each held to its own description: the Management API (/api/v1/..., an API token or
 * an OAuth access token) and the org authorization server (/oauth2/v1/..., /.well-known/...), whose
 * endpoints authenticate the client or the token themselves and answer OAuth's error shape.
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { bodyNotWellFormed, forbidden, invalidToken, notFound, OktaHttpError } from './errors.js';
import type { Fault, Faults } from './faults.js';
import type { AuthorizationServer } from './oauth/authorization-server.js';
import { invalidRequest, OAuthHttpError } from './oauth/errors.js';
import { type AuthScheme, type OAuthRouteContext, shortHash } from './oauth/oauth-route.js';
import {
  holdsOneOf,
  insufficientScope,
  type PresentedAccessToken,
  ResourceRefused,
  verifyPresentedToken,
} from './oauth/resource-auth.js';
import { oauthRoutes } from './oauth/routes.js';
import type { OktaApiDescription, RequestProblem } from './okta-api.js';
import type { SandboxOrg } from './org.js';
import { requestedPageNumber } from './paging.js';
import type { RateLimiter } from './rate-limits.js';
import type { Principal, RouteResult } from './route.js';
import { routes } from './routes.js';
import type { LogRequestContext } from './system-log.js';

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

const MAX_BODY_BYTES = 1_000_000;
const MAX_SERVED_RECORDS = 10_000;

export async function handleRequest(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  state.inFlight += 1;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', state.org.baseUrl);
  const record: ServedRequest = {
    method,
    path: url.pathname,
    operationId: undefined,
    status: 0,
    tokenHash: undefined,
    requestId: randomBytes(9).toString('base64url'),
  };
  let rateHeaders: Record<string, string> = {};
  try {
    const raw = await readBody(req);
    if (state.inFlight > state.maxConcurrent) {
      // Okta's concurrency limit answers with the limit in the headers and a reset about a second away.
      rateHeaders = {
        'x-rate-limit-limit': String(state.maxConcurrent),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 1),
      };
      throw new OktaHttpError(
        429,
        'E0000047',
        'API call exceeded rate limit due to too many concurrent requests.',
      );
    }
    const isOAuth = isAuthorizationServerPath(url.pathname);
    const api = isOAuth ? state.oauthApi : state.api;
    const matched = api.match(method, url.pathname);
    // The Management API checks the token first, even for an endpoint it does not have; the authorization
    // server's endpoints authenticate the client or the token themselves.
    const principal = isOAuth
      ? undefined
      : authenticate(state, req, url, matched?.operation.operationId, record);
    if (!matched) throw unknownEndpoint(api, method, url.pathname);
    const { operation, params } = matched;
    record.operationId = operation.operationId;
    if (principal && !principal.admin) throw forbidden();

    const decision = state.rateLimits.take(operation.operationId);
    rateHeaders = decision.headers;
    if (!decision.allowed) {
      throw new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
    }

    const faults = state.faults.match({
      operationId: operation.operationId,
      method,
      path: url.pathname,
      page: requestedPageNumber(url),
    });
    for (const { fault } of faults) if (fault.kind === 'latency') await sleep(fault.ms);
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const struck = faults.find(({ fault }) => fault.kind !== 'latency') as
      | { fault: Exclude<Fault, { kind: 'latency' }>; lostAnswer: boolean }
      | undefined;
    if (struck && !struck.lostAnswer && (await applyFault(struck.fault, req, res, rateHeaders, record)))
      return;

    const problems = api.requestProblems({
      method,
      path: url.pathname + url.search,
      body: raw,
      headers: req.headers,
    });
    state.requestViolations.push(...problems.map((problem) => problem.message));
    refuseAsOktaWould(problems, operation.operationId, isOAuth);
    const result = principal
      ? await runManagementRoute(state, operation.operationId, {
          params,
          url,
          raw,
          req,
          principal,
          takesBody: operation.requestBody !== undefined,
          record,
        })
      : runOAuthRoute(state, operation.operationId, { url, raw, req, method, record });
    const violations = answerProblems(api, operation.operationId, result, isOAuth);
    if (violations.length > 0) {
      state.contractViolations.push(...violations);
      if (state.checkResponses) {
        throw new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
          `sandbox answer breaks Okta's API description: ${violations[0]}`,
        ]);
      }
    }
    // Carried out; now the answer is lost on its way, if a fault says so.
    if (struck?.lostAnswer && (await applyFault(struck.fault, req, res, rateHeaders, record))) return;
    send(res, result, rateHeaders, record);
  } catch (error) {
    const known = error instanceof OktaHttpError || error instanceof OAuthHttpError;
    const failure = known
      ? error
      : new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
          `sandbox error: ${(error as Error).message}`,
        ]);
    if (!known) state.contractViolations.push(`sandbox error: ${(error as Error).stack}`);
    send(
      res,
      { status: failure.status, body: failure.body(), headers: failure.headers },
      rateHeaders,
      record,
    );
  } finally {
    state.inFlight -= 1;
    state.served.push(record);
    if (state.served.length > MAX_SERVED_RECORDS)
      state.served.splice(0, state.served.length - MAX_SERVED_RECORDS);
  }
}

/**
 * Okta's answer to a request that breaks its description, where Okta refuses it: E0000003 when its JSON
 * reader cannot read the body, E0000001 naming each violation when its validation refuses the request.
 * What Okta ignores (an undeclared query parameter) is only recorded. An OAuth endpoint says so the OAuth
 * way (RFC 6749 5.2): invalid_request.
 */
function refuseAsOktaWould(problems: RequestProblem[], operationId: string, isOAuth: boolean): void {
  const refused = problems.filter((problem) => problem.okta !== 'ignores');
  if (refused.length === 0) return;
  if (isOAuth) throw invalidRequest(stripLabel(refused[0]!.message));
  if (refused.some((problem) => problem.okta === 'unreadable')) throw bodyNotWellFormed();
  throw new OktaHttpError(
    400,
    'E0000001',
    `Api validation failed: ${operationId}`,
    refused.map((problem) => stripLabel(problem.message)),
  );
}

/** The org authorization server's paths; everything else is the Management API. */
function isAuthorizationServerPath(path: string): boolean {
  return path.startsWith('/oauth2/') || path.startsWith('/.well-known/');
}

/** The origins a client may name the sandbox by (htu, aud): the org URL, and the Host it connected to. */
function originsOf(state: ServerState, req: IncomingMessage): string[] {
  const host = req.headers.host;
  const viaHost = host && /^[\w.[\]:-]+$/.test(host) ? `http://${host}` : undefined;
  return [...new Set([state.org.baseUrl, ...(viaHost ? [viaHost] : [])])];
}

/**
 * Who a Management API request acts as: the admin of an API token (SSWS), or what an OAuth access token was
 * issued to (Bearer, or DPoP with a proof), provided the token holds one of the operation's scopes.
 */
function authenticate(
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

/** Runs a Management API route; what it changes is logged as done by the token's user or app. */
async function runManagementRoute(
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
function runOAuthRoute(
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

/**
 * What in an answer breaks the description. Success answers always count; for the authorization server,
 * so do the error answers its description documents (the token endpoint's OAuth errors), but not the
 * authorize redirect, whose answers the description leaves out on purpose.
 */
function answerProblems(
  api: OktaApiDescription,
  operationId: string,
  result: RouteResult,
  isOAuth: boolean,
): string[] {
  const checked =
    result.status < 300 || (isOAuth && result.status >= 400 && api.documents(operationId, result.status));
  return checked ? api.checkResponse(operationId, result.status, result.body) : [];
}

function unknownEndpoint(api: OktaApiDescription, method: string, path: string): OktaHttpError {
  const otherMethod = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].some(
    (m) => m !== method && api.match(m, path),
  );
  if (otherMethod)
    return new OktaHttpError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
  return notFound(path, 'Endpoint');
}

/** The request label the checker puts first ("GET /api/v1/users (listUsers): ") is noise in an error cause. */
function stripLabel(problem: string): string {
  return problem.replace(/^[A-Z]+ \S+ \(\w+\)(: | )/, '');
}

/** Sends a faulty answer; true when the request is finished with it. */
async function applyFault(
  fault: Exclude<Fault, { kind: 'latency' }>,
  req: IncomingMessage,
  res: ServerResponse,
  rateHeaders: Record<string, string>,
  record: ServedRequest,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      const body =
        fault.body ??
        new OktaHttpError(
          fault.status,
          fault.status === 503 ? 'E0000010' : 'E0000009',
          fault.status === 503 ? 'Service is in read only mode' : 'Internal Server Error',
        ).body();
      send(res, { status: fault.status, body }, rateHeaders, record);
      return true;
    }
    case 'reset':
      record.status = -1;
      req.socket.destroy();
      return true;
    case 'truncate': {
      record.status = -2;
      const body = JSON.stringify([
        { id: '00u0000000000truncat', status: 'ACTIVE', profile: { login: 'cut@example.com' } },
      ]);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(body.length * 2),
        ...rateHeaders,
      });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      setImmediate(() => req.socket.destroy());
      return true;
    }
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json', ...rateHeaders });
      res.end('{"id": "00u0000000000malform", "status": ');
      record.status = 200;
      return true;
    case 'hang': {
      // Slower than any client timeout; ends early when the client gives up.
      const closed = new AbortController();
      res.on('close', () => closed.abort());
      await sleep(fault.ms ?? 600_000, undefined, { signal: closed.signal }).catch(() => undefined);
      if (!res.writableEnded && !res.destroyed) send(res, { status: 200, body: [] }, rateHeaders, record);
      return true;
    }
  }
}

function send(
  res: ServerResponse,
  result: RouteResult,
  rateHeaders: Record<string, string>,
  record: ServedRequest,
): void {
  record.status = result.status;
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {
    date: new Date().toUTCString(),
    'x-okta-request-id': record.requestId,
    ...rateHeaders,
    ...result.headers,
  };
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(result.body);
  res.writeHead(result.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new OktaHttpError(413, 'E0000001', 'Api validation failed: body', [
            'body: The request body is too large',
          ]),
        );
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
