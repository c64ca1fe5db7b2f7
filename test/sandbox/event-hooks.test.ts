import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_EVENT_HOOKS } from '../../src/sandbox/resources/event-hooks/model.js';
import { type RawAnswer, takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const context = useSandbox();

const SECRET = 'Basic c2FuZGJveDpzdXBlcnNlY3JldA==';

function hookBody(overrides: { uri?: string; items?: string[]; version?: string; name?: string } = {}) {
  return {
    name: overrides.name ?? 'Deprovisioning feed',
    events: { type: 'EVENT_TYPE', items: overrides.items ?? ['user.lifecycle.deactivate'] },
    channel: {
      type: 'HTTP',
      version: overrides.version ?? '1.0.0',
      config: {
        uri: overrides.uri ?? 'https://hooks.example.com/okta',
        headers: [{ key: 'X-Team', value: 'identity' }],
        authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET },
      },
    },
  };
}

async function createHook(body: unknown = hookBody()): Promise<RawAnswer> {
  return context.api.post('/api/v1/eventHooks', body);
}

function eventTypes(): string[] {
  return context.sandbox.org.log.eventTypes();
}

function expectValidationError(answer: RawAnswer, causeFragment: string) {
  expect(answer.status).toBe(400);
  expect(answer.body.errorCode).toBe('E0000001');
  const causes = answer.body.errorCauses.map((cause: { errorSummary: string }) => cause.errorSummary);
  expect(causes.join('\n')).toContain(causeFragment);
}

// ---------------------------------------------------------------------------------------------------------
// A hook endpoint on loopback, as the hook's owner would run it.

type ReceiverMode = 'echo' | 'wrong-echo' | 'server-error';

interface ReceivedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

const receivers: Server[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startReceiver(mode: ReceiverMode) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', headers: req.headers });
    if (mode === 'server-error') {
      res.writeHead(500);
      res.end();
      return;
    }
    const challenge = req.headers['x-okta-verification-challenge'];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ verification: mode === 'echo' ? challenge : 'not-the-challenge' }));
  });
  receivers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/hook`,
    received: async (): Promise<ReceivedRequest[]> => received,
  };
}

/** A loopback port that was free a moment ago and has nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------------------

describe('listEventHooks', () => {
  it('lists the seeded hook without its authentication secret', async () => {
    const answer = await context.api.get('/api/v1/eventHooks');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(1);
    const [hook] = answer.body;
    expect(hook).toMatchObject({
      name: 'SIEM user lifecycle feed',
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
      events: { type: 'EVENT_TYPE', filter: null },
      channel: { type: 'HTTP', version: '1.0.0', config: { method: 'POST' } },
    });
    expect(hook.id).toMatch(/^who/);
    expect(hook.channel.config.authScheme).toEqual({ type: 'HEADER', key: 'Authorization' });
  });
});

describe('createEventHook', () => {
  it('creates an ACTIVE, UNVERIFIED hook and never answers the secret', async () => {
    const answer = await createHook();
    expect(answer.status).toBe(200);
    const admin = (await context.api.get('/api/v1/users/sandbox.admin@example.com')).body.id;
    expect(answer.body).toMatchObject({
      name: 'Deprovisioning feed',
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      createdBy: admin,
      description: null,
      events: { items: ['user.lifecycle.deactivate'] },
      channel: {
        config: { uri: 'https://hooks.example.com/okta', headers: [{ key: 'X-Team', value: 'identity' }] },
      },
    });
    expect(JSON.stringify(answer.body)).not.toContain(SECRET);
    expect(answer.body._links.deactivate.href).toBe(
      `${context.sandbox.url}/api/v1/eventHooks/${answer.body.id}/lifecycle/deactivate`,
    );
    expect((await context.api.get('/api/v1/eventHooks')).body).toHaveLength(2);
    expect(eventTypes()).toContain('event_hook.created');
  });

  it('requires HTTPS, except for a loopback endpoint', async () => {
    expectValidationError(
      await createHook(hookBody({ uri: 'http://hooks.example.com/okta' })),
      'channel.config.uri: The endpoint must use HTTPS',
    );
    expectValidationError(await createHook(hookBody({ uri: 'not a url' })), 'is not a valid URL');
    expect((await createHook(hookBody({ uri: 'http://127.0.0.1:9/hook' }))).status).toBe(200);
    expect((await createHook(hookBody({ uri: 'http://localhost:9/hook' }))).status).toBe(200);
  });

  it('accepts only event types eligible for event hooks', async () => {
    expectValidationError(
      await createHook(hookBody({ items: ['user.lifecycle.create', 'zone.update'] })),
      'zone.update is not an event type eligible for event hooks',
    );
    expectValidationError(await createHook(hookBody({ items: [] })), 'at least one event type');
  });

  it('accepts only channel version 1.0.0', async () => {
    expectValidationError(
      await createHook(hookBody({ version: '2.0.0' })),
      'The only supported version is 1.0.0',
    );
  });

  it('answers 400 from the API description for a body without a channel', async () => {
    const { channel, ...incomplete } = hookBody();
    const answer = await createHook(incomplete);
    expect(answer.status).toBe(400);
    expect(answer.body.errorSummary).toBe('Api validation failed: createEventHook');
    expect(takeRequestViolations(context.sandbox)).toEqual([
      "POST /api/v1/eventHooks (createEventHook) body: must have required property 'channel'",
    ]);
  });

  it(`allows at most ${MAX_ACTIVE_EVENT_HOOKS} active hooks`, async () => {
    // One hook is seeded.
    for (let i = 1; i < MAX_ACTIVE_EVENT_HOOKS; i++)
      expect((await createHook(hookBody({ name: `Hook ${i}` }))).status).toBe(200);
    expectValidationError(await createHook(hookBody({ name: 'One too many' })), 'maximum of 25 active');

    const [first] = (await context.api.get('/api/v1/eventHooks')).body;
    await context.api.post(`/api/v1/eventHooks/${first.id}/lifecycle/deactivate`);
    expect((await createHook(hookBody({ name: 'Fits again' }))).status).toBe(200);
    expectValidationError(
      await context.api.post(`/api/v1/eventHooks/${first.id}/lifecycle/activate`),
      'maximum of 25 active',
    );
  });
});

describe('activateEventHook and deactivateEventHook', () => {
  it('switches the status, logging each change once', async () => {
    const { id } = (await createHook()).body;
    const deactivated = await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.status).toBe('INACTIVE');
    expect(deactivated.body._links.activate).toBeDefined();
    expect((await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/deactivate`)).body.status).toBe(
      'INACTIVE',
    );

    const activated = await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/activate`);
    expect(activated.body.status).toBe('ACTIVE');
    expect(eventTypes().filter((type) => type.startsWith('event_hook.'))).toEqual([
      'event_hook.created',
      'event_hook.deactivated',
      'event_hook.activated',
    ]);
  });

  it('answers 404 E0000007 for an unknown hook', async () => {
    for (const action of ['activate', 'deactivate']) {
      const answer = await context.api.post(`/api/v1/eventHooks/who0000000000unknown/lifecycle/${action}`);
      expect(answer.status).toBe(404);
      expect(answer.body.errorSummary).toBe(
        'Not found: Resource not found: who0000000000unknown (EventHook)',
      );
    }
  });
});

describe('deleteEventHook', () => {
  it('deletes only an INACTIVE hook', async () => {
    const { id } = (await createHook()).body;
    const refused = await context.api.delete(`/api/v1/eventHooks/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.errorCode).toBe('E0000038');

    await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/deactivate`);
    expect((await context.api.delete(`/api/v1/eventHooks/${id}`)).status).toBe(204);
    const ids = (await context.api.get('/api/v1/eventHooks')).body.map((hook: { id: string }) => hook.id);
    expect(ids).not.toContain(id);
    expect(eventTypes()).toContain('event_hook.deleted');
    expect((await context.api.delete(`/api/v1/eventHooks/${id}`)).status).toBe(404);
  });
});

describe('verifyEventHook', () => {
  it('calls the endpoint with a challenge and marks the hook VERIFIED when it is echoed', async () => {
    const receiver = await startReceiver('echo');
    const { id } = (await createHook(hookBody({ uri: receiver.uri }))).body;
    const answer = await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/verify`);
    expect(answer.status).toBe(200);
    expect(answer.body.verificationStatus).toBe('VERIFIED');
    expect(eventTypes()).toContain('event_hook.verified');

    const [request] = await receiver.received();
    expect(request!.method).toBe('GET');
    expect(request!.headers['x-okta-verification-challenge']).toMatch(/^[\w-]{20,}$/);
    // Okta authenticates itself to the endpoint with the hook's header and sends its extra headers.
    expect(request!.headers.authorization).toBe(SECRET);
    expect(request!.headers['x-team']).toBe('identity');
  });

  it('fails with 400 and leaves the hook UNVERIFIED when the answer is not the challenge', async () => {
    const receiver = await startReceiver('wrong-echo');
    const { id } = (await createHook(hookBody({ uri: receiver.uri }))).body;
    expectValidationError(
      await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/verify`),
      'Event hook verification failed',
    );
    const hook = (await context.api.get('/api/v1/eventHooks')).body.find((h: { id: string }) => h.id === id);
    expect(hook.verificationStatus).toBe('UNVERIFIED');
  });

  it('tries once more after an error answer, then fails with 400', async () => {
    const receiver = await startReceiver('server-error');
    const { id } = (await createHook(hookBody({ uri: receiver.uri }))).body;
    expectValidationError(
      await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/verify`),
      'the endpoint answered HTTP 500',
    );
    expect(await receiver.received()).toHaveLength(2);
  });

  it('fails with 400 for an endpoint nobody listens on', async () => {
    const { id } = (await createHook(hookBody({ uri: `http://127.0.0.1:${await closedPort()}/hook` }))).body;
    expectValidationError(
      await context.api.post(`/api/v1/eventHooks/${id}/lifecycle/verify`),
      'could not be reached',
    );
  });

  it('fails with 400 for an endpoint off loopback, which the sandbox cannot reach', async () => {
    const [seeded] = (await context.api.get('/api/v1/eventHooks')).body;
    expectValidationError(
      await context.api.post(`/api/v1/eventHooks/${seeded.id}/lifecycle/verify`),
      'the sandbox reaches only loopback',
    );
  });

  it('answers 404 E0000007 for an unknown hook', async () => {
    const answer = await context.api.post('/api/v1/eventHooks/who0000000000unknown/lifecycle/verify');
    expect(answer.status).toBe(404);
    expect(answer.body.errorCode).toBe('E0000007');
  });
});
