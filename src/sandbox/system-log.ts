/**
 * The org's System Log: every change the sandbox makes records an event with Okta's event type name
 * (user.lifecycle.create, group.user_membership.add, ...), so a test can check what a flow did.
 */
import type { IdGenerator } from './ids.js';

export interface LogParty {
  id: string;
  type: string;
  alternateId?: string;
  displayName?: string;
}

/** The request an event comes from: what the event's client, debug context and request chain name. */
export interface LogRequestContext {
  requestId: string;
  /** The path, and the path with the query. */
  requestUri: string;
  url: string;
  ipAddress: string;
  userAgent: string;
}

export interface LogOutcome {
  result: 'SUCCESS' | 'FAILURE';
  /** Why, for a failure: INVALID_CREDENTIALS, LOCKED_OUT, ... (Okta's LogOutcome.reason). */
  reason?: string;
}

export interface LogEventJson {
  uuid: string;
  published: string;
  eventType: string;
  version: string;
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  displayMessage: string;
  actor: LogParty;
  client: {
    ipAddress: string;
    device: string;
    userAgent: { rawUserAgent: string; os: string; browser: string };
  };
  authenticationContext: { authenticationStep: number; externalSessionId: string };
  debugContext: { debugData: Record<string, string> };
  request: { ipChain: Array<{ ip: string; version: 'V4' | 'V6' }> };
  outcome: LogOutcome;
  target: LogParty[];
  transaction: { type: 'WEB'; id: string };
  legacyEventType?: string;
}

/** An event to record: what happened, and what differs from an API request's event of the moment. */
export interface NewLogEvent {
  eventType: string;
  displayMessage: string;
  targets?: LogParty[];
  severity?: LogEventJson['severity'];
  /** Who did it, when not the requester of the moment (an OAuth client, a user signing in, Okta itself). */
  actor?: LogParty;
  /** Default SUCCESS. */
  outcome?: LogOutcome;
  /** Added to the debug data the request of the moment gives. */
  debugData?: Record<string, string>;
  /**
   * When the event happened, if earlier than now. Okta persists some events after others that happened
   * later (its API description of listLogEvents: polling queries follow the persistence time, bounded
   * ones the `published` time), so a test can record an event persisted now but published in the past.
   */
  publishedAt?: Date | string | number;
}

/** Where an event sits in the order the org persisted its events (never part of the event's JSON). */
export interface LogPersistence {
  /** Increases by one with each event persisted. */
  seq: number;
  /** When it was persisted, in epoch milliseconds. */
  at: number;
}

export type LogListener = (event: LogEventJson) => void;

/** The most events kept; older ones drop off, as a real org's log retention would. */
const MAX_EVENTS = 100_000;

export class SystemLog {
  /** In the order they were persisted. */
  readonly events: LogEventJson[] = [];
  /** Who the events are attributed to: the admin, user or app whose token made the request. */
  actor: LogParty = {
    id: '00u000000000sandbox0',
    type: 'User',
    alternateId: 'admin',
    displayName: 'Sandbox Admin',
  };

  /** The request being served, while its handler runs (the server sets it, as it sets the actor). */
  request: LogRequestContext | undefined;

  private readonly persisted = new WeakMap<LogEventJson, LogPersistence>();
  private nextSeq = 0;
  private listeners: LogListener[] = [];

  constructor(private readonly ids: IdGenerator) {}

  record(
    eventType: string,
    displayMessage: string,
    targets: LogParty[],
    severity: LogEventJson['severity'] = 'INFO',
    /** Who did it, when not the requester of the moment (an OAuth client obtaining a token). */
    actor: LogParty = this.actor,
  ): LogEventJson {
    return this.recordEvent({ eventType, displayMessage, targets, severity, actor });
  }

  /** Records an event, persisted now, and tells the listeners (event hook delivery) about it. */
  recordEvent(input: NewLogEvent): LogEventJson {
    const now = Date.now();
    const event = this.eventOf(input, input.publishedAt === undefined ? now : input.publishedAt);
    this.events.push(event);
    this.persisted.set(event, { seq: this.nextSeq++, at: now });
    // Trimmed in batches: dropping one event per new one would shift 100,000 entries every time.
    if (this.events.length > MAX_EVENTS * 1.1) this.events.splice(0, this.events.length - MAX_EVENTS);
    for (const listener of this.listeners) {
      // The change the event records has happened: a listener's failure must not turn it into an error.
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(`a System Log listener failed: ${String(error)}`);
      }
    }
    return event;
  }

  /** Calls `listener` with every event recorded from now on; the function returned stops it. */
  onRecord(listener: LogListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  /** Where an event of this log sits in persistence order (undefined for an event it does not hold). */
  persistenceOf(event: LogEventJson): LogPersistence | undefined {
    return this.persisted.get(event);
  }

  /** Event types recorded so far, in order: what tests usually assert on. */
  eventTypes(): string[] {
    return this.events.map((event) => event.eventType);
  }

  private eventOf(input: NewLogEvent, published: Date | string | number): LogEventJson {
    const from = this.request;
    const ipAddress = from?.ipAddress ?? '127.0.0.1';
    const requestData: Record<string, string> = from
      ? { requestId: from.requestId, requestUri: from.requestUri, url: from.url }
      : {};
    return {
      uuid: uuid(this.ids),
      published: new Date(published).toISOString(),
      eventType: input.eventType,
      version: '0',
      severity: input.severity ?? 'INFO',
      displayMessage: input.displayMessage,
      actor: input.actor ?? this.actor,
      // What Okta logs for a call from an API client rather than a browser: no device, OS or browser it
      // knows, and no sign-in session (Okta events of API clients quoted in elastic/detection-rules#2854).
      client: {
        ipAddress,
        device: 'Unknown',
        userAgent: {
          rawUserAgent: from?.userAgent ?? 'okta-actions sandbox client',
          os: 'Unknown',
          browser: 'UNKNOWN',
        },
      },
      authenticationContext: { authenticationStep: 0, externalSessionId: 'unknown' },
      debugContext: { debugData: { ...requestData, ...input.debugData } },
      request: { ipChain: [{ ip: ipAddress, version: ipAddress.includes(':') ? 'V6' : 'V4' }] },
      outcome: input.outcome ? { ...input.outcome } : { result: 'SUCCESS' },
      target: input.targets ?? [],
      transaction: { type: 'WEB', id: this.ids.id('', 24) },
    };
  }
}

function uuid(ids: IdGenerator): string {
  const hex = () => Math.floor(ids.random() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}
