/**
 * An event hook delivery as Okta sends it, checked before anything is trusted: the envelope's
 * `eventType` is always `com.okta.event_hook` (the events' own types are inside `data.events`), and
 * several events may be batched in one delivery.
 * https://developer.okta.com/docs/concepts/event-hooks/ (the event object's envelope)
 */
import type { LogEvent } from './event-shape.js';

export const DELIVERY_EVENT_TYPE = 'com.okta.event_hook';

/** Why a delivery body is refused, or the events it carries. */
export type ParsedDelivery = { events: LogEvent[]; eventId: string } | { problem: string };

export function parseDelivery(body: string): ParsedDelivery {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  if (!isObject(envelope)) return { problem: 'the body is not a JSON object' };
  if (envelope.eventType !== DELIVERY_EVENT_TYPE)
    return { problem: `eventType is not ${DELIVERY_EVENT_TYPE}` };
  if (typeof envelope.eventId !== 'string' || envelope.eventId === '')
    return { problem: 'eventId is missing' };
  const events = isObject(envelope.data) ? envelope.data.events : undefined;
  if (!Array.isArray(events) || events.length === 0)
    return { problem: 'data.events is not a list of events' };
  const bad = events.findIndex((event) => !isLogEvent(event));
  if (bad >= 0)
    return { problem: `data.events[${bad}] is not a System Log event (uuid, eventType, published)` };
  return { events: events as LogEvent[], eventId: envelope.eventId };
}

function isLogEvent(event: unknown): boolean {
  return (
    isObject(event) &&
    typeof event.uuid === 'string' &&
    event.uuid !== '' &&
    typeof event.eventType === 'string' &&
    typeof event.published === 'string' &&
    !Number.isNaN(Date.parse(event.published))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
