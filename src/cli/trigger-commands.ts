/**
 * The trigger commands: `triggers` lists the catalog; `poll` reads a trigger's events from the System Log
 * (once, or with --follow until stopped); `listen` serves an event hook receiver, subscribes the org's
 * event hook to it, prints each event, and unsubscribes when stopped. Events go to stdout as JSON lines
 * (one event a line, for jq and pipes); everything said to the person goes to stderr.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostOptions } from '../runtime/execute.js';
import { closestName } from '../schema/suggest.js';
import type { TriggerSubscription } from '../triggers/catalog.js';
import { findTrigger, triggerDefinitions } from '../triggers/catalog.js';
import type { CliIo } from './cli-io.js';
import { explainListenFailure } from './sandbox-command.js';
import { UsageError } from './usage-error.js';

export function listTriggers(io: CliIo): number {
  const triggers = triggerDefinitions();
  const keyWidth = Math.max(...triggers.map((t) => t.key.length));
  const titleWidth = Math.max(...triggers.map((t) => t.title.length));
  for (const trigger of triggers) {
    const types = trigger.eventTypesInput ? '(event types you choose)' : trigger.eventTypes.join(', ');
    io.stdout(`${trigger.key.padEnd(keyWidth)}  ${trigger.title.padEnd(titleWidth)}  ${types}\n`);
  }
  return 0;
}

/** The trigger a command names; an unknown key is a UsageError that suggests the closest one. */
export function knownTrigger(key: string): string {
  if (findTrigger(key)) return key;
  const near = closestName(
    key,
    triggerDefinitions().map((t) => t.key),
  );
  throw new UsageError(
    `There is no trigger "${key}".${near ? ` Did you mean "${near}"?` : ''} List them with: okta-actions triggers`,
  );
}

export interface PollCommand {
  connection: unknown;
  trigger: string;
  input: Record<string, unknown>;
  cursor?: string | undefined;
  since?: string | undefined;
  follow: boolean;
  options: HostOptions;
}

/** Prints the events as JSON lines; the cursor to continue from goes to stderr (`{"cursor": ...}`). */
export async function pollCommand(command: PollCommand, io: CliIo): Promise<number> {
  const { poll, followTrigger, TriggerError } = await import('../triggers/index.js');
  const request = {
    connection: command.connection,
    trigger: command.trigger,
    input: command.input,
    ...(command.cursor ? { cursor: command.cursor } : {}),
    ...(command.since ? { since: command.since } : {}),
  };
  if (!command.follow) {
    const result = await poll(request, command.options);
    if (!result.ok) {
      io.stderr(`${JSON.stringify({ error: result.error }, null, 2)}\n`);
      return 1;
    }
    for (const event of result.output.events) io.stdout(`${JSON.stringify(event)}\n`);
    io.stderr(`${JSON.stringify({ cursor: result.output.cursor, caughtUp: result.output.caughtUp })}\n`);
    return 0;
  }
  const stop = new AbortController();
  void io.untilStopped().then(() => stop.abort());
  let cursor = command.cursor;
  io.stderr(`Following ${command.trigger} in the System Log; stop with Ctrl-C.\n`);
  try {
    for await (const batch of followTrigger(
      { ...request, signal: stop.signal, intervalMs: 2000 },
      command.options,
    )) {
      for (const event of batch.events) io.stdout(`${JSON.stringify(event)}\n`);
      cursor = batch.cursor;
    }
  } catch (error) {
    if (!(error instanceof TriggerError)) throw error;
    io.stderr(`${JSON.stringify({ error: error.envelope, cursor }, null, 2)}\n`);
    return 1;
  }
  io.stderr(`${JSON.stringify({ cursor })}\n`);
  return 0;
}

export interface ListenCommand {
  connection: unknown;
  triggers: string[];
  input: Record<string, unknown>;
  port: number;
  /** The public URL Okta calls; default: this listener's loopback address (a local sandbox only). */
  url?: string | undefined;
  options: HostOptions;
}

/** The CLI's own hook, apart from the one a host's flows use (the connection's Event Hook Name). */
const LISTEN_HOOK_NAME = 'okta-actions-cli-listen';

/** Serves a receiver, subscribes, prints events until stopped, then unsubscribes. */
export async function listenCommand(command: ListenCommand, io: CliIo): Promise<number> {
  const { createEventHookHandler, newEventHookSecret, subscribe, unsubscribe } = await import(
    '../triggers/index.js'
  );
  const keys = command.triggers.length > 0 ? command.triggers : defaultListenKeys();
  const subscriptions: TriggerSubscription[] = keys.map((key) => ({
    key,
    ...(keys.length === 1 ? { input: command.input } : {}),
  }));
  // Known to the receiver before the hook exists: Okta may deliver as soon as the hook is verified.
  const secret = newEventHookSecret();
  const receiver = await createEventHookHandler({
    secret,
    subscriptions,
    onEvent: ({ trigger, event }) => io.stdout(`${JSON.stringify({ trigger, event })}\n`),
    onProblem: (problem) => io.stderr(`Refused: ${problem.kind}: ${problem.message}\n`),
  });
  const server = createServer((request, response) => receiver.node(request, response));
  const port = await listen(server, command.port).catch((error: unknown) => {
    const explained = explainListenFailure(error, command.port);
    if (!explained) throw error;
    io.stderr(`${explained}\n`);
    return undefined;
  });
  if (port === undefined) return 1;
  try {
    const url = command.url ?? `http://127.0.0.1:${port}/okta/event-hook`;
    // rotateSecret: a hook left by a listener that crashed is taken over with this run's secret.
    const subscribed = await subscribe(
      {
        connection: command.connection,
        triggers: subscriptions,
        url,
        name: LISTEN_HOOK_NAME,
        secret,
        rotateSecret: true,
      },
      command.options,
    );
    if (!subscribed.ok) {
      io.stderr(`${JSON.stringify({ error: subscribed.error }, null, 2)}\n`);
      return 1;
    }
    io.stderr(
      `Listening on port ${port}; Okta's event hook "${subscribed.output.name}" delivers ${subscribed.output.eventTypes.length} event types to ${url}. Stop with Ctrl-C.\n`,
    );
    await io.untilStopped();
    await receiver.idle();
    const removed = await unsubscribe(
      { connection: command.connection, name: LISTEN_HOOK_NAME },
      command.options,
    );
    io.stderr(
      removed.ok
        ? 'Unsubscribed: the event hook was removed.\n'
        : `Unsubscribing failed: ${removed.error.message}\n`,
    );
    return removed.ok ? 0 : 1;
  } finally {
    server.close();
  }
}

/** Every trigger with fixed event types (any-event needs its types chosen). */
function defaultListenKeys(): string[] {
  return triggerDefinitions()
    .filter((t) => !t.eventTypesInput)
    .map((t) => t.key);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
