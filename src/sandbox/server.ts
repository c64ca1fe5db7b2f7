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
import { authenticate } from './authentication.js';
import { bodyNotWellFormed, forbidden, notFound, OktaHttpError } from './errors.js';
import { applyFault } from './fault-answers.js';
import type { Fault } from './faults.js';
import { readBody, send } from './http-io.js';
import { invalidRequest, OAuthHttpError } from './oauth/errors.js';
import type { OktaApiDescription, RequestProblem } from './okta-api.js';
import { requestedPageNumber } from './paging.js';
import type { RouteResult } from './route.js';
import { runManagementRoute, runOAuthRoute } from './route-runner.js';
import type { ServedRequest, ServerState } from './server-state.js';

const MAX_SERVED_RECORDS = 10_000;

/** One request on its way through the steps, and the rate limit headers that go with any answer to it. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  record: ServedRequest;
  rateHeaders: Record<string, string>;
}

/** A programmed fault other than latency, and whether it strikes after the route has run. */
type StruckFault = { fault: Exclude<Fault, { kind: 'latency' }>; lostAnswer: boolean };

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
  const exchange: Exchange = { req, res, method, url, record, rateHeaders: {} };
  try {
    await serve(state, exchange);
  } catch (error) {
    send(res, failureAnswer(state, error), exchange.rateHeaders, record);
  } finally {
    state.inFlight -= 1;
    keepServedRecord(state, record);
  }
}

/** The steps of one request, in the order the file's comment gives; a refusal is thrown as Okta's error. */
async function serve(state: ServerState, exchange: Exchange): Promise<void> {
  const { req, res, method, url, record } = exchange;
  const raw = await readBody(req);
  refuseBeyondConcurrencyLimit(state, exchange);
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
  takeRateLimit(state, exchange, operation.operationId);

  const struck = await programmedFault(state, exchange, operation.operationId);
  if (
    struck &&
    !struck.lostAnswer &&
    (await applyFault(struck.fault, req, res, exchange.rateHeaders, record))
  )
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
  checkAnswer(state, api, operation.operationId, result, isOAuth);
  // Carried out; now the answer is lost on its way, if a fault says so.
  if (struck?.lostAnswer && (await applyFault(struck.fault, req, res, exchange.rateHeaders, record))) return;
  send(res, result, exchange.rateHeaders, record);
}

/** Okta's concurrency limit answers with the limit in the headers and a reset about a second away. */
function refuseBeyondConcurrencyLimit(state: ServerState, exchange: Exchange): void {
  if (state.inFlight <= state.maxConcurrent) return;
  exchange.rateHeaders = {
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

/** Takes one request from the operation's rate limit; its headers go with the answer, a refusal included. */
function takeRateLimit(state: ServerState, exchange: Exchange, operationId: string): void {
  const decision = state.rateLimits.take(operationId);
  exchange.rateHeaders = decision.headers;
  if (!decision.allowed) {
    throw new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
  }
}

/** Waits out the programmed latency; returns the fault that strikes the request, if one does. */
async function programmedFault(
  state: ServerState,
  exchange: Exchange,
  operationId: string,
): Promise<StruckFault | undefined> {
  const { method, url } = exchange;
  const faults = state.faults.match({
    operationId,
    method,
    path: url.pathname,
    page: requestedPageNumber(url),
  });
  for (const { fault } of faults) if (fault.kind === 'latency') await sleep(fault.ms);
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  return faults.find(({ fault }) => fault.kind !== 'latency') as StruckFault | undefined;
}

/** An answer that breaks the description is recorded; with checkResponses on, the client gets a 500. */
function checkAnswer(
  state: ServerState,
  api: OktaApiDescription,
  operationId: string,
  result: RouteResult,
  isOAuth: boolean,
): void {
  const violations = answerProblems(api, operationId, result, isOAuth);
  if (violations.length === 0) return;
  state.contractViolations.push(...violations);
  if (state.checkResponses) {
    throw new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
      `sandbox answer breaks Okta's API description: ${violations[0]}`,
    ]);
  }
}

/** Okta's own error answer for a refusal; a 500 for anything else, which is a sandbox bug and recorded. */
function failureAnswer(state: ServerState, error: unknown): RouteResult {
  const known = error instanceof OktaHttpError || error instanceof OAuthHttpError;
  const failure = known
    ? error
    : new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
        `sandbox error: ${(error as Error).message}`,
      ]);
  if (!known) state.contractViolations.push(`sandbox error: ${(error as Error).stack}`);
  return { status: failure.status, body: failure.body(), headers: failure.headers };
}

function keepServedRecord(state: ServerState, record: ServedRequest): void {
  state.served.push(record);
  if (state.served.length > MAX_SERVED_RECORDS)
    state.served.splice(0, state.served.length - MAX_SERVED_RECORDS);
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
