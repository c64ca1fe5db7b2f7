/**
 * The sandbox's HTTP side: one request goes through the in-flight limit, authentication, the rate limit,
 * any programmed faults, the check against Okta's API description, the route, and the check of the answer
 * against the description, in that order (Okta checks the token before anything else).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { forbidden, invalidToken, notFound, OktaHttpError } from './errors.js';
import type { Fault, Faults } from './faults.js';
import type { OktaApiDescription } from './okta-api.js';
import type { SandboxOrg } from './org.js';
import { requestedPageNumber } from './paging.js';
import type { RateLimiter } from './rate-limits.js';
import type { Principal, RouteResult } from './route.js';
import { routes } from './routes.js';

export interface ServedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  /** A short hash of the token the request carried (never the token), for tenant-isolation checks. */
  tokenHash: string | undefined;
}

export interface ServerState {
  org: SandboxOrg;
  api: OktaApiDescription;
  tokens: Map<string, Principal>;
  faults: Faults;
  rateLimits: RateLimiter;
  latencyMs: number;
  maxConcurrent: number;
  checkResponses: boolean;
  inFlight: number;
  /** Answers of ours that broke Okta's description: sandbox bugs. Tests expect none. */
  contractViolations: string[];
  /** Requests received that broke Okta's description (refused with 400): the clients' bugs. */
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
    const principal = authenticate(state, req.headers.authorization, record);
    const matched = state.api.match(method, url.pathname);
    if (!matched) throw unknownEndpoint(state, method, url.pathname);
    const { operation, params } = matched;
    record.operationId = operation.operationId;
    if (!principal.admin) throw forbidden();

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

    const problems = state.api.checkRequest({ method, path: url.pathname + url.search, body: raw });
    if (problems.length > 0) {
      state.requestViolations.push(...problems);
      throw new OktaHttpError(
        400,
        'E0000001',
        `Api validation failed: ${operation.operationId}`,
        problems.map(stripLabel),
      );
    }
    const handler = routes[operation.operationId];
    if (!handler)
      throw new OktaHttpError(501, 'E0000022', 'The sandbox does not implement this operation yet.');
    const result = await handler({
      org: state.org,
      operationId: operation.operationId,
      params,
      url,
      query: url.searchParams,
      body: raw ? JSON.parse(raw) : undefined,
      headers: req.headers,
      principal,
    });
    const violations =
      result.status < 300 ? state.api.checkResponse(operation.operationId, result.status, result.body) : [];
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
    const failure =
      error instanceof OktaHttpError
        ? error
        : new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
            `sandbox error: ${(error as Error).message}`,
          ]);
    if (!(error instanceof OktaHttpError))
      state.contractViolations.push(`sandbox error: ${(error as Error).stack}`);
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

function authenticate(state: ServerState, header: string | undefined, record: ServedRequest): Principal {
  const match = /^SSWS (\S+)$/.exec(header ?? '');
  if (match) record.tokenHash = createHash('sha256').update(match[1]!).digest('hex').slice(0, 12);
  const principal = match ? state.tokens.get(match[1]!) : undefined;
  if (!principal) throw invalidToken();
  return principal;
}

function unknownEndpoint(state: ServerState, method: string, path: string): OktaHttpError {
  const otherMethod = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].some(
    (m) => m !== method && state.api.match(m, path),
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
    'x-okta-request-id': Math.random().toString(36).slice(2, 14),
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
