/**
 * Faults of event hook deliveries (duplicate, delay, reorder, drop), and closing the sandbox while
 * deliveries are collecting or under way: what a trigger's receiver must survive.
 */
import { createHook } from 'node:async_hooks';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { deliverySandboxes } from '../helpers/delivery-sandboxes.js';
import { sandboxClient } from '../helpers/sandbox.js';

const { sandboxWith, keep } = deliverySandboxes();

interface Post {
  eventId: string;
  eventTypes: string[];
  uuids: string[];
  at: number;
}

/** A loopback endpoint that answers 200 (or never, when `hang`), keeping what it was sent. */
async function startReceiver({ hang = false } = {}) {
  const posts: Post[] = [];
  const arrivals: Array<() => void> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }));
        return;
      }
      const body = JSON.parse(text);
      const events = body.data.events as Array<{ eventType: string; uuid: string }>;
      posts.push({
        eventId: body.eventId,
        eventTypes: events.map((event) => event.eventType),
        uuids: events.map((event) => event.uuid),
        at: Date.now(),
      });
      for (const arrived of arrivals.splice(0)) arrived();
      if (hang) return;
      res.writeHead(200);
      res.end();
    });
  });
  keep(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts,
    nextArrival: () => new Promise<void>((resolve) => arrivals.push(resolve)),
  };
}

type Api = ReturnType<typeof sandboxClient>;

async function addHook(api: Api, uri: string): Promise<string> {
  const created = await api.post('/api/v1/eventHooks', {
    name: 'Lifecycle feed',
    events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.activate'] },
    channel: { type: 'HTTP', version: '1.0.0', config: { uri } },
  });
  expect((await api.post(`/api/v1/eventHooks/${created.body.id}/lifecycle/verify`)).status).toBe(200);
  return created.body.id;
}

let people = 0;

/** A new user: user.lifecycle.create, and with `activate` user.lifecycle.activate after it. */
async function createUser(api: Api, activate = false): Promise<void> {
  people += 1;
  const login = `amy.pond.${people}@example.com`;
  const answer = await api.post(`/api/v1/users?activate=${activate}`, {
    profile: { login, email: login, firstName: 'Amy', lastName: `Pond${people}` },
    credentials: { password: { value: 'Leadworth-2010x' } },
  });
  expect(answer.status).toBe(200);
}

describe('delivery faults', () => {
  it('duplicate: sends the same delivery twice, with the same eventId, as often as told', async () => {
    const { api, deliveries } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    const duplicate = deliveries.faults.add({ kind: 'duplicate', times: 1 });
    await createUser(api);
    await deliveries.idle();
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[1]).toMatchObject({
      eventId: receiver.posts[0]!.eventId,
      uuids: receiver.posts[0]!.uuids,
    });
    expect(deliveries.records.map((record) => [record.copy, record.outcome])).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
    ]);
    expect(duplicate.fired).toBe(1);

    await createUser(api);
    await deliveries.idle();
    expect(receiver.posts).toHaveLength(3);
  });

  it('delay: holds the delivery back for the time given', async () => {
    const { api, deliveries } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    deliveries.faults.add({ kind: 'delay', ms: 300 });
    await createUser(api);
    const answered = Date.now();
    await deliveries.idle();
    expect(receiver.posts).toHaveLength(1);
    expect(receiver.posts[0]!.at - answered).toBeGreaterThanOrEqual(290);
  });

  it('reorder: a later delivery overtakes the one struck', async () => {
    // One event per delivery: the new user's create and activate events go in two deliveries.
    const { api, deliveries } = await sandboxWith({ eventHooks: { maxBatchSize: 1 } });
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    deliveries.faults.add({ kind: 'reorder', times: 1 });
    await createUser(api, true);
    await deliveries.idle();
    expect(receiver.posts.map((post) => post.eventTypes)).toEqual([
      ['user.lifecycle.activate'],
      ['user.lifecycle.create'],
    ]);
  });

  it('reorder: the events of a delivery come newest first', async () => {
    const { api, deliveries } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    // No later delivery comes to overtake it: it waits 50 ms at most.
    deliveries.faults.add({ kind: 'reorder', ms: 50 });
    await createUser(api, true);
    await deliveries.idle();
    expect(receiver.posts.map((post) => post.eventTypes)).toEqual([
      ['user.lifecycle.activate', 'user.lifecycle.create'],
    ]);
  });

  it('drop: the first attempt is lost and counts as a timeout at once; the retry delivers', async () => {
    const { sandbox, api, deliveries } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    deliveries.faults.add({ kind: 'drop', times: 1 });
    const started = Date.now();
    await createUser(api);
    await deliveries.idle();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(receiver.posts).toHaveLength(1);
    expect(deliveries.records.map((record) => [record.attempt, record.outcome])).toEqual([
      [1, 'timeout'],
      [2, 'delivered'],
    ]);
    expect(deliveries.records[0]!.failure).toContain('drop');
    expect(sandbox.org.log.eventTypes()).not.toContain('event_hook.delivery');
  });

  it('drop twice: both attempts are lost and the delivery fails', async () => {
    const { sandbox, api, deliveries } = await sandboxWith();
    const receiver = await startReceiver();
    const hookId = await addHook(api, receiver.uri);
    deliveries.faults.add({ kind: 'drop', times: 2 });
    await createUser(api);
    await deliveries.idle();
    expect(receiver.posts).toEqual([]);
    const failure = sandbox.org.log.events.find((event) => event.eventType === 'event_hook.delivery');
    expect(failure?.outcome).toEqual({ result: 'FAILURE' });
    expect(failure?.target[0]?.id).toBe(hookId);
  });

  it('strikes only the hook named, and stops once removed', async () => {
    const { api, deliveries } = await sandboxWith();
    const struck = await startReceiver();
    const spared = await startReceiver();
    const struckId = await addHook(api, struck.uri);
    await addHook(api, spared.uri);
    const remove = deliveries.faults.add({ kind: 'duplicate', hookId: struckId });
    await createUser(api);
    await deliveries.idle();
    expect([struck.posts.length, spared.posts.length]).toEqual([2, 1]);
    remove();
    await createUser(api);
    await deliveries.idle();
    expect([struck.posts.length, spared.posts.length]).toEqual([3, 2]);
    expect(remove.fired).toBe(1);
  });
});

/**
 * Watches the timers event hook delivery starts (delivery.ts, delivery-post.ts): `live()` lists those
 * neither fired nor cleared yet. A count of every active timer would also see the test runner's, the HTTP
 * client's and the verification call's (an unreferenced AbortSignal timeout, which keeps nothing alive).
 */
function watchDeliveryTimers() {
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (stack.includes('/src/sandbox/resources/event-hooks/delivery')) live.set(id, stack);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return { live: () => [...live.values()], stop: () => hook.disable() };
}

describe('closing the sandbox', () => {
  it('abandons a delivery under way at once, leaving no timer and no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const timers = watchDeliveryTimers();
    try {
      const sandbox = await startSandbox();
      const api = sandboxClient(sandbox);
      const receiver = await startReceiver({ hang: true });
      await addHook(api, receiver.uri);
      const arrived = receiver.nextArrival();
      await createUser(api);
      await arrived;
      const closing = Date.now();
      await sandbox.close();
      expect(Date.now() - closing).toBeLessThan(1_000);
      expect(sandbox.eventHookDeliveries.records.map((record) => record.outcome)).toEqual(['cancelled']);
      expect(sandbox.org.log.eventTypes()).not.toContain('event_hook.delivery');
      await new Promise((resolve) => setImmediate(resolve));
      expect(timers.live()).toEqual([]);
      expect(rejections).toEqual([]);
    } finally {
      timers.stop();
      process.off('unhandledRejection', onRejection);
    }
  });

  it('drops events still collecting, and delayed deliveries, unsent', async () => {
    const timers = watchDeliveryTimers();
    const sandbox = await startSandbox({ eventHooks: { batchWindowMs: 50 } });
    const api = sandboxClient(sandbox);
    const receiver = await startReceiver();
    await addHook(api, receiver.uri);
    sandbox.eventHookDeliveries.faults.add({ kind: 'delay', ms: 5_000, times: 1 });
    await createUser(api);
    // The first batch is sent, and held by the delay; the second is still collecting when the sandbox closes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await createUser(api);
    const closing = Date.now();
    await sandbox.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers.live()).toEqual([]);
    timers.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.posts).toEqual([]);
    expect(sandbox.eventHookDeliveries.records).toEqual([]);
    await sandbox.eventHookDeliveries.idle();
  });
});
