/** Reading a request's body (up to a size limit), and writing an answer with the headers every answer has. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OktaHttpError } from './errors.js';
import type { RouteResult } from './route.js';
import type { ServedRequest } from './server-state.js';

const MAX_BODY_BYTES = 1_000_000;

export function send(
  res: ServerResponse,
  result: RouteResult,
  rateHeaders: Record<string, string>,
  record: ServedRequest,
): void {
  record.status = result.status;
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {
    date: new Date().toUTCString(),
    'x-okta-request-id': record.requestId,
    ...rateHeaders,
    ...result.headers,
  };
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(result.body);
  res.writeHead(result.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new OktaHttpError(413, 'E0000001', 'Api validation failed: body', [
            'body: The request body is too large',
          ]),
        );
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
