/**
 * The nock harness every unit test uses. Requests answered through `oktaMock()` are recorded, and after
 * each test (test/setup.ts) every recorded request is checked against Okta's published API description,
 * so each test is also a contract test of the requests the plugin sends.
 */
import nock from 'nock';
import { oktaApiDescription } from './openapi.js';

export const ORG = 'https://acme.okta.com';
/** A distinctive token: tests assert it never shows up in any output, error or message. */
export const TOKEN = '00CanaryTokenXyz7w9QpLmN4vB2cD8eF6gH1jK3';
export const connection = { type: 'api_token', apiAddress: 'acme.okta.com', apiToken: TOKEN } as const;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | undefined;
}

let recorded: RecordedRequest[] = [];

/** A nock scope for the test org whose requests are recorded and contract-checked. */
export function oktaMock(origin: string = ORG): nock.Scope {
  const scope = nock(origin);
  scope.on(
    'request',
    (
      req: { method: string; path: string; headers: RecordedRequest['headers'] },
      _i: unknown,
      body: string,
    ) => {
      recorded.push({
        method: req.method,
        path: req.path,
        headers: { ...req.headers },
        body: body || undefined,
      });
    },
  );
  return scope;
}

export function recordedRequests(): readonly RecordedRequest[] {
  return recorded;
}

export function resetRecordedRequests(): void {
  recorded = [];
}

/** Contract problems of every request recorded since the last reset. */
export function contractProblemsOfRecordedRequests(): string[] {
  const description = oktaApiDescription();
  return recorded.flatMap((request) => description.checkRequest(request));
}

/** Okta's error body. */
export function oktaError(errorCode: string, errorSummary: string, causes: string[] = []) {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: 'oaeTestErrorId0000001',
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
}

/** Headers Okta sends with every answer; `remaining` tests the rate-limit bookkeeping. */
export function rateLimitHeaders(remaining = 599, resetInSeconds = 60) {
  const now = Math.floor(Date.now() / 1000);
  return {
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(now + resetInSeconds),
    date: new Date(now * 1000).toUTCString(),
    'content-type': 'application/json',
  };
}
