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

export interface LogEventJson {
  uuid: string;
  published: string;
  eventType: string;
  version: string;
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  displayMessage: string;
  actor: LogParty;
  client: { ipAddress: string; userAgent: { rawUserAgent: string } };
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

  constructor(private readonly ids: IdGenerator) {}

  record(
    eventType: string,
    displayMessage: string,
    targets: LogParty[],
    severity: LogEventJson['severity'] = 'INFO',
    /** Who did it, when not the requester of the moment (an OAuth client obtaining a token). */
    actor: LogParty = this.actor,
  ): void {
    this.events.push({
      uuid: uuid(this.ids),
      published: new Date().toISOString(),
      eventType,
      version: '0',
      severity,
      displayMessage,
      actor,
      client: { ipAddress: '127.0.0.1', userAgent: { rawUserAgent: 'okta-actions sandbox client' } },
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
