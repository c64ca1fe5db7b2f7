/**
 * Raw JSON requests through the SDK's authenticated transport (`client.http`), for the reads where the
 * SDK's model classes drop fields (custom group profile attributes, device profile fields, new top-level
 * fields) and for paging, where we need the Link header. Authentication, our executor's timeouts,
 * rate-limit handling and origin guard all still apply.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import type { Headers } from 'node-fetch';
import { ActionError } from '../errors/action-error.js';
import { type QueryParams, queryString } from './paths.js';

export interface JsonResponse<T> {
  status: number;
  body: T | undefined;
  headers: Headers;
}

export interface JsonRequestOptions {
  query?: QueryParams;
  body?: unknown;
}

export async function requestJson<T>(
  client: Client,
  orgUrl: string,
  method: string,
  pathAndQuery: string,
  options: JsonRequestOptions = {},
): Promise<JsonResponse<T>> {
  const url = `${orgUrl}${pathAndQuery}${queryString(options.query)}`;
  const response = await client.http.http(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
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
    throw notOktaApi('answered with a body that is not valid JSON');
  }
}

function notOktaApi(what: string): ActionError {
  return new ActionError(
    'UPSTREAM',
    `The server ${what}, which is not how Okta's API answers. Check that the API address is your Okta org, like acme.okta.com.`,
    { retryable: false },
  );
}
