/**
 * What the trigger runtime reads of a trigger's contract (`manifest.triggers`, generated from
 * `triggers/<key>/trigger.json`): the event types it covers, the conditions and filters that decide
 * whether an event starts it, and the convenience fields (subjects) its output carries.
 */

/** The convenience objects of a trigger's output, each taken from one party of the event. */
export type SubjectName = 'user' | 'group' | 'app' | 'device';

/** Where a subject comes from: the event's actor, or its first target of an Okta target type. */
export type SubjectSource = { from: 'actor' } | { from: 'target'; type: string };

/** How one input field filters events: by a subject's id (or id or login), any target's id, or a path. */
export type FilterRule =
  | { subject: SubjectName | 'actor'; by: 'id' | 'idOrLogin' }
  | { subject: 'target'; by: 'id' }
  | { path: string };

export interface TriggerDefinition {
  key: string;
  title: string;
  /** Okta event types it covers; empty when an input field supplies them (`eventTypesInput`). */
  eventTypes: string[];
  eventTypesInput?: string;
  /** Fixed conditions: a dotted path in the event and the value it must have. */
  where?: Record<string, string>;
  subjects: Partial<Record<SubjectName, SubjectSource>>;
  filters: Record<string, FilterRule>;
  input: object;
  output: object;
}
