/**
 * Whether an event starts a trigger with a given input: its event type, the trigger's fixed conditions,
 * and each filter the input fills in. The same function decides for event hook deliveries and for polled
 * events, so both modes hand a flow the same events.
 */
import type { FilterRule, SubjectName, TriggerDefinition } from './definition.js';
import { type LogEvent, type LogParty, partyOf } from './event-shape.js';

/** The Okta event types a trigger with this input listens to. */
export function eventTypesOf(trigger: TriggerDefinition, input: Record<string, unknown>): string[] {
  if (!trigger.eventTypesInput) return trigger.eventTypes;
  const fromInput = input[trigger.eventTypesInput];
  return Array.isArray(fromInput) ? fromInput.filter((type): type is string => typeof type === 'string') : [];
}

export function matchesTrigger(
  trigger: TriggerDefinition,
  input: Record<string, unknown>,
  event: LogEvent,
): boolean {
  if (!eventTypesOf(trigger, input).includes(event.eventType)) return false;
  for (const [path, value] of Object.entries(trigger.where ?? {})) {
    if (valueAt(event, path) !== value) return false;
  }
  for (const [field, rule] of Object.entries(trigger.filters)) {
    const wanted = input[field];
    if (wanted === undefined || wanted === null || wanted === '') continue;
    if (!passes(trigger, rule, String(wanted), event)) return false;
  }
  return true;
}

function passes(trigger: TriggerDefinition, rule: FilterRule, wanted: string, event: LogEvent): boolean {
  if ('path' in rule) return valueAt(event, rule.path) === wanted;
  if (rule.subject === 'target') return (event.target ?? []).some((target) => target?.id === wanted);
  const source =
    rule.subject === 'actor' ? { from: 'actor' as const } : trigger.subjects[rule.subject as SubjectName];
  const party = source ? partyOf(event, source) : undefined;
  return party !== undefined && identifies(party, wanted, rule.by);
}

/** An id matches exactly; a login (an email address) matches ignoring case, as Okta compares logins. */
function identifies(party: LogParty, wanted: string, by: 'id' | 'idOrLogin'): boolean {
  if (party.id === wanted) return true;
  return by === 'idOrLogin' && typeof party.alternateId === 'string'
    ? party.alternateId.toLowerCase() === wanted.toLowerCase()
    : false;
}

/** The value at a dotted path (`outcome.result`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
