/** A real event hook receiver (createEventHookHandler) on a loopback port, for tests against the sandbox. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEventHookHandler,
  type EventHookHandler,
  type ReceivedEvent,
  type ReceiverProblem,
  subscribe,
  type TriggerSubscription,
} from '../../src/triggers/index.js';

export interface TestReceiver {
  url: string;
  received: ReceivedEvent[];
  problems: ReceiverProblem[];
  /** Requests that reached the server (verification and deliveries). */
  hits: number;
  setSecret(secret: string | readonly string[]): void;
  idle(): Promise<void>;
  deliver: EventHookHandler['deliver'];
  close(): Promise<void>;
}

export async function startReceiver(
  subscriptions: TriggerSubscription[],
  options: {
    secret?: string;
    /** Answers this much later (the events are taken at once): a receiver slower than Okta waits. */
    answerDelayMs?: number;
    onEvent?: (event: ReceivedEvent) => void;
  } = {},
): Promise<TestReceiver> {
  let secret: string | readonly string[] | undefined = options.secret;
  const received: ReceivedEvent[] = [];
  const problems: ReceiverProblem[] = [];
  const handler = await createEventHookHandler({
    secret: () => secret,
    subscriptions,
    onEvent: (event) => {
      received.push(event);
      options.onEvent?.(event);
    },
    onProblem: (problem) => problems.push(problem),
  });
  const state = { hits: 0 };
  const server = createServer((request, response) => {
    state.hits += 1;
    const delay = options.answerDelayMs;
    if (delay) {
      const end = response.end.bind(response);
      response.end = ((...args: Parameters<typeof end>) => {
        setTimeout(() => end(...args), delay);
        return response;
      }) as typeof response.end;
    }
    handler.node(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/event-hook`,
    received,
    problems,
    get hits() {
      return state.hits;
    },
    setSecret: (value) => {
      secret = value;
    },
    idle: () => handler.idle(),
    deliver: (events) => handler.deliver(events),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A receiver subscribed (through subscribe()) to the triggers, with the secret subscribe made: what the
 * end-to-end tests and drills start from.
 */
export async function subscribedReceiver(
  sandbox: { url: string; token: string },
  triggers: TriggerSubscription[],
  options: Parameters<typeof startReceiver>[1] = {},
): Promise<TestReceiver> {
  const receiver = await startReceiver(triggers, options);
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  const subscribed = await subscribe({ connection, triggers, url: receiver.url }, { allowLoopback: true });
  if (!subscribed.ok) {
    await receiver.close();
    throw new Error(`subscribe failed: ${subscribed.error.message}`);
  }
  receiver.setSecret(subscribed.output.secret ?? '');
  return receiver;
}
