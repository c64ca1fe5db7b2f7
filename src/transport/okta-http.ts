/**
 * The HTTP of the raw JSON path (src/transport/raw-json.ts) without the SDK: what the SDK's `Http.http` does
 * for one request (default headers, the request executor, a non-2xx answer thrown in the shape of the
 * SDK's OktaApiError or HttpError, which the error mapper reads), on our guarded executor. Requiring the
 * SDK costs ~0.5 s and ~90 MB, which a run that only reads JSON (every list, most reads) need not pay: the
 * SDK loads when a handler first uses one of its APIs (src/transport/client-factory.ts).
 */
import type { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { RequestOptions } from '@okta/okta-sdk-nodejs/src/types/request-options.js';
import type { Response } from 'node-fetch';

export interface OktaHttp {
  http(
    url: string,
    request: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Response>;
}

export function createOktaHttp(executor: RequestExecutor, userAgent: string): OktaHttp {
  return {
    async http(url, request) {
      const response = await executor.fetch({
        ...request,
        url,
        headers: { 'User-Agent': userAgent, ...request.headers },
      } as RequestOptions);
      if (response.status >= 200 && response.status < 300) return response;
      throw errorOf(url, response, await response.text());
    },
  };
}

/** Okta's JSON error as the SDK's OktaApiError has it; anything else as its HttpError. */
function errorOf(url: string, response: Response, body: string): Error {
  let json:
    | { errorCode?: string; errorSummary?: string; errorCauses?: Array<{ errorSummary?: string }> }
    | undefined;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (json && typeof json === 'object') {
    const causes = json.errorCauses?.map((cause) => cause.errorSummary).join('. ');
    return Object.assign(
      new Error(
        `Okta HTTP ${response.status} ${json.errorCode} ${json.errorSummary ?? ''}${causes ? `. ${causes}` : ''}`,
      ),
      { ...json, name: 'OktaApiError', status: response.status, url, headers: response.headers },
    );
  }
  return Object.assign(new Error(`HTTP ${response.status} ${body}`), {
    name: 'HttpError',
    status: response.status,
    url,
    headers: response.headers,
  });
}
