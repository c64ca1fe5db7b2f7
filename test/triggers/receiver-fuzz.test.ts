/**
 * Fuzzing the receiver with what an attacker or a broken proxy could send: forged deliveries (no secret,
 * a wrong one, a near miss), malformed bodies (any text, any JSON, valid deliveries with parts mutated),
 * oversized bodies. None may reach onEvent and none may make the handler throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventHookHandler, type ReceivedEvent } from '../../src/triggers/index.js';
import { deactivationEvent, deliveryBody, membershipEvent, post, SECRET } from './deliveries.js';

const RUNS = 300;

async function fuzzReceiver() {
  const received: ReceivedEvent[] = [];
  const handler = await createEventHookHandler({
    secret: SECRET,
    subscriptions: [
      { key: 'user-added-to-group' },
      { key: 'user-deactivated' },
      { key: 'any-event', input: { eventTypes: ['user.session.start'] } },
    ],
    onEvent: (event) => {
      received.push(event);
    },
    maxBodyBytes: 64_000,
  });
  return { handler, received };
}

/** A valid delivery with one part replaced by arbitrary JSON. */
const mutatedDelivery = fc
  .tuple(
    fc.constantFrom(
      'eventType',
      'eventId',
      'data',
      'data.events',
      'event.uuid',
      'event.eventType',
      'event.published',
      'event.target',
    ),
    fc.jsonValue(),
  )
  .map(([part, value]) => {
    const body = deliveryBody([membershipEvent()]) as Record<string, unknown>;
    const event = (body.data as { events: Record<string, unknown>[] }).events[0] as Record<string, unknown>;
    if (part === 'data') body.data = value;
    else if (part === 'data.events') (body.data as Record<string, unknown>).events = value;
    else if (part.startsWith('event.')) event[part.slice(6)] = value;
    else body[part] = value;
    return body;
  });

describe('receiver fuzzing', () => {
  it('forged deliveries (no secret, a wrong or near one) reach no flow and never throw', async () => {
    const { handler, received } = await fuzzReceiver();
    const forgedSecret = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.string({ minLength: 1 }).map((s) => `${SECRET}${s}`),
      fc.integer({ min: 1, max: SECRET.length }).map((n) => SECRET.slice(0, -n)),
      fc.constant(SECRET.toUpperCase()),
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(forgedSecret, async (secret) => {
        // HTTP strips a header value's surrounding whitespace: such a value is the secret itself.
        fc.pre(secret?.trim() !== SECRET);
        // A header value fetch refuses (a newline) is not one an HTTP request can carry anyway.
        let request: Request;
        try {
          request = post(deliveryBody([deactivationEvent(), membershipEvent()]), secret);
        } catch {
          return;
        }
        const response = await handler.fetch(request);
        expect(response.status).toBe(401);
        answered += 1;
      }),
      { numRuns: RUNS },
    );
    await handler.idle();
    expect(answered).toBeGreaterThan(RUNS / 2);
    expect(received).toHaveLength(0);
  });

  it('malformed bodies with the right secret reach no flow, are refused with 400, and never throw', async () => {
    const { handler, received } = await fuzzReceiver();
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      mutatedDelivery.map((v) => JSON.stringify(v)),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const response = await handler.fetch(post(text));
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
    await handler.idle();
    // A mutation can leave a delivery valid (say, a target replaced): only events that still fit their
    // trigger's output schema may reach a flow, and each of those is a well-formed event.
    for (const { event } of received) {
      expect(typeof event.uuid).toBe('string');
      expect(['group.user_membership.add', 'user.lifecycle.deactivate', 'user.session.start']).toContain(
        event.eventType,
      );
    }
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 2);
  });

  it('oversized bodies are refused with 413 before they are parsed', async () => {
    const { handler, received } = await fuzzReceiver();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 64_001, max: 400_000 }), async (size) => {
        const response = await handler.fetch(
          post(`{"eventType":"com.okta.event_hook","pad":"${'x'.repeat(size)}"}`),
        );
        expect(response.status).toBe(413);
      }),
      { numRuns: 40 },
    );
    await handler.idle();
    expect(received).toHaveLength(0);
  });
});
