/**
 * The one place where thrown things become the error envelope: the SDK's OktaApiError (a JSON error body),
 * its HttpError (a non-JSON body, often an HTML page), the transport's FetchError (DNS, refused, TLS, a
 * body cut short; node-fetch's shape, see src/http/http-exchange.ts), aborts and timeouts, and our own
 * ActionError. Messages are written for the person reading a flow's run log: what failed and what to do
 * next. Nothing here ever reads request headers, so the credentials cannot slip into a message.
 */

import { FORBIDDEN_ADDRESS } from '../http/address-guard.js';
import { retryAfterMs } from '../http/rate-limit.js';
import { ActionError, type ActionErrorEnvelope, type ErrorCode, type OktaErrorInfo } from './action-error.js';

interface ThrownOktaApiError {
  name: 'OktaApiError';
  status: number;
  errorCode?: string;
  errorSummary?: string;
  errorId?: string;
  errorCauses?: Array<{ errorSummary?: string }>;
  url?: string;
  headers?: { get(name: string): string | null };
}

interface ThrownHttpError {
  name: 'HttpError';
  status: number;
  url?: string;
  message?: string;
  headers?: { get(name: string): string | null };
}

interface ThrownFetchError {
  name: 'FetchError';
  type?: string;
  code?: string;
  errno?: string;
  message?: string;
}

/** Why the transport stopped a request (it aborted it), so that an abort says cancel or timeout. */
export interface AbortContext {
  abortReason: 'cancelled' | 'timeout' | 'deadline' | undefined;
  requestTimeoutMs: number;
}

export function toErrorEnvelope(error: unknown, scope?: AbortContext): ActionErrorEnvelope {
  if (error instanceof ActionError) return error.envelope;
  const name = nameOf(error);
  if (name === 'OktaApiError') return fromOktaApiError(error as ThrownOktaApiError);
  if (name === 'HttpError') return fromHttpError(error as ThrownHttpError);
  if (name === 'AbortError') return fromAbort(scope);
  if (name === 'FetchError') return fromFetchError(error as ThrownFetchError);
  if (isUnreadableJson(error)) return fromFetchError({ name: 'FetchError', type: 'invalid-json' });
  if (name === 'RequiredError') {
    const field = String((error as { field?: unknown }).field ?? 'a required field');
    return envelope('INVALID_INPUT', `A required value for the Okta call is missing (${field}).`, false);
  }
  // Anything else is a defect of okta-actions itself (a TypeError in a handler, say), never Okta's: a
  // host must be able to tell it from an Okta 5xx, and retrying it would only meet it again.
  return envelope(
    'INTERNAL',
    `okta-actions failed with an internal error (${describeThrown(error)}). This is a bug in okta-actions, not in your flow or in Okta; please report it to the okta-actions maintainers.`,
    false,
  );
}

function fromOktaApiError(error: ThrownOktaApiError): ActionErrorEnvelope {
  const okta = oktaErrorInfo(error);
  if (!error.errorCode && !error.errorSummary) {
    // JSON, but not Okta's error shape: the address probably points at something else.
    return { ...fromStatusOnly(error.status, error.url, 'a JSON body'), okta };
  }
  const refusal: OktaRefusal = {
    status: error.status,
    code: okta.errorCode,
    said: describeOktaError(okta),
    featureHint: deviceFeatureHint(error.url, error.status),
    alreadyExists: isAlreadyExists(okta),
    with: (code, message, retryable) => ({ ...envelope(code, message, retryable, error.status), okta }),
  };
  if (refusal.status === 429 || refusal.code === 'E0000047') return rateLimited(refusal, error.headers);
  return refusedAccess(refusal) ?? refusedRequest(refusal);
}

/** Okta's error body, kept for support tickets (errorId) and precise handling (errorCode, challenge). */
function oktaErrorInfo(error: ThrownOktaApiError): OktaErrorInfo {
  const okta: OktaErrorInfo = {
    ...(error.errorCode ? { errorCode: error.errorCode } : {}),
    ...(error.errorSummary ? { errorSummary: error.errorSummary } : {}),
    ...(error.errorId ? { errorId: error.errorId } : {}),
    errorCauses: (error.errorCauses ?? []).map((cause) => ({
      errorSummary: String(cause.errorSummary ?? ''),
    })),
  };
  const challenge = oauthChallenge(error.headers?.get('www-authenticate'));
  if (challenge) okta.challenge = challenge;
  return okta;
}

/** An Okta error answer as the classifiers below read it. */
interface OktaRefusal {
  status: number;
  code: string | undefined;
  /** Okta's code, summary, causes and errorId, as a message quotes them. */
  said: string;
  /** The Devices API hint, for an answer from a devices endpoint that may mean the org lacks it. */
  featureHint: string;
  /** Okta says the object already exists (a login or a name taken). */
  alreadyExists: boolean;
  with: (code: ErrorCode, message: string, retryable: boolean) => ActionErrorEnvelope;
}

function rateLimited(refusal: OktaRefusal, headers: ThrownOktaApiError['headers']): ActionErrorEnvelope {
  const wait = headers ? retryAfterMs(headers) : undefined;
  return {
    ...refusal.with(
      'RATE_LIMITED',
      `Okta's rate limit for this kind of request is used up (${refusal.said}). Try again ${wait ? `in ${Math.ceil(wait / 1000)} s` : 'shortly'}; the limit is shared by every integration of the org.`,
      true,
    ),
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  };
}

/** The org lacks the feature, or the credentials may not do this: said so, with what to do. */
function refusedAccess({
  status,
  code,
  said,
  featureHint,
  with: as,
}: OktaRefusal): ActionErrorEnvelope | undefined {
  if (code === 'E0000015')
    return as(
      'UNSUPPORTED',
      `This Okta org does not have the feature this action needs (${said}).${featureHint}`,
      false,
    );
  if (status === 401 || code === 'E0000011') {
    const message =
      code === 'E0000011'
        ? `Okta rejected the API token (${said}). The token is invalid, was revoked, expired after 30 days without use, or the admin who created it was deactivated. Create a new one in the Okta Admin Console under Security > API > Tokens and update the connection.${featureHint}`
        : `Okta did not accept the connection's credentials (${said}). Check the API token and the API address.${featureHint}`;
    return as('UNAUTHORIZED', message, false);
  }
  if (status !== 403) return undefined;
  if (code === 'E0000038')
    return as('CONFLICT', `Okta refused the change in the object's current state (${said}).`, false);
  return as(
    'FORBIDDEN',
    `The API token's admin is not allowed to do this (${said}). Use a token created by an admin whose role covers this operation (for example Super Administrator, or a custom admin role with the needed permissions).${featureHint}`,
    false,
  );
}

/** Everything else Okta refuses: nothing there, an unsupported operation, a conflict, a bad value, a 5xx. */
function refusedRequest({
  status,
  code,
  said,
  featureHint,
  alreadyExists,
  with: as,
}: OktaRefusal): ActionErrorEnvelope {
  if (status === 404)
    return as(
      'NOT_FOUND',
      `Okta found nothing there (${said}). Check the id or login you gave.${featureHint}`,
      false,
    );
  if (status === 405 || status === 501 || code === 'E0000022')
    return as('UNSUPPORTED', `This Okta org does not support the operation (${said}).`, false);
  if (status === 409 || alreadyExists || code === 'E0000038' || code === 'E0000016')
    return as('CONFLICT', `Okta refused because of the current state of the data (${said}).`, false);
  if (status >= 400 && status < 500)
    return as(
      'INVALID_INPUT',
      `Okta refused the request as invalid (${said}). Check the values you gave.`,
      false,
    );
  if (status >= 500)
    return as(
      'UPSTREAM',
      `Okta had an internal problem (${said}). Try again later; if it persists, quote the errorId to Okta support.`,
      true,
    );
  return as('UPSTREAM', `Okta answered with an unexpected status ${status} (${said}).`, false);
}

function fromHttpError(error: ThrownHttpError): ActionErrorEnvelope {
  if (error.status === 429) {
    const wait = error.headers ? retryAfterMs(error.headers) : undefined;
    return {
      ...envelope('RATE_LIMITED', "Okta's rate limit is used up (HTTP 429). Try again shortly.", true, 429),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }
  return fromStatusOnly(error.status, error.url, 'a page that is not JSON');
}

/** An answer that is not an Okta error body: a redirect, a web page, a proxy's or a maintenance page. */
function fromStatusOnly(status: number, url: string | undefined, what: string): ActionErrorEnvelope {
  const host = hostOf(url);
  if (status >= 300 && status < 400) {
    return envelope(
      'UPSTREAM',
      `${host} answered with a redirect (HTTP ${status}) instead of Okta's API. Check the API address: it should be your org address, like acme.okta.com.`,
      false,
      status,
    );
  }
  if (status >= 500) {
    return envelope(
      'UPSTREAM',
      `${host} had a problem (HTTP ${status}, ${what}). Try again later.`,
      true,
      status,
    );
  }
  return envelope(
    'UPSTREAM',
    `${host} answered HTTP ${status} with ${what}, which is not how Okta's API answers. Check that the API address is your Okta org, like acme.okta.com.`,
    false,
    status,
  );
}

function fromFetchError(error: ThrownFetchError): ActionErrorEnvelope {
  const code = error.code ?? error.errno ?? '';
  const host = hostInMessage(error.message);
  if (error.type === 'invalid-json') {
    return envelope(
      'UPSTREAM',
      "The answer was not valid JSON, which is not how Okta's API answers. Check that the API address is your Okta org, like acme.okta.com.",
      false,
    );
  }
  if (error.type === 'request-timeout' || error.type === 'body-timeout') {
    return envelope('TIMEOUT', 'Okta did not answer in time (request timeout). Try again later.', true);
  }
  if (code === FORBIDDEN_ADDRESS) {
    const reason =
      /reason: (.*)$/.exec(error.message ?? '')?.[1] ?? `${host} resolves to an address that is not public`;
    return envelope(
      'INVALID_CONNECTION',
      `Refused to connect: ${reason}. Check the API address; an Okta org is always on a public address.`,
      false,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return envelope(
      'NETWORK',
      `The host ${host} was not found (DNS ${code}). Check the API address for typos; it should look like acme.okta.com.`,
      code === 'EAI_AGAIN',
    );
  }
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return envelope(
      'NETWORK',
      `The connection to ${host} closed before Okta's answer was complete. Try again; if the request changed something, check whether it took effect first.`,
      true,
    );
  }
  if (isTlsCode(code)) {
    return envelope(
      'NETWORK',
      `The secure connection to ${host} failed (TLS ${code}). The address may not be an Okta org, or a proxy is intercepting HTTPS.`,
      false,
    );
  }
  if (
    [
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ECONNABORTED',
    ].includes(code)
  ) {
    return envelope(
      'NETWORK',
      `Could not reach ${host} (${code}). Check the API address and the network; then try again.`,
      true,
    );
  }
  return envelope(
    'NETWORK',
    `The request to ${host} failed (${code || error.type || 'network error'}). Try again later.`,
    true,
  );
}

function fromAbort(scope?: AbortContext): ActionErrorEnvelope {
  if (scope?.abortReason === 'timeout') {
    const seconds = Math.round((scope.requestTimeoutMs ?? 0) / 100) / 10;
    return envelope(
      'TIMEOUT',
      `Okta did not answer within ${seconds} s (request timeout). Try again later.`,
      true,
    );
  }
  return envelope('CANCELLED', 'The run was cancelled before it finished.', false);
}

/**
 * A body that is not JSON, as the SDK's typed APIs report it: they parse Okta's answer with JSON.parse
 * (its ObjectSerializer), so a garbled answer surfaces as a SyntaxError about JSON. Okta's answer, not a
 * defect of ours; node-fetch's `invalid-json` FetchError says the same on the other paths.
 */
export function isUnreadableJson(error: unknown): boolean {
  return error instanceof SyntaxError && /JSON/.test(error.message);
}

/** The `name` of a thrown value; undefined for one that has none or cannot be read (a hostile Proxy). */
function nameOf(error: unknown): unknown {
  try {
    return (error as { name?: unknown } | null)?.name;
  } catch {
    return undefined;
  }
}

/** "TypeError: x is not a function", for any thrown value, without ever throwing itself. */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}

function envelope(
  code: ErrorCode,
  message: string,
  retryable: boolean,
  status?: number,
): ActionErrorEnvelope {
  return { code, message, retryable, ...(status !== undefined ? { status } : {}) };
}

function describeOktaError(okta: OktaErrorInfo): string {
  const causes = (okta.errorCauses ?? []).map((cause) => cause.errorSummary).filter(Boolean);
  // Okta's validation errors name the field twice, "Api validation failed: name" with the cause "name:
  // The field cannot be left blank"; said once: "Api validation failed: name: The field cannot be left blank".
  let head = okta.errorSummary ?? '';
  const field = /: ([\w.]+)$/.exec(head)?.[1];
  if (field && causes.some((cause) => cause?.startsWith(`${field}:`)))
    head = head.slice(0, -(field.length + 2));
  const summary = [head, ...causes].filter(Boolean).join(': ');
  return (
    [okta.errorCode, summary].filter(Boolean).join(' ') + (okta.errorId ? `; errorId ${okta.errorId}` : '')
  );
}

function isAlreadyExists(okta: OktaErrorInfo): boolean {
  return [okta.errorSummary, ...(okta.errorCauses ?? []).map((c) => c.errorSummary)].some((text) =>
    /already exists/i.test(text ?? ''),
  );
}

/**
 * The Devices API (`/api/v1/devices...`, and a user's devices at `/api/v1/users/{id}/devices`) exists only
 * on Identity Engine orgs; elsewhere its endpoints answer 401/403/404.
 */
function deviceFeatureHint(url: string | undefined, status: number): string {
  const devicesPath = /^\/api\/v1\/(users\/[^/]+\/)?devices(\/|$)/;
  if (![401, 403, 404].includes(status) || !devicesPath.test(pathOf(url))) return '';
  return ' If the org is not on Okta Identity Engine, the Devices API is not available to it.';
}

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS|ERR_SSL|EPROTO$)|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host || 'The server';
  } catch {
    return 'The server';
  }
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').pathname;
  } catch {
    return '';
  }
}

/** FetchError messages read "request to https://host/path failed, reason: ..."; keep only the host. */
function hostInMessage(message: string | undefined): string {
  const match = /request to (\S+) failed/.exec(message ?? '');
  return match ? hostOf(match[1]) : 'the Okta org';
}

/**
 * The error parameters of a Bearer or DPoP challenge, e.g.
 * `DPoP algs="ES256", realm="...", scope="okta.users.manage", error="insufficient_scope", error_description="..."`.
 * Undefined for an SSWS refusal, which carries no challenge.
 */
export function oauthChallenge(header: string | null | undefined): OktaErrorInfo['challenge'] {
  if (!header) return undefined;
  const params = new Map<string, string>();
  for (const match of header.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi))
    params.set(match[1]!.toLowerCase(), match[2]!.replace(/\\(.)/g, '$1'));
  const error = params.get('error');
  if (!error) return undefined;
  const description = params.get('error_description');
  const scope = params.get('scope')?.split(' ').filter(Boolean);
  return { error, ...(description ? { description } : {}), ...(scope?.length ? { scope } : {}) };
}
