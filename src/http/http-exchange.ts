/**
 * One HTTP request to Okta and its whole answer, on node:http(s) and the connection's agent.
 *
 * The SDK's own executor uses node-fetch; ours does not. node-fetch builds a WHATWG Request, Headers and
 * body streams around every call (~35 us of CPU a request more than node:http alone), and it never notices
 * an answer whose connection closed before the body was complete. With it, and the AbortController and
 * agent view that made up for that, execute('get-user') cost ~150 us of CPU more than it does now
 * (bench/RESULTS.md, scenario 2). Here the body is read into one buffer (the guarded executor needs it in
 * full anyway), a body cut short is a failure, and aborting is one call.
 *
 * Failures keep the shape of node-fetch's FetchError (name, type 'system', code, "request to URL failed,
 * reason: ..."), which the error mapper, retries and create-once read.
 */
import http, {
  type Agent,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import https from 'node:https';
import { gunzip } from 'node:zlib';

export interface ExchangeRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | null;
}

/** An answer read in full: what the SDK and our code read of a fetch Response, and no more. */
export interface Answer {
  url: string;
  status: number;
  statusText: string;
  headers: AnswerHeaders;
  body: Buffer;
}

export interface Exchange {
  answer: Promise<Answer>;
  /** Ends the exchange at once: `answer` rejects with an AbortError (the caller knows why it aborted). */
  abort(): void;
}

/**
 * Sends the request. Headers are sent as given, plus what the transport owns: the body's length, and
 * gzip (an answer Okta compresses is inflated here; Okta's list pages shrink ~10x).
 */
export function startExchange(url: string, request: ExchangeRequest, agent: Agent): Exchange {
  let abort = () => {};
  const answer = new Promise<Answer>((resolve, reject) => {
    const body = request.body ?? undefined;
    const headers: Record<string, string | number> = {};
    let encodingNamed = false;
    let lengthNamed = false;
    for (const name in request.headers) {
      headers[name] = request.headers[name]!;
      const lower = name.toLowerCase();
      encodingNamed ||= lower === 'accept-encoding';
      lengthNamed ||= lower === 'content-length';
    }
    if (!encodingNamed) headers['Accept-Encoding'] = 'gzip';
    if (body !== undefined && !lengthNamed) headers['Content-Length'] = Buffer.byteLength(body);
    // Looked up at call time, as node-fetch does: test doubles (nock) replace these functions on the module.
    const send = url.startsWith('https:') ? https.request : http.request;
    let sent: ClientRequest;
    try {
      sent = send(url, { method: request.method, headers, agent });
    } catch (error) {
      // A header value Node refuses (a line break in it) or a malformed URL: nothing was sent.
      reject(error);
      return;
    }
    const fail = (error: unknown) => {
      reject(networkError(url, error));
      sent.destroy();
    };
    abort = () => {
      reject(Object.assign(new Error('The request was aborted.'), { name: 'AbortError' }));
      sent.destroy();
    };
    sent.on('error', fail);
    sent.on('response', (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      // A reset or a close before Content-Length bytes came: the answer was cut short, whichever Node reports.
      const cutShort = () =>
        fail(
          Object.assign(new Error('the connection closed before the answer was complete'), {
            code: 'ERR_STREAM_PREMATURE_CLOSE',
          }),
        );
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', cutShort);
      incoming.on('close', () => {
        if (!incoming.complete) cutShort();
      });
      incoming.on('end', () => {
        if (!incoming.complete) return cutShort();
        const finish = (bodyRead: Buffer) =>
          resolve({
            url,
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers: new AnswerHeaders(incoming.headers),
            body: bodyRead,
          });
        const raw = Buffer.concat(chunks);
        if (!isGzipped(incoming.headers) || raw.length === 0) finish(raw);
        else gunzip(raw, (error, inflated) => (error ? fail(error) : finish(inflated)));
      });
    });
    sent.end(body);
  });
  return { answer, abort: () => abort() };
}

function isGzipped(headers: IncomingHttpHeaders): boolean {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  return encoding === 'gzip' || encoding === 'x-gzip';
}

/** A network failure in node-fetch's FetchError shape (see the top of this file). */
function networkError(url: string, cause: unknown): Error {
  const { message, code } = cause as { message?: string; code?: string };
  return Object.assign(new Error(`request to ${url} failed, reason: ${message ?? String(cause)}`), {
    name: 'FetchError',
    type: 'system',
    code,
    errno: code,
  });
}

/**
 * An answer's headers, read as fetch's Headers are (names in any case, a repeated header's values joined
 * with ", "), over the object Node already parsed rather than a copy of it.
 */
export class AnswerHeaders {
  constructor(private readonly fields: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.fields[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** Every header, by name in order (the SDK copies them this way into its ResponseContext). */
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.fields).sort()) {
      const value = this.get(name);
      if (value !== null) callback(value, name);
    }
  }
}
