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
  outcome: { result: 'SUCCESS' | 'FAILURE' };
  target: LogParty[];
  transaction: { type: 'WEB'; id: string };
  legacyEventType?: string;
}

/** The most events kept; older ones drop off, as a real org's log retention would. */
const MAX_EVENTS = 100_000;

export class SystemLog {
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

  constructor(private readonly ids: IdGenerator) {}

  record(
    eventType: string,
    displayMessage: string,
    targets: LogParty[],
    severity: LogEventJson['severity'] = 'INFO',
    /** Who did it, when not the requester of the moment (an OAuth client obtaining a token). */
    actor: LogParty = this.actor,
  ): void {
    const from = this.request;
    const ipAddress = from?.ipAddress ?? '127.0.0.1';
    this.events.push({
      uuid: uuid(this.ids),
      published: new Date().toISOString(),
      eventType,
      version: '0',
      severity,
      displayMessage,
      actor,
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
      debugContext: {
        debugData: from ? { requestId: from.requestId, requestUri: from.requestUri, url: from.url } : {},
      },
      request: { ipChain: [{ ip: ipAddress, version: ipAddress.includes(':') ? 'V6' : 'V4' }] },
      outcome: { result: 'SUCCESS' },
      target: targets,
      transaction: { type: 'WEB', id: this.ids.id('', 24) },
    });
    // Trimmed in batches: dropping one event per new one would shift 100,000 entries every time.
    if (this.events.length > MAX_EVENTS * 1.1) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Event types recorded so far, in order: what tests usually assert on. */
  eventTypes(): string[] {
    return this.events.map((event) => event.eventType);
  }
}

function uuid(ids: IdGenerator): string {
  const hex = () => Math.floor(ids.random() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}
