/**
 * What a programmed fault sends instead of the route's answer: an error status, a connection cut before or
 * halfway through the body, broken JSON, or no answer at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { OktaHttpError } from './errors.js';
import type { Fault } from './faults.js';
import { send } from './http-io.js';
import type { ServedRequest } from './server-state.js';

/** Sends a faulty answer; true when the request is finished with it. */
export async function applyFault(
  fault: Exclude<Fault, { kind: 'latency' }>,
  req: IncomingMessage,
  res: ServerResponse,
  rateHeaders: Record<string, string>,
  record: ServedRequest,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      const body =
        fault.body ??
        new OktaHttpError(
          fault.status,
          fault.status === 503 ? 'E0000010' : 'E0000009',
          fault.status === 503 ? 'Service is in read only mode' : 'Internal Server Error',
        ).body();
      send(res, { status: fault.status, body }, rateHeaders, record);
      return true;
    }
    case 'reset':
      record.status = -1;
      req.socket.destroy();
      return true;
    case 'truncate': {
      record.status = -2;
      const body = JSON.stringify([
        { id: '00u0000000000truncat', status: 'ACTIVE', profile: { login: 'cut@example.com' } },
      ]);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(body.length * 2),
        ...rateHeaders,
      });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      setImmediate(() => req.socket.destroy());
      return true;
    }
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json', ...rateHeaders });
      res.end('{"id": "00u0000000000malform", "status": ');
      record.status = 200;
      return true;
    case 'hang': {
      // Slower than any client timeout; ends early when the client gives up.
      const closed = new AbortController();
      res.on('close', () => closed.abort());
      await sleep(fault.ms ?? 600_000, undefined, { signal: closed.signal }).catch(() => undefined);
      if (!res.writableEnded && !res.destroyed) send(res, { status: 200, body: [] }, rateHeaders, record);
      return true;
    }
  }
}
