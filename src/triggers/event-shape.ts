/**
 * One System Log event as a trigger hands it to a flow: the event exactly as Okta sent it (lossless:
 * every field kept), plus the convenience fields a builder maps without digging through `target[]`:
 * `user {id, login, displayName}`, `group {id, name}`, `app {id, name, label}`, `device {id, displayName}`.
 */
import type { SubjectName, SubjectSource, TriggerDefinition } from './definition.js';

/** A party of a System Log event (its actor or one of its targets), as Okta sends it. */
export interface LogParty {
  id?: string;
  type?: string;
  alternateId?: string | null;
  displayName?: string | null;
  [field: string]: unknown;
}

/** A System Log event as Okta sends it; only what the triggers read is typed. */
export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  actor?: LogParty | null;
  target?: LogParty[] | null;
  outcome?: { result?: string; reason?: string | null } | null;
  [field: string]: unknown;
}

export type TriggerEvent = LogEvent & Partial<Record<SubjectName, Record<string, unknown>>>;

/** The party a subject comes from, or undefined when the event has none of that kind. */
export function partyOf(event: LogEvent, source: SubjectSource): LogParty | undefined {
  if (source.from === 'actor') return event.actor ?? undefined;
  return (event.target ?? []).find((target) => target?.type === source.type);
}

const SHAPES: Record<SubjectName, (party: LogParty) => Record<string, unknown>> = {
  user: (party) => ({
    id: party.id ?? null,
    login: party.alternateId ?? null,
    displayName: party.displayName ?? null,
  }),
  group: (party) => ({ id: party.id ?? null, name: party.displayName ?? null }),
  app: (party) => ({
    id: party.id ?? null,
    name: party.alternateId ?? null,
    label: party.displayName ?? null,
  }),
  device: (party) => ({ id: party.id ?? null, displayName: party.displayName ?? null }),
};

/**
 * The trigger's output for an event: the event, plus each subject the trigger declares. A subject the
 * event lacks is left out, and the output check then fails the event loudly rather than inventing it.
 */
export function triggerEventOf(trigger: TriggerDefinition, event: LogEvent): TriggerEvent {
  const shaped: TriggerEvent = { ...event };
  for (const [name, source] of Object.entries(trigger.subjects) as Array<[SubjectName, SubjectSource]>) {
    const party = partyOf(event, source);
    if (party) shaped[name] = SHAPES[name](party);
  }
  return shaped;
}
