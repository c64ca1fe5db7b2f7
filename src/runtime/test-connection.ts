/**
 * testConnection(): what a host calls when someone saves a connection. It checks the connection without
 * any network first, then makes one cheap authenticated read (GET /api/v1/users/me) and says who the
 * token acts as, or exactly what is wrong. It never throws.
 */
import { type ApiTokenConnection, resolveConnection } from '../connection/connection.js';
import type { ActionErrorEnvelope, ErrorCode, InputProblem, OktaErrorInfo } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import { getOktaClient } from '../okta/client-factory.js';
import { requestJson } from '../okta/raw-json.js';
import { newCallScope, type RateLimitReading, runInScope } from './call-scope.js';
import { type HostOptions, rawSecrets } from './execute.js';

export interface TestConnectionOptions extends HostOptions {
  signal?: AbortSignal;
}

export interface TestConnectionResult {
  ok: boolean;
  /** One readable sentence for the person saving the connection. */
  message: string;
  details: {
    /** The normalized org URL, once the address was understood. */
    orgUrl?: string;
    /** Who the token acts as. */
    subject?: { id: string; login: string };
    /** On failure: the same codes as execute()'s errors. */
    code?: ErrorCode;
    retryable?: boolean;
    retryAfterMs?: number;
    status?: number;
    okta?: OktaErrorInfo;
    problems?: InputProblem[];
    rateLimit?: RateLimitReading;
  };
}

/** Test-connection waits less than an action: a person is looking at the form. */
const TEST_REQUEST_TIMEOUT_MS = 15_000;

export async function testConnection(
  connection: unknown,
  options: TestConnectionOptions = {},
): Promise<TestConnectionResult> {
  const scope = newCallScope(options.signal, {
    ...options,
    requestTimeoutMs: options.requestTimeoutMs ?? TEST_REQUEST_TIMEOUT_MS,
    // A person is waiting: one retry of the read, not three.
    maxRetries: options.maxRetries ?? 1,
  });
  let resolved: ApiTokenConnection | undefined;
  try {
    resolved = await resolveConnection(connection, options);
    const client = await getOktaClient(resolved);
    const orgUrl = resolved.orgUrl;
    const me = await runInScope(
      scope,
      async () => (await requestJson<unknown>(client, orgUrl, 'GET', '/api/v1/users/me')).body,
    );
    const subject = readSubject(me);
    if (!subject) {
      return failure(
        {
          code: 'UPSTREAM',
          retryable: false,
          message: `${orgUrl} answered, but not like an Okta org (its /api/v1/users/me returned no user). Check the API address.`,
        },
        orgUrl,
        scope.rateLimit,
      );
    }
    return {
      ok: true,
      message: `Connected to ${orgUrl} as ${subject.login}.`,
      details: { orgUrl, subject, ...(scope.rateLimit ? { rateLimit: scope.rateLimit } : {}) },
    };
  } catch (error) {
    const envelope = toErrorEnvelope(error, scope);
    const result = failure(envelope, resolved?.orgUrl, scope.rateLimit);
    return redactSecrets(result, resolved?.secrets() ?? rawSecrets(connection));
  }
}

function failure(
  envelope: ActionErrorEnvelope,
  orgUrl: string | undefined,
  rateLimit: RateLimitReading | undefined,
): TestConnectionResult {
  return {
    ok: false,
    message: envelope.message,
    details: {
      ...(orgUrl ? { orgUrl } : {}),
      code: envelope.code,
      retryable: envelope.retryable,
      ...(envelope.retryAfterMs !== undefined ? { retryAfterMs: envelope.retryAfterMs } : {}),
      ...(envelope.status !== undefined ? { status: envelope.status } : {}),
      ...(envelope.okta ? { okta: envelope.okta } : {}),
      ...(envelope.details ? { problems: envelope.details } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    },
  };
}

function readSubject(body: unknown): { id: string; login: string } | undefined {
  const user = body as { id?: unknown; profile?: { login?: unknown } } | undefined;
  if (typeof user?.id !== 'string' || typeof user.profile?.login !== 'string') return undefined;
  return { id: user.id, login: user.profile.login };
}
