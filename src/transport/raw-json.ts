/**
 * Raw JSON requests through the SDK's authenticated transport (`client.http`), for the reads where the
 * SDK's model classes drop fields (custom group profile attributes, device profile fields, new top-level
 * fields) and for paging, where we need the Link header. Authentication, our executor's timeouts,
 * rate-limit handling and origin guard all still apply.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { ActionError } from '../errors/action-error.js';
import { isUnreadableJson } from '../errors/map-error.js';
import type { HeaderSource } from '../http/rate-limit.js';
import { type QueryParams, queryString } from './paths.js';

export interface JsonResponse<T> {
  status: number;
  body: T | undefined;
  headers: HeaderSource;
}

export interface JsonRequestOptions {
  query?: QueryParams;
  body?: unknown;
  /** Reads of users: keep Okta's credentials object (provider, recovery question) in the answer. */
  withCredentials?: boolean;
}

/** GET /api/v1/users and /api/v1/users/{id}: the reads where Okta can leave credentials out. */
const USER_READ = /^\/api\/v1\/users(\/[^/?]+)?(\?|$)/;
/**
 * Okta's `okta-response` media-type parameter: the answer leaves out the user's credentials object and
 * the links to credential operations. What is never received can never leak into an output or a log.
 */
const OMIT_CREDENTIALS = 'application/json; okta-response=omitCredentials,omitCredentialsLinks';

export async function requestJson<T>(
  client: Client,
  orgUrl: string,
  method: string,
  pathAndQuery: string,
  options: JsonRequestOptions = {},
): Promise<JsonResponse<T>> {
  const url = `${orgUrl}${pathAndQuery}${queryString(options.query)}`;
  const omitCredentials = method === 'GET' && !options.withCredentials && USER_READ.test(pathAndQuery);
  const response = await client.http.http(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(omitCredentials ? { 'Content-Type': OMIT_CREDENTIALS } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: parseOktaJson<T>(text, response.headers.get('content-type')),
    headers: response.headers,
  };
}

function parseOktaJson<T>(text: string, contentType: string | null): T | undefined {
  if (text.trim() === '') return undefined;
  if (contentType && !/json/i.test(contentType)) {
    throw notOktaApi(`answered with ${contentType.split(';')[0]} instead of JSON`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    const error = notOktaApi('answered with a body that is not valid JSON');
    garbledAnswers.add(error);
    throw error;
  }
}

const garbledAnswers = new WeakSet<object>();

/**
 * True for an answer whose JSON body could not be read: the request may well have been carried out (a
 * 200 garbled on its way), so a create or a lifecycle change that got it is checked, not assumed failed.
 */
export function isGarbledAnswer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (
    garbledAnswers.has(error) ||
    (error as { type?: string }).type === 'invalid-json' ||
    isUnreadableJson(error)
  );
}

function notOktaApi(what: string): ActionError {
  return new ActionError(
    'UPSTREAM',
    `The server ${what}, which is not how Okta's API answers. Check that the API address is your Okta org, like acme.okta.com.`,
    { retryable: false },
  );
}
