import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createEventHookHandler,
  type ReceivedEvent,
  type ReceiverProblem,
} from '../../src/triggers/index.js';
import { deactivationEvent, deliveryBody, membershipEvent, post, SECRET } from './deliveries.js';

async function receiver(options: Partial<Parameters<typeof createEventHookHandler>[0]> = {}) {
  const received: ReceivedEvent[] = [];
  const problems: ReceiverProblem[] = [];
  const handler = await createEventHookHandler({
    secret: SECRET,
    subscriptions: [{ key: 'user-added-to-group' }, { key: 'user-deactivated' }],
    onEvent: (event) => {
      received.push(event);
    },
    onProblem: (problem) => problems.push(problem),
    ...options,
  });
  return { handler, received, problems };
}

describe('event hook receiver', () => {
  it('answers the one-time verification by echoing the challenge', async () => {
    const { handler } = await receiver();
    const response = await handler.fetch(
      new Request('https://hooks.example.com/okta', {
        headers: { 'x-okta-verification-challenge': 'abc123' },
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verification: 'abc123' });
  });

  it('splits a batch, matches each event to the subscribed triggers and shapes it', async () => {
    const { handler, received } = await receiver();
    const added = membershipEvent();
    const deactivated = deactivationEvent();
    const ignored = membershipEvent({ eventType: 'user.session.start' });
    const response = await handler.fetch(post(deliveryBody([added, ignored, deactivated])));
    expect(response.status).toBe(200);
    await handler.idle();
    expect(received.map((r) => [r.trigger, r.event.uuid])).toEqual([
      ['user-added-to-group', added.uuid],
      ['user-deactivated', deactivated.uuid],
    ]);
    expect(received[0]?.event).toMatchObject({
      ...added,
      user: { id: '00ub0oNGTSWTBKOLGLNR', login: 'jane.doe@example.com', displayName: 'Jane Doe' },
      group: { id: '00g1emaildomainAAAAA', name: 'Engineering' },
    });
  });

  it('hands a repeated event (Okta retries a delivery) to the flow once', async () => {
    const { handler, received } = await receiver();
    const event = membershipEvent();
    for (let i = 0; i < 3; i += 1)
      expect((await handler.fetch(post(deliveryBody([event])))).status).toBe(200);
    await handler.idle();
    expect(received.map((r) => r.event.uuid)).toEqual([event.uuid]);
  });

  it('filters by the subscription input (the group), id or login as the filter allows', async () => {
    const { handler, received } = await receiver({
      subscriptions: [
        { id: 'engineering', key: 'user-added-to-group', input: { groupId: '00g1emaildomainAAAAA' } },
        { id: 'sales', key: 'user-added-to-group', input: { groupId: '00g1salesAAAAAAAAAAA' } },
        { id: 'jane', key: 'user-deactivated', input: { user: 'JANE.DOE@example.com' } },
      ],
    });
    await handler.fetch(post(deliveryBody([membershipEvent(), deactivationEvent()])));
    await handler.idle();
    expect(received.map((r) => r.subscriptionId)).toEqual(['engineering', 'jane']);
  });

  it('answers Okta before onEvent finishes, and an onEvent failure is reported, never thrown', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const problems: ReceiverProblem[] = [];
    let calls = 0;
    const handler = await createEventHookHandler({
      secret: SECRET,
      subscriptions: [{ key: 'user-deactivated' }],
      onEvent: async () => {
        calls += 1;
        await gate;
        throw new Error('the flow engine is down');
      },
      onProblem: (problem) => problems.push(problem),
    });
    const response = await handler.fetch(post(deliveryBody([deactivationEvent()])));
    expect(response.status).toBe(200);
    release();
    await handler.idle();
    expect(calls).toBe(1);
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'handler-failed', message: 'the flow engine is down' }),
    ]);
  });

  it('refuses a delivery without the secret, or with another one: 401, nothing delivered', async () => {
    const { handler, received, problems } = await receiver();
    // (Not `${SECRET} `: HTTP strips a header value's surrounding spaces, so that is the secret itself.)
    for (const secret of [null, '', 'wrong', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const response = await handler.fetch(post(deliveryBody([deactivationEvent()]), secret));
      expect(response.status).toBe(401);
    }
    await handler.idle();
    expect(received).toEqual([]);
    expect(problems.map((p) => p.kind)).toEqual(Array(5).fill('unauthorized'));
  });

  it('accepts any of several secrets while one is rotated', async () => {
    const { handler, received } = await receiver({ secret: () => ['old-secret-value-00000', SECRET] });
    expect(
      (await handler.fetch(post(deliveryBody([deactivationEvent()]), 'old-secret-value-00000'))).status,
    ).toBe(200);
    expect((await handler.fetch(post(deliveryBody([deactivationEvent()]), SECRET))).status).toBe(200);
    await handler.idle();
    expect(received).toHaveLength(2);
  });

  it('refuses bodies that are too large, not JSON, or not an Okta delivery', async () => {
    const { handler, received, problems } = await receiver({ maxBodyBytes: 2_000 });
    const big = deliveryBody(Array.from({ length: 20 }, () => deactivationEvent()));
    expect((await handler.fetch(post(big))).status).toBe(413);
    expect((await handler.fetch(post('{"eventType":'))).status).toBe(400);
    // The envelope's type is always com.okta.event_hook; the event's own type is inside data.events.
    expect(
      (
        await handler.fetch(
          post({ ...deliveryBody([deactivationEvent()]), eventType: 'user.lifecycle.deactivate' }),
        )
      ).status,
    ).toBe(400);
    expect((await handler.fetch(post(deliveryBody([{ uuid: 'x' }])))).status).toBe(400);
    expect((await handler.fetch(post(deliveryBody([])))).status).toBe(400);
    await handler.idle();
    expect(received).toEqual([]);
    expect(problems.map((p) => p.kind)).toEqual([
      'too-large',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
    ]);
  });

  it('reports an event that lacks what its trigger promises, and hands the flow nothing for it', async () => {
    const { handler, received, problems } = await receiver();
    // A membership event without its group target cannot give the flow `group`.
    const broken = membershipEvent({
      target: [{ id: '00ub0oNGTSWTBKOLGLNR', type: 'User', alternateId: 'jane.doe@example.com' }],
    });
    expect((await handler.fetch(post(deliveryBody([broken])))).status).toBe(200);
    await handler.idle();
    expect(received).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'rejected-event', uuid: broken.uuid })]);
  });

  it('refuses methods other than POST (and the verification GET)', async () => {
    const { handler } = await receiver();
    expect(
      (await handler.fetch(new Request('https://hooks.example.com/okta', { method: 'PUT', body: '{}' })))
        .status,
    ).toBe(405);
    expect((await handler.fetch(new Request('https://hooks.example.com/okta'))).status).toBe(405);
  });

  it('refuses a subscription to an unknown trigger or with a wrong input when it is created', async () => {
    await expect(
      createEventHookHandler({
        secret: SECRET,
        subscriptions: [{ key: 'user-exploded' }],
        onEvent: () => undefined,
      }),
    ).rejects.toThrow(/subscriptions\[0\]\.key/);
    await expect(
      createEventHookHandler({
        secret: SECRET,
        subscriptions: [{ key: 'user-added-to-group', input: { groupId: 42 } }],
        onEvent: () => undefined,
      }),
    ).rejects.toThrow(/subscriptions\[0\]\.input\.groupId/);
  });

  it('serves Node (req, res) the same way, over a real socket', async () => {
    const { handler, received } = await receiver();
    const server = createServer((request, response) => handler.node(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta`;
    try {
      const event = deactivationEvent();
      const ok = await fetch(url, {
        method: 'POST',
        headers: { authorization: SECRET },
        body: JSON.stringify(deliveryBody([event])),
      });
      expect(ok.status).toBe(200);
      const forged = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'nope' },
        body: JSON.stringify(deliveryBody([deactivationEvent()])),
      });
      expect(forged.status).toBe(401);
      const challenge = await fetch(url, { headers: { 'x-okta-verification-challenge': 'xyz' } });
      expect(await challenge.json()).toEqual({ verification: 'xyz' });
      await handler.idle();
      expect(received.map((r) => r.event.uuid)).toEqual([event.uuid]);
    } finally {
      server.close();
    }
  });
});
