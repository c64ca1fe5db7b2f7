/**
 * What a handler gets to talk to Okta: the configured SDK client for typed calls, and lossless raw JSON
 * access plus the shared pagination helper for what the SDK's models would lose. Handlers never build
 * clients, read configuration or parse Link headers themselves.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import type { ConnectionTypeName } from '../connection/connection.js';
import { type PageRequest, type PageResult, paginate } from './paginate.js';
import { type QueryParams, queryString } from './paths.js';
import { type JsonRequestOptions, type JsonResponse, requestJson } from './raw-json.js';

export interface OktaContext {
  /** The SDK client for this connection (explicit settings, no cache, guarded transport). */
  readonly sdk: Client;
  /** The normalized org URL, e.g. https://acme.okta.com. */
  readonly orgUrl: string;
  /** How the connection authenticates (an action that works with only some kinds checks it). */
  readonly connectionType: ConnectionTypeName;
  /** GET a path and return Okta's JSON exactly as sent. */
  getJson<T>(
    path: string,
    query?: QueryParams,
    options?: Pick<JsonRequestOptions, 'withCredentials'>,
  ): Promise<T>;
  /** Any method; resolves to the JSON body, or undefined for an empty (204) answer. */
  sendJson<T>(method: string, path: string, options?: JsonRequestOptions): Promise<T | undefined>;
  /** Any method; the whole answer: status, JSON body and headers (for callers that need a Link header). */
  request<T>(method: string, path: string, options?: JsonRequestOptions): Promise<JsonResponse<T>>;
  /** Reads a list through Okta's cursor pagination (see paginate.ts). */
  paginate<T>(request: PageRequest): Promise<PageResult<T>>;
}

/**
 * @param reads In a dry run, every object read is kept here by path: it is the `current` state the plan
 *   starts from.
 */
export function createOktaContext(
  sdk: Client,
  orgUrl: string,
  reads?: Map<string, unknown>,
  connectionType: ConnectionTypeName = 'api_token',
): OktaContext {
  return {
    sdk,
    orgUrl,
    connectionType,
    async getJson<T>(
      path: string,
      query?: QueryParams,
      options?: Pick<JsonRequestOptions, 'withCredentials'>,
    ) {
      const response = await requestJson<T>(sdk, orgUrl, 'GET', path, { ...options, query });
      reads?.set(path, response.body);
      return response.body as T;
    },
    async sendJson<T>(method: string, path: string, options?: JsonRequestOptions) {
      return (await requestJson<T>(sdk, orgUrl, method, path, options)).body;
    },
    async request<T>(method: string, path: string, options?: JsonRequestOptions) {
      const response = await requestJson<T>(sdk, orgUrl, method, path, options);
      if (method.toUpperCase() === 'GET') reads?.set(`${path}${queryString(options?.query)}`, response.body);
      return response;
    },
    async paginate<T>(request: PageRequest) {
      const page = await paginate<T>(sdk, orgUrl, request);
      // A list read is part of the state a dry run's plan starts from, like a single object.
      reads?.set(`${request.path}${queryString(request.query)}`, page.items);
      return page;
    },
  };
}

/**
 * SDK model instances carry Date objects and class prototypes; outputs must be plain JSON like Okta's own.
 */
export function toPlainJson<T = Record<string, unknown>>(model: unknown): T {
  return JSON.parse(JSON.stringify(model)) as T;
}
