/**
 * The event hook receiver a host mounts in its own web server: a Fetch API handler (`Request` ->
 * `Response`, for Deno, Bun, Cloudflare, Next.js...) and a Node `(req, res)` handler (http, Express,
 * Fastify's raw mode) over one core.
 *
 * What it guarantees: a delivery whose authorization header is not the hook's secret, whose body is too
 * large, or that is not an Okta event hook delivery is refused and reaches no flow; the secret is compared
 * in constant time; each event of a batch is matched to the subscribed triggers, shaped and checked against
 * the trigger's output schema; an event a flow already got (Okta delivers at least once) is dropped; Okta
 * gets its answer at once (it waits 3 s, then retries) and `onEvent` runs after it, never blocking it.
 * Nothing a request carries makes the handler throw.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveSubscriptions, type TriggerSubscription } from './catalog.js';
import { type DedupeStore, memoryDedupeStore } from './dedupe.js';
import { parseDelivery } from './delivery.js';
import { dispatchEvents, type ReceivedEvent, type ReceiverProblem } from './dispatch.js';
import type { LogEvent } from './event-shape.js';

export type { ReceivedEvent, ReceiverProblem } from './dispatch.js';

export interface EventHookHandlerOptions {
  /**
   * The authorization header value Okta sends (subscribe() returns it). A function is read on every
   * request, and a list is accepted while a secret is being rotated.
   */
  secret: string | readonly string[] | (() => string | readonly string[] | undefined);
  /** The header Okta sends it in. Default: authorization. */
  headerName?: string;
  subscriptions: TriggerSubscription[];
  /** Called once per event and subscribed flow, after Okta has its answer. */
  onEvent: (event: ReceivedEvent) => unknown;
  /** Refused deliveries, events that failed their check, and onEvent failures. */
  onProblem?: (problem: ReceiverProblem) => void;
  /** Default: in memory, the last 10,000 events. */
  dedupe?: DedupeStore;
  /** The largest body accepted, in bytes. Default 1 MB (Okta batches events well under it). */
  maxBodyBytes?: number;
}

export interface EventHookHandler {
  fetch(request: Request): Promise<Response>;
  node(request: IncomingMessage, response: ServerResponse): void;
  /** Settles when every accepted delivery has been handed to onEvent (tests and graceful shutdown). */
  idle(): Promise<void>;
  /**
   * Hands events read elsewhere (a catch-up poll after Okta gave up on a delivery: it retries only once)
   * to the flows through the same matching, checks and deduplication: an event a flow already got is
   * dropped, so running a poll beside the hook repeats nothing.
   */
  deliver(events: readonly LogEvent[]): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
}

/** The parts of a request the core reads, whatever the framework. */
interface IncomingDelivery {
  method: string;
  header(name: string): string | undefined;
  /** The body as text, or undefined when it passes the limit. */
  readBody(limit: number): Promise<string | undefined>;
}

const DEFAULT_MAX_BODY_BYTES = 1_000_000;

export async function createEventHookHandler(options: EventHookHandlerOptions): Promise<EventHookHandler> {
  const subscriptions = await resolveSubscriptions(options.subscriptions, 'subscriptions');
  if (typeof options.onEvent !== 'function') throw new TypeError('onEvent must be a function');
  const headerName = (options.headerName ?? 'authorization').toLowerCase();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const dedupe = options.dedupe ?? memoryDedupeStore();
  const report = (problem: ReceiverProblem) => {
    try {
      options.onProblem?.(problem);
    } catch {
      // A failing problem reporter must not turn into a failed answer to Okta.
    }
  };
  const pending = new Set<Promise<void>>();

  const handle = async (request: IncomingDelivery): Promise<Answer> => {
    const challenge = request.header('x-okta-verification-challenge');
    // The one-time verification: echoing the challenge proves this URL answers; it delivers nothing.
    if (request.method === 'GET' && challenge) return { status: 200, body: { verification: challenge } };
    if (request.method !== 'POST') return { status: 405, body: { error: 'method not allowed' } };
    if (!authorized(request.header(headerName), secretsOf(options.secret))) {
      report({ kind: 'unauthorized', message: `the ${headerName} header is missing or wrong` });
      return { status: 401, body: { error: 'unauthorized' } };
    }
    const body = await request.readBody(maxBodyBytes);
    if (body === undefined) {
      report({ kind: 'too-large', message: `the body is over ${maxBodyBytes} bytes` });
      return { status: 413, body: { error: 'payload too large' } };
    }
    const delivery = parseDelivery(body);
    if ('problem' in delivery) {
      report({ kind: 'malformed', message: delivery.problem });
      return { status: 400, body: { error: 'not an Okta event hook delivery' } };
    }
    // Answered now; the flows get the events after the answer has gone.
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        dispatchEvents(delivery.events, { subscriptions, dedupe, onEvent: options.onEvent, report }),
      )
      .catch((error: unknown) => report({ kind: 'internal', message: String(error) }))
      .finally(() => pending.delete(work));
    pending.add(work);
    return { status: 200 };
  };

  const safely = async (request: IncomingDelivery): Promise<Answer> => {
    try {
      return await handle(request);
    } catch (error) {
      report({ kind: 'internal', message: error instanceof Error ? error.message : String(error) });
      return { status: 500, body: { error: 'internal error' } };
    }
  };

  return {
    fetch: async (request) => toResponse(await safely(fromFetch(request))),
    node: (request, response) => {
      void safely(fromNode(request)).then((answer) => writeNode(response, answer));
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    deliver: (events) => dispatchEvents(events, { subscriptions, dedupe, onEvent: options.onEvent, report }),
  };
}

function secretsOf(secret: EventHookHandlerOptions['secret']): readonly string[] {
  let value: string | readonly string[] | undefined;
  try {
    value = typeof secret === 'function' ? secret() : secret;
  } catch {
    return [];
  }
  const list = typeof value === 'string' ? [value] : (value ?? []);
  return list.filter((s) => typeof s === 'string' && s !== '');
}

/** Constant time: both sides are hashed to the same length before timingSafeEqual compares them. */
function authorized(given: string | undefined, secrets: readonly string[]): boolean {
  if (given === undefined || secrets.length === 0) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const givenDigest = digest(given);
  let match = false;
  for (const secret of secrets) match = timingSafeEqual(givenDigest, digest(secret)) || match;
  return match;
}

function fromFetch(request: Request): IncomingDelivery {
  return {
    method: request.method.toUpperCase(),
    header: (name) => request.headers.get(name) ?? undefined,
    readBody: (limit) => readLimited(request.body, limit),
  };
}

function fromNode(request: IncomingMessage): IncomingDelivery {
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (limit) => readLimited(request, limit),
  };
}

/** Reads a body up to `limit` bytes; undefined (and the rest left unread) when it is longer. */
async function readLimited(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<string | undefined> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toResponse(answer: Answer): Response {
  if (answer.body === undefined) return new Response(null, { status: answer.status });
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json' },
  });
}

function writeNode(response: ServerResponse, answer: Answer): void {
  try {
    if (answer.body === undefined) {
      response.writeHead(answer.status).end();
      return;
    }
    const text = JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  } catch {
    response.destroy();
  }
}
