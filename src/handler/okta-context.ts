/**
 * What a handler gets to talk to Okta: the configured SDK client for typed calls, and lossless raw JSON
 * access plus the shared pagination helper for what the SDK's models would lose. Handlers never build
 * clients, read configuration or parse Link headers themselves.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import type { ConnectionTypeName } from '../manifest/manifest.js';
import { type ListReading, type PageRequest, type PageResult, paginate } from '../transport/paginate.js';
import { type QueryParams, queryString } from '../transport/paths.js';
import { type JsonRequestOptions, type JsonResponse, requestJson } from '../transport/raw-json.js';

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
  /**
   * Reads a list through Okta's cursor pagination (see paginate.ts). In a streamed run (stream()), each
   * page goes to the stream as it arrives instead, and the result's items are empty: the runtime gave this
   * context the stream's sink (OktaContextOptions.lists).
   */
  paginate<T>(request: PageRequest): Promise<PageResult<T>>;
}

/** What the runtime hands a run's context, explicitly: nothing of it is read from anywhere else. */
export interface OktaContextOptions {
  connectionType: ConnectionTypeName;
  /** The run's list reads: their progress (for messages), and for stream() the sink that takes the pages. */
  lists: ListReading;
  /** In a dry run, every object and list read is kept here by path: the `current` state the plan starts from. */
  reads?: Map<string, unknown> | undefined;
}

export function createOktaContext(sdk: Client, orgUrl: string, options: OktaContextOptions): OktaContext {
  const { connectionType, lists, reads } = options;
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
      const page = await paginate<T>(sdk, orgUrl, request, lists);
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
