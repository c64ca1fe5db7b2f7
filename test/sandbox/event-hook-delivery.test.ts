/**
 * Event hook delivery, end to end: a real receiver on loopback, hooks created and verified through the API,
 * and changes made through the API, as a trigger's receiver will meet them.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../../src/sandbox/resources/event-hooks/delivery.js';
import { deliverySandboxes } from '../helpers/delivery-sandboxes.js';
import type { RawAnswer, sandboxClient } from '../helpers/sandbox.js';

const SECRET = 'Bearer delivery-test-secret';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------------------
// Sandboxes and receivers, closed after each test

const { sandboxWith, keep } = deliverySandboxes();

interface Received {
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads Okta's delivery JSON freely.
  body: any;
  /** When the request arrived (epoch ms). */
  at: number;
}

/** How the receiver answers its nth delivery (1 is the first): a status after a delay, or never. */
type Answer = { status: number; delayMs?: number } | 'never';

/** A hook endpoint on loopback: it echoes verification challenges and answers deliveries as told. */
async function startReceiver(answer: (n: number) => Answer = () => ({ status: 200 })) {
  const posts: Received[] = [];
  const arrivals: Array<() => void> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      if (req.method === 'GET') {
        const challenge = req.headers['x-okta-verification-challenge'];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ verification: challenge }));
        return;
      }
      posts.push({ headers: req.headers, body: JSON.parse(text), at: Date.now() });
      for (const arrived of arrivals.splice(0)) arrived();
      const reply = answer(posts.length);
      if (reply === 'never') return;
      setTimeout(() => {
        res.writeHead(reply.status);
        res.end();
      }, reply.delayMs ?? 0);
    });
  });
  keep(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`,
    posts,
    /** Resolves when the next delivery arrives. */
    nextArrival: () => new Promise<void>((resolve) => arrivals.push(resolve)),
  };
}

type Api = ReturnType<typeof sandboxClient>;

/** Creates a hook for `items` at `uri` and, unless told otherwise, verifies it. */
async function addHook(api: Api, uri: string, items: string[], verify = true): Promise<{ id: string }> {
  const created = await api.post('/api/v1/eventHooks', {
    name: `Trigger feed ${items.join(' ')}`,
    events: { type: 'EVENT_TYPE', items },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri,
        headers: [{ key: 'X-Team', value: 'identity' }],
        authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET },
      },
    },
  });
  expect(created.status).toBe(200);
  if (verify)
    expect((await api.post(`/api/v1/eventHooks/${created.body.id}/lifecycle/verify`)).status).toBe(200);
  return created.body;
}

let people = 0;

/** Creates a user: one user.lifecycle.create event, or with `activate` a user.lifecycle.activate too. */
async function createUser(api: Api, activate = false): Promise<RawAnswer> {
  people += 1;
  const login = `river.song.${people}@example.com`;
  const answer = await api.post(`/api/v1/users?activate=${activate}`, {
    profile: { login, email: login, firstName: 'River', lastName: `Song${people}` },
    credentials: { password: { value: 'Tardis-Blue-1963' } },
  });
  expect(answer.status).toBe(200);
  return answer;
}

function failureEvents(sandbox: Sandbox) {
  return sandbox.org.log.events.filter((event) => event.eventType === 'event_hook.delivery');
}

// ---------------------------------------------------------------------------------------------------------

describe('delivering events', () => {
  it('posts Okta’s envelope with the hook’s headers and the events as the System Log lists them', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver();
    const hook = await addHook(api, receiver.uri, ['user.lifecycle.create']);
    const before = Date.now();
    const user = (await createUser(api)).body;
    await sandbox.eventHookDeliveries.idle();

    expect(receiver.posts).toHaveLength(1);
    const [post] = receiver.posts;
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.headers.accept).toBe('application/json');
    expect(post!.headers.authorization).toBe(SECRET);
    expect(post!.headers['x-team']).toBe('identity');
    const body = post!.body;
    expect(Object.keys(body).sort()).toEqual(
      [
        'cloudEventsVersion',
        'contentType',
        'data',
        'eventId',
        'eventTime',
        'eventType',
        'eventTypeVersion',
        'source',
      ].sort(),
    );
    expect(body).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${sandbox.url}/api/v1/eventHooks/${hook.id}`,
      contentType: 'application/json',
    });
    expect(body.eventId).toMatch(UUID);
    expect(Date.parse(body.eventTime)).toBeGreaterThanOrEqual(before - 1);

    const filter = encodeURIComponent('eventType eq "user.lifecycle.create"');
    const listed = await api.get(`/api/v1/logs?filter=${filter}`);
    expect(listed.body).toHaveLength(1);
    expect(body.data.events).toEqual(listed.body);
    expect(body.data.events[0].target).toEqual([
      {
        id: user.id,
        type: 'User',
        alternateId: user.profile.login,
        displayName: `${user.profile.firstName} ${user.profile.lastName}`,
      },
    ]);

    expect(sandbox.eventHookDeliveries.records).toEqual([
      expect.objectContaining({
        hookId: hook.id,
        eventId: body.eventId,
        eventUuids: [listed.body[0].uuid],
        attempt: 1,
        copy: 1,
        status: 200,
        failure: null,
        outcome: 'delivered',
      }),
    ]);
  });

  it('answers the request that caused the event without waiting for the delivery', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver(() => ({ status: 204, delayMs: 300 }));
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    await createUser(api);
    expect(sandbox.eventHookDeliveries.records).toEqual([]);
    await sandbox.eventHookDeliveries.idle();
    expect(sandbox.eventHookDeliveries.records.map((record) => record.outcome)).toEqual(['delivered']);
    expect(sandbox.eventHookDeliveries.records[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('delivers nothing to an UNVERIFIED or INACTIVE hook, nor events of other types', async () => {
    const { sandbox, api } = await sandboxWith();
    const unverified = await startReceiver();
    const inactive = await startReceiver();
    const otherType = await startReceiver();
    await addHook(api, unverified.uri, ['user.lifecycle.create'], false);
    const paused = await addHook(api, inactive.uri, ['user.lifecycle.create']);
    await api.post(`/api/v1/eventHooks/${paused.id}/lifecycle/deactivate`);
    await addHook(api, otherType.uri, ['user.lifecycle.deactivate']);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect([unverified.posts, inactive.posts, otherType.posts]).toEqual([[], [], []]);
    expect(sandbox.eventHookDeliveries.records).toEqual([]);

    // Active again (and verified all along), it gets the next event.
    await api.post(`/api/v1/eventHooks/${paused.id}/lifecycle/activate`);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(inactive.posts).toHaveLength(1);
    expect(unverified.posts).toEqual([]);
  });

  it('delivers the eligible device lifecycle events', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri, ['device.lifecycle.suspend', 'device.lifecycle.unsuspend']);
    const device = (await api.get('/api/v1/devices?limit=1')).body[0];
    expect((await api.post(`/api/v1/devices/${device.id}/lifecycle/suspend`)).status).toBe(204);
    expect((await api.post(`/api/v1/devices/${device.id}/lifecycle/unsuspend`)).status).toBe(204);
    await sandbox.eventHookDeliveries.idle();
    const events = receiver.posts.flatMap((post) => post.body.data.events);
    expect(events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'device.lifecycle.suspend',
      'device.lifecycle.unsuspend',
    ]);
    expect(events[0].target[0]).toMatchObject({ id: device.id, type: 'Device' });
  });
});

describe('failed sign-ins', () => {
  it('delivers each failed sign-in and the lockout they lead to', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri, ['user.session.start', 'user.account.lock']);
    sandbox.simulateFailedSignIn('mei.chen@example.com', { times: 3 });
    await sandbox.eventHookDeliveries.idle();
    const events = receiver.posts.flatMap((post) => post.body.data.events);
    expect(events.map((event) => [event.eventType, event.outcome.result, event.actor.alternateId])).toEqual([
      ['user.session.start', 'FAILURE', 'mei.chen@example.com'],
      ['user.session.start', 'FAILURE', 'mei.chen@example.com'],
      ['user.session.start', 'FAILURE', 'mei.chen@example.com'],
      ['user.account.lock', 'FAILURE', 'mei.chen@example.com'],
    ]);
    expect(events[0].outcome.reason).toBe('INVALID_CREDENTIALS');
  });
});

describe('batching', () => {
  it('sends the events of one request in one delivery, in the order they happened', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri, ['user.lifecycle.create', 'user.lifecycle.activate']);
    await createUser(api, true);
    await sandbox.eventHookDeliveries.idle();
    expect(receiver.posts).toHaveLength(1);
    expect(
      receiver.posts[0]!.body.data.events.map((event: { eventType: string }) => event.eventType),
    ).toEqual(['user.lifecycle.create', 'user.lifecycle.activate']);
  });

  it('collects events of several requests within the window, up to the largest batch', async () => {
    const { sandbox, api } = await sandboxWith({ eventHooks: { batchWindowMs: 2_000, maxBatchSize: 2 } });
    const receiver = await startReceiver();
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    for (let i = 0; i < 5; i++) await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(receiver.posts.map((post) => post.body.data.events.length)).toEqual([2, 2, 1]);
    const eventIds = new Set(receiver.posts.map((post) => post.body.eventId));
    expect(eventIds.size).toBe(3);
  });
});

describe('answers, retries and failures', () => {
  it('retries a 5xx answer exactly once, then logs the failure as event_hook.delivery', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver(() => ({ status: 503 }));
    const hook = await addHook(api, receiver.uri, ['user.lifecycle.create']);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();

    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[1]!.body).toEqual(receiver.posts[0]!.body);
    const records = sandbox.eventHookDeliveries.records;
    expect(records.map((record) => [record.attempt, record.status, record.outcome])).toEqual([
      [1, 503, 'server-error'],
      [2, 503, 'server-error'],
    ]);
    const [failure, ...more] = failureEvents(sandbox);
    expect(more).toEqual([]);
    expect(failure).toMatchObject({
      outcome: { result: 'FAILURE' },
      actor: { type: 'SystemPrincipal', alternateId: 'system@okta.com' },
      target: [{ id: hook.id, type: 'EventHook' }],
      debugContext: { debugData: { eventId: receiver.posts[0]!.body.eventId } },
    });
    expect(failure!.debugContext.debugData.reason).toBe('the endpoint answered HTTP 503');
    // The failure is an event of its own, which is not delivered.
    await sandbox.eventHookDeliveries.idle();
    expect(receiver.posts).toHaveLength(2);
  });

  it('delivers on the retry after one 5xx answer, and logs no failure', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver((n) => ({ status: n === 1 ? 500 : 200 }));
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(sandbox.eventHookDeliveries.records.map((record) => record.outcome)).toEqual([
      'server-error',
      'delivered',
    ]);
    expect(receiver.posts[0]!.body.eventId).toBe(receiver.posts[1]!.body.eventId);
    expect(failureEvents(sandbox)).toEqual([]);
  });

  it('does not retry a 4xx answer', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver(() => ({ status: 401 }));
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(receiver.posts).toHaveLength(1);
    expect(sandbox.eventHookDeliveries.records.map((record) => [record.status, record.outcome])).toEqual([
      [401, 'rejected'],
    ]);
    expect(failureEvents(sandbox).map((event) => event.debugContext.debugData.reason)).toEqual([
      'the endpoint answered HTTP 401',
    ]);
  });

  it('waits 3 seconds by default', () => {
    expect(DEFAULT_DELIVERY_SETTINGS.timeoutMs).toBe(3_000);
  });

  it('takes a slow answer as a timeout and retries once', async () => {
    const { sandbox, api } = await sandboxWith({ eventHooks: { timeoutMs: 150 } });
    const receiver = await startReceiver((n) => ({ status: 200, delayMs: n === 1 ? 1_000 : 0 }));
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    const [first, second] = sandbox.eventHookDeliveries.records;
    expect(first).toMatchObject({ attempt: 1, status: null, outcome: 'timeout' });
    expect(first!.failure).toBe('the endpoint did not answer within 150 ms');
    expect(first!.durationMs).toBeGreaterThanOrEqual(140);
    expect(first!.durationMs).toBeLessThan(900);
    expect(second).toMatchObject({ attempt: 2, status: 200, outcome: 'delivered' });
    expect(receiver.posts).toHaveLength(2);
    expect(failureEvents(sandbox)).toEqual([]);
  });

  it('retries an endpoint that cannot be reached, then logs the failure', async () => {
    const { sandbox, api } = await sandboxWith();
    const receiver = await startReceiver();
    await addHook(api, receiver.uri, ['user.lifecycle.create']);
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(sandbox.eventHookDeliveries.records.map((record) => record.outcome)).toEqual([
      'unreachable',
      'unreachable',
    ]);
    expect(failureEvents(sandbox)[0]!.debugContext.debugData.reason).toContain('ECONNREFUSED');
  });

  it('never calls beyond loopback: the seeded SIEM hook gets nothing and logs no failure', async () => {
    const { sandbox, api } = await sandboxWith();
    // The seeded hook subscribes to user.lifecycle.create and is VERIFIED, at https://siem.example.com.
    await createUser(api);
    await sandbox.eventHookDeliveries.idle();
    expect(sandbox.eventHookDeliveries.records).toEqual([]);
    expect(failureEvents(sandbox)).toEqual([]);
  });
});
