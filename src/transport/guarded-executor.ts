/**
 * The single point every HTTP request to Okta passes through (SDK calls and raw JSON reads alike).
 *
 * It replaces the SDK's default executor (which retries only 429, waits without bound and has no timeout)
 * with one that:
 *   - refuses to send a request, and so the token, anywhere but the connection's own origin, never follows
 *     redirects, and under a dry run sends nothing but reads;
 *   - goes through the org's governor (concurrency, pacing as the budget runs low, waiting out a 429);
 *   - applies the caller's cancel signal, a per-request timeout and the action's deadline;
 *   - reads each answer's body in full before handing it on, so a reset or a body cut short is a failure of
 *     the request (and can be retried) rather than a half-read answer later;
 *   - retries reads and other idempotent requests (GET, PUT, DELETE) after a 5xx or a network failure,
 *     with exponential backoff and jitter. POST is never re-sent here: a create or a lifecycle call that
 *     may have reached Okta is checked by the action instead (see src/domain/create-once.ts);
 *   - records the request count and the last rate-limit reading for `meta`.
 */
import { EventEmitter } from 'node:events';
import type { Agent } from 'node:http';
import type { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { RequestOptions } from '@okta/okta-sdk-nodejs/src/types/request-options.js';
import type { Response } from 'node-fetch';
import { ActionError } from '../errors/action-error.js';
import { type Answer, startExchange } from '../http/http-exchange.js';
import { readRateLimit, retryAfterMs } from '../http/rate-limit.js';
import type { Authorizer } from '../oauth/authorizer.js';
import { type CallScope, currentScope } from './call-scope.js';
import { endpointFamily, governorFor, pause } from './governor.js';

/** Methods whose repetition leaves Okta as one request would (RFC 9110); only these are retried here. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/**
 * The exception: DELETE of a user is two-phase in Okta (the first deactivates, the second deletes), so
 * sending it again is not harmless. delete-user checks the user's state instead (create-once.ts).
 */
const TWO_PHASE_DELETE = /^\/api\/v1\/users\/[^/]+$/;
/** Network failures after which the same request may well succeed. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const SLASH = '/'.charCodeAt(0);
/** A 429 is waited out (within maxWaitMs) at most this many times for one request. */
const MAX_RATE_LIMIT_ROUNDS = 10;
const BACKOFF_BASE_MS = 200;

export function createGuardedExecutor(origin: string, agent: Agent, authorizer: Authorizer): RequestExecutor {
  return new GuardedRequestExecutor(origin, agent, authorizer);
}

/** Said by a step of a request's attempts when the request goes round once more. */
const AGAIN = Symbol('send the request again');

/** One request through its attempts: what the loop decides on, and what it has seen so far. */
interface Attempts {
  request: RequestOptions;
  method: string;
  scope: CallScope;
  family: string;
  governor: ReturnType<typeof governorFor>;
  isTokenRequest: boolean;
  /** A read, PUT or DELETE (not a user's two-phase DELETE): safe to send again after a failure. */
  retryable: boolean;
  failures: number;
  rateLimitRounds: number;
  /** A 401 was already answered with fresh credentials (once per request). */
  recovered: boolean;
}

// An EventEmitter as the SDK's RequestExecutor type is, although the SDK only ever calls fetch().
class GuardedRequestExecutor extends EventEmitter {
  /** Requests to the token endpoint carry their own client authentication (see src/oauth/authorizer.ts). */
  private readonly tokenUrl: string;

  constructor(
    private readonly origin: string,
    private readonly agent: Agent,
    private readonly authorizer: Authorizer,
  ) {
    super();
    this.tokenUrl = `${origin}/oauth2/v1/token`;
  }

  async fetch(request: RequestOptions): Promise<Response> {
    const attempts = this.attemptsOf(request, currentScope());
    for (;;) {
      // Before the governor's slot: getting a token is a request of its own.
      const sent = attempts.isTokenRequest
        ? request
        : await authorized(request, attempts.method, this.authorizer);
      const response = await this.sendOnce(attempts, sent);
      if (response === AGAIN) continue;
      const verdict = await this.judge(attempts, sent, response);
      if (verdict !== AGAIN) return verdict;
    }
  }

  /** The request checked (its origin, its path, the dry-run guard) and its attempts' starting point. */
  private attemptsOf(request: RequestOptions, scope: CallScope): Attempts {
    assertSameOrigin(request.url, this.origin);
    assertNoDotSegments(request.url);
    const method = String(request.method ?? 'GET').toUpperCase();
    const isTokenRequest = request.url === this.tokenUrl;
    // The safety net under dry runs: whatever a handler does, nothing but reads leaves the process
    // (and the token request a read needs, which changes nothing in the org).
    if (scope.dryRun && method !== 'GET' && !isTokenRequest) {
      throw new ActionError(
        'INTERNAL',
        `A dry run tried to send ${method} ${safePath(request.url)}; it was not sent. This is a bug in okta-actions; please report it.`,
        { retryable: false },
      );
    }
    return {
      request,
      method,
      scope,
      family: endpointFamily(method, request.url ?? this.origin),
      // Looked up per request: the governor belongs to the org, not to this client.
      governor: governorFor(this.origin),
      isTokenRequest,
      retryable:
        IDEMPOTENT_METHODS.has(method) &&
        !(method === 'DELETE' && TWO_PHASE_DELETE.test(safePath(request.url))),
      failures: 0,
      rateLimitRounds: 0,
      recovered: false,
    };
  }

  /** One attempt in the governor's slot: the answer, or AGAIN after a failure worth retrying. */
  private async sendOnce(attempts: Attempts, sent: RequestOptions): Promise<Response | typeof AGAIN> {
    const { scope, governor, family } = attempts;
    const permit = await governor.acquire(family, scope);
    let response: Response;
    try {
      response = await this.fetchOnce(sent, attempts.method, scope);
    } catch (error) {
      permit.failed();
      if (attempts.retryable && attempts.failures < scope.maxRetries && isTransient(error, scope)) {
        attempts.failures += 1;
        await backOff(attempts.failures, scope);
        return AGAIN;
      }
      throw error;
    }
    // Its reading taken, a 429 blocking the family until the reset (for the fleet, with a shared store).
    permit.answered(response.headers, response.status);
    scope.abortReason = undefined; // an earlier attempt's timeout is over
    const reading = readRateLimit(response.headers);
    if (reading) scope.rateLimit = reading;
    return response;
  }

  /** What an answer means: hand it back, or AGAIN (a 429 to wait out, a 5xx to retry, a 401 to recover). */
  private async judge(
    attempts: Attempts,
    sent: RequestOptions,
    response: Response,
  ): Promise<Response | typeof AGAIN> {
    const { scope, method } = attempts;
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers);
      const budget = Math.min(scope.maxWaitMs - scope.waitedMs, scope.deadline - Date.now());
      // An unknown or too long wait is the caller's decision: hand back the 429 (RATE_LIMITED, retryAfterMs).
      attempts.rateLimitRounds += 1;
      if (wait === undefined || wait > budget || attempts.rateLimitRounds > MAX_RATE_LIMIT_ROUNDS)
        return response;
      return AGAIN; // the governor holds the next attempt until the reset
    }
    if (response.status >= 500 && attempts.retryable && attempts.failures < scope.maxRetries) {
      attempts.failures += 1;
      await backOff(attempts.failures, scope);
      return AGAIN;
    }
    // A refused token (expired, revoked, a DPoP nonce to use): once per request, with fresh credentials.
    if (response.status === 401 && !attempts.isTokenRequest && !attempts.recovered) {
      attempts.recovered = true;
      const sentAuthorization = (sent.headers as Record<string, string> | undefined)?.Authorization;
      const url = attempts.request.url ?? '';
      if (await this.authorizer.recover({ status: 401, headers: response.headers, url, sentAuthorization }))
        return AGAIN;
    }
    // A DELETE retried after a failure that may have reached Okta, now answered "not found": the
    // earlier try deleted it. That is the success the caller asked for, not a missing object.
    if (method === 'DELETE' && attempts.failures > 0 && response.status === 404) return noContent(response);
    return response;
  }

  /** One exchange: the answer with its body read in full, or the failure. */
  private async fetchOnce(request: RequestOptions, method: string, scope: CallScope): Promise<Response> {
    if (scope.signal?.aborted) throw cancelledError(scope);
    const untilDeadline = scope.deadline - Date.now();
    if (untilDeadline <= 0) throw deadlineError(scope, method, request);
    const limitedByDeadline = untilDeadline < scope.requestTimeoutMs;
    const exchange = startExchange(
      request.url ?? '',
      {
        method,
        headers: (request.headers ?? {}) as Record<string, string>,
        body: request.body as string | undefined,
      },
      this.agent,
    );
    let reason: CallScope['abortReason'];
    const stop = (why: typeof reason) => {
      reason ??= why;
      exchange.abort();
    };
    // Our own timer rather than AbortSignal.timeout: it is cleared as soon as the answer is in, so a
    // busy host does not keep a pending 30 s timer (and its closure) for every request it made.
    const timer = setTimeout(
      () => stop(limitedByDeadline ? 'deadline' : 'timeout'),
      Math.min(scope.requestTimeoutMs, untilDeadline),
    );
    const onCancel = () => stop('cancelled');
    scope.signal?.addEventListener('abort', onCancel, { once: true });
    scope.requests += 1;
    try {
      // Redirects are never followed: one from an API endpoint means a wrong address, and following it
      // could carry the token away.
      return answered(await exchange.answer);
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError' || !reason) throw error;
      scope.abortReason = reason;
      if (reason === 'cancelled') throw cancelledError(scope);
      if (reason === 'deadline') throw deadlineError(scope, method, request);
      throw timeoutError(scope, method, request);
    } finally {
      clearTimeout(timer);
      scope.signal?.removeEventListener('abort', onCancel);
    }
  }
}

/** The request with this connection's credentials (replacing the placeholder the SDK was built with). */
async function authorized(
  request: RequestOptions,
  method: string,
  authorizer: Authorizer,
): Promise<RequestOptions> {
  const credentials = await authorizer.headersFor(method, request.url ?? '');
  // The request's own Authorization and DPoP (the SDK's placeholder) are dropped, whatever their case.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((request.headers ?? {}) as Record<string, string>)) {
    const lower = name.toLowerCase();
    if (lower !== 'authorization' && lower !== 'dpop') headers[name] = value;
  }
  return { ...request, headers: Object.assign(headers, credentials) };
}

/**
 * The answer as the SDK's executor contract has it (a fetch Response): a small object with the parts of
 * one that the SDK and our code read (status, headers, url, text, json, buffer), over the body already
 * read in full.
 */
function answered(answer: Answer): Response {
  return new BufferedAnswer(answer) as unknown as Response;
}

class BufferedAnswer {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Answer['headers'];
  private readonly body: Buffer;

  constructor({ url, status, statusText, headers, body }: Answer) {
    this.url = url;
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.body = body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    try {
      return JSON.parse(this.body.toString('utf8'));
    } catch (cause) {
      // node-fetch's shape for a body that is not JSON, which the error mapper and the create-once
      // checks know (a garbled answer to a create may hide a create that took): not our defect.
      throw Object.assign(
        new Error(`invalid json response body at ${this.url} reason: ${(cause as Error).message}`),
        { name: 'FetchError', type: 'invalid-json' },
      );
    }
  }

  async buffer(): Promise<Buffer> {
    return this.body;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.body;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  }
}

/** An empty 204 in place of the answer (its headers, with the rate-limit reading, are kept). */
function noContent(response: Response): Response {
  return answered({
    url: response.url,
    status: 204,
    statusText: 'No Content',
    headers: response.headers as unknown as Answer['headers'],
    body: Buffer.alloc(0),
  });
}

/** A failure worth another attempt: a network failure, or a request timeout (not a cancel or the deadline). */
function isTransient(error: unknown, scope: CallScope): boolean {
  if (error instanceof ActionError)
    return error.envelope.code === 'TIMEOUT' && scope.abortReason === 'timeout';
  const thrown = error as { name?: string; code?: string; type?: string };
  return (
    thrown.name === 'FetchError' && (TRANSIENT_CODES.has(thrown.code ?? '') || thrown.type === 'body-timeout')
  );
}

/** Waits before retry n: 200 ms, 400 ms, 800 ms..., each between half and one and a half times that. */
async function backOff(failures: number, scope: CallScope): Promise<void> {
  const wait = BACKOFF_BASE_MS * 2 ** (failures - 1) * (0.5 + Math.random());
  if (Date.now() + wait >= scope.deadline) return; // the next attempt meets the deadline and says so
  await pause(wait, scope);
}

function assertSameOrigin(url: string | undefined, origin: string): void {
  // The origin and then a slash: the authority ends at that slash, so this is the origin, without parsing
  // the URL (as every request's check did; ~2% of a warm call). Anything else is parsed and compared.
  if (url?.startsWith(origin) && url.charCodeAt(origin.length) === SLASH) return;
  let target: string | undefined;
  try {
    target = new URL(url ?? '').origin;
  } catch {
    target = undefined;
  }
  if (target !== origin) {
    throw new ActionError(
      'UPSTREAM',
      `Refused to send a request outside the connection's Okta org (${origin}); the credentials stay with that org.`,
      { retryable: false },
    );
  }
}

/**
 * An id or login of "." or ".." makes a path segment that URL parsing removes, turning the request into
 * another one (/api/v1/users/. is the user list). Input validation refuses them; this is the net under it.
 */
function assertNoDotSegments(url: string | undefined): void {
  // A dot segment follows a slash, as "." or as %2e: a URL with neither cannot have one.
  if (url === undefined || (!url.includes('/.') && !/%2e/i.test(url))) return;
  const path = (url ?? '').replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  if (
    path.split('/').some((segment) => segment === '.' || segment === '..' || /^%2e(%2e)?$/i.test(segment))
  ) {
    throw new ActionError(
      'INVALID_INPUT',
      'An id or name in the request was "." or "..", which would change which endpoint the request reaches. Nothing was sent to Okta.',
      { retryable: false },
    );
  }
}

function cancelledError(scope: CallScope): ActionError {
  scope.abortReason = 'cancelled';
  return new ActionError('CANCELLED', 'The run was cancelled before Okta answered.', { retryable: false });
}

function timeoutError(scope: CallScope, method: string, request: RequestOptions): ActionError {
  return new ActionError(
    'TIMEOUT',
    `Okta did not answer ${method} ${safePath(request.url)} within ${seconds(scope.requestTimeoutMs)} s (the request timeout). Okta may be slow or unreachable; try again later.`,
    { retryable: true },
  );
}

function deadlineError(scope: CallScope, method: string, request: RequestOptions): ActionError {
  scope.abortReason = 'deadline';
  return new ActionError(
    'TIMEOUT',
    `The action ran past its deadline of ${seconds(scope.actionTimeoutMs)} s (the action timeout) while waiting for ${method} ${safePath(request.url)}.`,
    { retryable: true },
  );
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** The path of a request URL without its query, which can hold search terms from the input. */
function safePath(url: string | undefined): string {
  try {
    return new URL(url ?? '').pathname;
  } catch {
    return '(unknown path)';
  }
}
