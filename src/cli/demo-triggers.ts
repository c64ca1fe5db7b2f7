/**
 * The demo's trigger part: before the playbook runs, a listener (an event hook receiver on loopback) is
 * subscribed to some triggers; afterwards it shows the events the playbook made Okta deliver, and checks
 * them against what polling the System Log gives for the same triggers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../sandbox/index.js';
import type { ReceivedEvent } from '../triggers/index.js';
import { createEventHookHandler, newEventHookSecret, poll, subscribe } from '../triggers/index.js';

const DEMO_TRIGGERS = [
  'user-created',
  'user-added-to-group',
  'user-removed-from-group',
  'user-deactivated',
  'user-deleted',
  'device-deactivated',
].map((key) => ({ key }));

const HOST_OPTIONS = { allowLoopback: true };

export interface DemoListener {
  /** Prints what was received, and whether polling gives the same events; false when it does not. */
  report(out: (line: string) => void): Promise<boolean>;
  close(): Promise<void>;
}

export async function startDemoListener(
  sandbox: Sandbox,
  connection: object,
  out: (line: string) => void,
): Promise<DemoListener> {
  const received: ReceivedEvent[] = [];
  const secret = newEventHookSecret();
  const handler = await createEventHookHandler({
    secret,
    subscriptions: DEMO_TRIGGERS,
    onEvent: (event) => {
      received.push(event);
    },
  });
  const server = createServer((request, response) => handler.node(request, response));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const since = new Date().toISOString();
  const url = `http://127.0.0.1:${port}/okta/event-hook`;
  const subscribed = await subscribe({ connection, triggers: DEMO_TRIGGERS, url, secret }, HOST_OPTIONS);
  if (!subscribed.ok) {
    await close(server);
    throw new Error(`subscribe failed: ${subscribed.error.message}`);
  }
  out(`\nTriggers: a listener on ${url} is subscribed (event hook "${subscribed.output.name}", verified)`);
  out(`   to ${DEMO_TRIGGERS.map((t) => t.key).join(', ')}`);
  return {
    async report(print) {
      await sandbox.eventHookDeliveries.idle();
      await handler.idle();
      print('\nWhat the listener received from Okta (event hook deliveries)');
      for (const { trigger, event } of received) print(`   ${trigger.padEnd(24)} ${describe(event)}`);
      const polled = await pollEvery(connection, since);
      const same = sameEvents(received, polled);
      print(
        `   ${received.length} events by event hook; polling the System Log for the same triggers gives ${polled.length}: ${same ? 'the same events, each once' : 'NOT the same events'}`,
      );
      return same;
    },
    close: () => close(server),
  };
}

function describe(event: ReceivedEvent['event']): string {
  const about = [event.user?.login, event.group?.name, event.device?.displayName].filter(Boolean);
  return `${event.displayMessage ?? event.eventType}: ${about.join(', ')}`;
}

async function pollEvery(
  connection: object,
  since: string,
): Promise<Array<{ trigger: string; uuid: string }>> {
  const found: Array<{ trigger: string; uuid: string }> = [];
  for (const { key } of DEMO_TRIGGERS) {
    const result = await poll({ connection, trigger: key, since }, HOST_OPTIONS);
    if (!result.ok) throw new Error(`poll ${key} failed: ${result.error.message}`);
    for (const event of result.output.events) found.push({ trigger: key, uuid: event.uuid });
  }
  return found;
}

function sameEvents(received: ReceivedEvent[], polled: Array<{ trigger: string; uuid: string }>): boolean {
  const keys = (list: Array<{ trigger: string; uuid: string }>) =>
    list.map((e) => `${e.trigger} ${e.uuid}`).sort();
  const hooked = keys(received.map((r) => ({ trigger: r.trigger, uuid: r.event.uuid })));
  return JSON.stringify(hooked) === JSON.stringify(keys(polled)) && new Set(hooked).size === hooked.length;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
