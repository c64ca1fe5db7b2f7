/**
 * Event hook delivery: every System Log event of a type a hook subscribes to goes to that hook's endpoint,
 * as Okta sends it (Okta's "Event hooks" concept page, developer.okta.com/docs/concepts/event-hooks):
 *
 * - only to hooks that are ACTIVE and VERIFIED;
 * - asynchronously: the request that caused the event does not wait for it;
 * - in batches: events that happen close together go in one call, under `data.events`;
 * - as a POST of a CloudEvents-style envelope (`eventType` "com.okta.event_hook", a new `eventId` per
 *   delivery, `source` naming the hook), with `accept` and `content-type` application/json, the hook's own
 *   headers and its authentication header;
 * - waiting 3 seconds for the answer; a 5xx answer, a timeout or a failed connection is retried once, a 4xx
 *   answer is not, and a delivery that finally fails is recorded in the System Log as `event_hook.delivery`
 *   with outcome FAILURE.
 *
 * The sandbox reaches only loopback (as for verification): a hook elsewhere, such as the seeded SIEM
 * feed, is never called, and nothing is recorded for it (every test would otherwise log its failures).
 * A hook's filter (Okta Expression Language) is not evaluated: the hook gets every event of its types.
 * Faults of deliveries (duplicate, delay, reorder, drop) come from delivery-faults.ts.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxOrg } from '../../org.js';
import type { LogEventJson, LogParty } from '../../system-log.js';
import { DeliveryFaults } from './delivery-faults.js';
import { postJson } from './delivery-post.js';
import {
  EVENT_HOOK_ELIGIBLE_TYPES,
  type EventHookRecord,
  eventHooksOf,
  hookTarget,
  isLoopback,
} from './model.js';

export interface DeliverySettings {
  /** How long the endpoint has to answer. Okta's is 3 seconds; tests may shorten it. */
  timeoutMs: number;
  /** How long events are collected into one delivery after the first of them. */
  batchWindowMs: number;
  /** The most events one delivery carries. */
  maxBatchSize: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  timeoutMs: 3_000,
  batchWindowMs: 25,
  maxBatchSize: 50,
};

/** Okta makes one attempt and, after a timeout, a failed connection or a 5xx answer, one retry. */
const ATTEMPTS = 2;

/** One attempt to deliver, kept for tests. */
export interface DeliveryRecord {
  hookId: string;
  /** The delivery's `eventId`: the same for its retry and for a duplicate. */
  eventId: string;
  /** The uuids of the System Log events it carries, in the order sent. */
  eventUuids: string[];
  /** 1 for the first attempt, 2 for the retry. */
  attempt: number;
  /** 1, or 2 for the second sending of a delivery a `duplicate` fault struck. */
  copy: number;
  /** The endpoint's HTTP status, or null when there was no answer. */
  status: number | null;
  /** Why the attempt failed, or null when it was delivered (a 2xx answer). */
  failure: string | null;
  /** `timeout` covers both a slow endpoint and a `drop` fault, which Okta could not tell apart. */
  outcome: 'delivered' | 'rejected' | 'server-error' | 'timeout' | 'unreachable' | 'cancelled';
  startedAt: string;
  durationMs: number;
}

/** What tests see of deliveries: the attempts made, a way to wait for them, and faults to inject. */
export interface EventHookDeliveryLog {
  readonly records: DeliveryRecord[];
  readonly faults: DeliveryFaults;
  /** Resolves once no event waits for its batch and no delivery is under way. */
  idle(): Promise<void>;
}

/** Okta's own actor, for what Okta does by itself rather than for a requester. */
const OKTA_SYSTEM: LogParty = {
  id: 'sys0sandboxOktaSystem',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
};

interface Delivery {
  hook: EventHookRecord;
  eventId: string;
  body: string;
  eventUuids: string[];
}

interface OpenBatch {
  events: LogEventJson[];
  timer: NodeJS.Timeout;
}

export class EventHookDeliveries implements EventHookDeliveryLog {
  readonly records: DeliveryRecord[] = [];
  readonly faults = new DeliveryFaults();
  private readonly batches = new Map<string, OpenBatch>();
  /** Open batches and deliveries under way: idle when it is 0. */
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  /** Deliveries a `reorder` fault holds until the hook's next delivery is sent: their release. */
  private readonly held = new Map<string, Array<() => void>>();
  /** Everything that waits (timers, requests), so close() can end it. */
  private readonly pending = new Set<() => void>();
  private closed = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly org: SandboxOrg,
    private readonly settings: DeliverySettings = DEFAULT_DELIVERY_SETTINGS,
  ) {
    this.stopListening = org.log.onRecord((event) => this.heard(event));
  }

  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops listening, drops open batches and ends what is under way; nothing is left running. */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const batch of this.batches.values()) clearTimeout(batch.timer);
    this.busy -= this.batches.size;
    this.batches.clear();
    for (const end of [...this.pending]) end();
    this.settle();
  }

  // -------------------------------------------------------------------------------------------------------
  // Collecting events into batches

  private heard(event: LogEventJson): void {
    if (this.closed || !EVENT_HOOK_ELIGIBLE_TYPES.has(event.eventType)) return;
    for (const hook of eventHooksOf(this.org).byId.values()) {
      if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED') continue;
      if (!hook.eventTypes.includes(event.eventType) || !isLoopback(new URL(hook.uri))) continue;
      this.collect(hook, event);
    }
  }

  private collect(hook: EventHookRecord, event: LogEventJson): void {
    let batch = this.batches.get(hook.id);
    if (!batch) {
      batch = { events: [], timer: setTimeout(() => this.flush(hook), this.settings.batchWindowMs) };
      this.batches.set(hook.id, batch);
      this.busy += 1;
    }
    batch.events.push(event);
    if (batch.events.length >= this.settings.maxBatchSize) this.flush(hook);
  }

  private flush(hook: EventHookRecord): void {
    const batch = this.batches.get(hook.id);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(hook.id);
    this.deliver(hook, batch.events)
      .catch((error: unknown) => {
        // A bug of the sandbox's, not the endpoint's: shown, and never an unhandled rejection.
        process.emitWarning(`event hook delivery failed unexpectedly: ${String(error)}`);
      })
      .finally(() => {
        this.busy -= 1;
        this.settle();
      });
  }

  private settle(): void {
    if (this.busy > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // -------------------------------------------------------------------------------------------------------
  // Sending

  private async deliver(hook: EventHookRecord, events: LogEventJson[]): Promise<void> {
    const delay = this.faults.strike('delay', hook.id);
    if (delay) await this.wait(delay.ms);
    const reorder = this.faults.strike('reorder', hook.id);
    const sent = reorder ? [...events].reverse() : events;
    if (reorder) await this.holdForNext(hook.id, reorder.ms ?? 1_000);
    if (this.closed) return;
    const delivery = this.envelope(hook, sent);
    await this.send(delivery, 1);
    this.releaseHeld(hook.id);
    if (this.faults.strike('duplicate', hook.id)) await this.send(delivery, 2);
  }

  /** The body Okta posts: a CloudEvents 0.1 envelope around the events, as the System Log lists them. */
  private envelope(hook: EventHookRecord, events: LogEventJson[]): Delivery {
    const eventId = randomUUID();
    const body = {
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${this.org.baseUrl}/api/v1/eventHooks/${hook.id}`,
      eventId,
      eventTime: new Date().toISOString(),
      contentType: 'application/json',
      data: { events },
    };
    return { hook, eventId, body: JSON.stringify(body), eventUuids: events.map((event) => event.uuid) };
  }

  /** One sending of a delivery: an attempt, and the retry Okta makes after a failure it may retry. */
  private async send(delivery: Delivery, copy: number): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (this.closed) return;
      const record = await this.attempt(delivery, attempt, copy);
      this.records.push(record);
      if (record.outcome === 'delivered' || record.outcome === 'cancelled') return;
      const retry = record.outcome !== 'rejected' && attempt < ATTEMPTS;
      if (!retry) {
        this.logFailure(delivery, record);
        return;
      }
    }
  }

  private async attempt(delivery: Delivery, attempt: number, copy: number): Promise<DeliveryRecord> {
    const { hook } = delivery;
    const started = Date.now();
    const base = {
      hookId: hook.id,
      eventId: delivery.eventId,
      eventUuids: delivery.eventUuids,
      attempt,
      copy,
    };
    const done = (fields: Pick<DeliveryRecord, 'status' | 'failure' | 'outcome'>): DeliveryRecord => ({
      ...base,
      ...fields,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
    if (this.faults.strike('drop', hook.id, attempt)) {
      return done({ status: null, failure: 'the call was lost on its way (drop fault)', outcome: 'timeout' });
    }
    const answer = await postJson(hook.uri, headersOf(hook), delivery.body, this.settings.timeoutMs, (end) =>
      this.track(end),
    );
    if (this.closed) return done({ status: null, failure: 'the sandbox closed', outcome: 'cancelled' });
    if (answer.status === undefined) {
      return done({
        status: null,
        failure: answer.failure,
        outcome: answer.timedOut ? 'timeout' : 'unreachable',
      });
    }
    if (answer.status >= 200 && answer.status < 300)
      return done({ status: answer.status, failure: null, outcome: 'delivered' });
    const failure = `the endpoint answered HTTP ${answer.status}`;
    // Okta retries a 5xx answer, not a 4xx one; any other status is taken as a refusal too.
    const outcome = answer.status >= 500 ? 'server-error' : 'rejected';
    return done({ status: answer.status, failure, outcome });
  }

  /** Okta records a delivery that finally failed in the System Log; the event is not one a hook gets. */
  private logFailure(delivery: Delivery, record: DeliveryRecord): void {
    if (this.closed) return;
    this.org.log.recordEvent({
      eventType: 'event_hook.delivery',
      displayMessage: 'Event hook delivery',
      targets: [hookTarget(delivery.hook)],
      severity: 'WARN',
      actor: OKTA_SYSTEM,
      outcome: { result: 'FAILURE' },
      debugData: {
        eventHookId: delivery.hook.id,
        eventId: delivery.eventId,
        reason: record.failure ?? 'not delivered',
      },
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Waiting, in ways close() can end

  private track(end: () => void): () => void {
    this.pending.add(end);
    return () => this.pending.delete(end);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        untrack();
        resolve();
      };
      const timer = setTimeout(end, ms);
      const untrack = this.track(end);
    });
  }

  /** Waits until the hook's next delivery has been sent, or `ms` at most. */
  private holdForNext(hookId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        untrack();
        const waiting = (this.held.get(hookId) ?? []).filter((candidate) => candidate !== release);
        if (waiting.length > 0) this.held.set(hookId, waiting);
        else this.held.delete(hookId);
        resolve();
      };
      const timer = setTimeout(release, ms);
      const untrack = this.track(release);
      this.held.set(hookId, [...(this.held.get(hookId) ?? []), release]);
    });
  }

  private releaseHeld(hookId: string): void {
    for (const release of [...(this.held.get(hookId) ?? [])]) release();
  }
}

/** The headers Okta sends: JSON both ways, the hook's own headers, and its authentication header. */
function headersOf(hook: EventHookRecord): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  for (const header of hook.headers) headers[header.key] = header.value;
  if (hook.authScheme) headers[hook.authScheme.key] = hook.authScheme.value;
  return headers;
}
