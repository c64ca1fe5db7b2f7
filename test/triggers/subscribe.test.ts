import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { newEventHookSecret, subscribe, unsubscribe } from '../../src/triggers/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';
import { startReceiver, type TestReceiver } from './receiver-server.js';

const context = useSandbox();
const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

const TRIGGERS = [{ key: 'user-deactivated' }, { key: 'user-added-to-group' }];

async function receiver() {
  const started = await startReceiver(TRIGGERS);
  receivers.push(started);
  return started;
}

async function hooks() {
  const listed = await execute(
    'list-event-hooks',
    { connection: sandboxConnection(context.sandbox), input: {} },
    SANDBOX_HOST,
  );
  if (!listed.ok) throw new Error(listed.error.message);
  // The seeded org has hooks of its own; these tests look at the ones they make.
  const seeded = ['SIEM user lifecycle feed'];
  return (listed.output.eventHooks as unknown as HookJson[]).filter((hook) => !seeded.includes(hook.name));
}

interface HookJson {
  name: string;
  status: string;
  verificationStatus?: string;
  events: { items: string[] };
}

const eventHookRequests = () =>
  context.sandbox.served.filter((r) => r.path.startsWith('/api/v1/eventHooks') && r.method !== 'GET');

describe('subscribe', () => {
  it('creates, verifies and reports the hook, with a fresh secret returned once; again, it changes nothing', async () => {
    const endpoint = await receiver();
    const connection = sandboxConnection(context.sandbox);
    const first = await subscribe({ connection, triggers: TRIGGERS, url: endpoint.url }, SANDBOX_HOST);
    expect(first).toMatchObject({
      ok: true,
      output: {
        name: 'okta-actions',
        url: endpoint.url,
        eventTypes: ['group.user_membership.add', 'user.lifecycle.deactivate'],
        status: 'ACTIVE',
        verificationStatus: 'VERIFIED',
        changed: true,
        created: true,
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      },
    });
    const [hook] = await hooks();
    expect(hook).toMatchObject({ name: 'okta-actions', status: 'ACTIVE', verificationStatus: 'VERIFIED' });
    expect(hook?.events.items).toEqual(['group.user_membership.add', 'user.lifecycle.deactivate']);
    // Okta never shows the secret again, and neither do we.
    expect(JSON.stringify(hook)).not.toContain(first.ok ? first.output.secret : '');

    const changesBefore = eventHookRequests().length;
    const again = await subscribe(
      { connection, triggers: [...TRIGGERS].reverse(), url: endpoint.url },
      SANDBOX_HOST,
    );
    expect(again).toMatchObject({ ok: true, output: { changed: false, created: false } });
    expect(again.ok && 'secret' in again.output).toBe(false);
    expect(eventHookRequests()).toHaveLength(changesBefore);
  });

  it("uses the connection's Event Hook Name, so two connections to one org keep their hooks apart", async () => {
    const endpoint = await receiver();
    const base = sandboxConnection(context.sandbox);
    for (const eventHookName of ['flows-prod', 'flows-staging']) {
      const result = await subscribe(
        { connection: { ...base, eventHookName }, triggers: TRIGGERS, url: endpoint.url },
        SANDBOX_HOST,
      );
      expect(result).toMatchObject({ ok: true, output: { name: eventHookName, created: true } });
    }
    expect((await hooks()).map((h) => h.name).sort()).toEqual(['flows-prod', 'flows-staging']);
    const removed = await unsubscribe({ connection: { ...base, eventHookName: 'flows-prod' } }, SANDBOX_HOST);
    expect(removed).toMatchObject({ ok: true, output: { changed: true } });
    expect((await hooks()).map((h) => h.name)).toEqual(['flows-staging']);
  });

  it('an endpoint that cannot be verified leaves no hook behind, and the error says each step', async () => {
    const endpoint = await receiver();
    await endpoint.close();
    const result = await subscribe(
      { connection: sandboxConnection(context.sandbox), triggers: TRIGGERS, url: endpoint.url },
      SANDBOX_HOST,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('UPSTREAM');
    expect(result.error.message).toMatch(/could not verify .*removed again: nothing is subscribed/s);
    expect(result.error.steps?.map((s) => [s.step, s.status])).toEqual([
      ['find the event hook', 'done'],
      ['create the event hook', 'done'],
      ['activate the event hook', 'skipped'],
      ['verify the event hook', 'done'],
      ['remove the new event hook', 'done'],
    ]);
    expect(await hooks()).toEqual([]);
  });

  it('refuses before sending anything: plain http, a URL with credentials, too many event types, a bad secret', async () => {
    const connection = sandboxConnection(context.sandbox);
    const cases: Array<[Parameters<typeof subscribe>[0], object | undefined, string]> = [
      [{ connection, triggers: TRIGGERS, url: 'http://hooks.example.com/okta' }, SANDBOX_HOST, 'url'],
      [{ connection, triggers: TRIGGERS, url: 'http://127.0.0.1:9/okta' }, undefined, 'url'],
      [
        { connection, triggers: TRIGGERS, url: 'https://user:pw@hooks.example.com/okta' },
        SANDBOX_HOST,
        'url',
      ],
      [{ connection, triggers: [], url: 'https://hooks.example.com/okta' }, SANDBOX_HOST, 'triggers'],
      [
        { connection, triggers: [{ key: 'user-exploded' }], url: 'https://hooks.example.com/okta' },
        SANDBOX_HOST,
        'triggers[0].key',
      ],
      [
        {
          connection,
          triggers: [0, 1].map((n) => ({
            key: 'any-event',
            input: { eventTypes: Array.from({ length: 200 }, (_, i) => `custom.type${n}.e${i}`) },
          })),
          url: 'https://hooks.example.com/okta',
        },
        SANDBOX_HOST,
        'triggers',
      ],
      [
        { connection, triggers: TRIGGERS, url: 'https://hooks.example.com/okta', secret: 'short' },
        SANDBOX_HOST,
        'secret',
      ],
    ];
    for (const [request, options, path] of cases) {
      const result = await subscribe(request, options as never);
      expect(result, path).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', details: [{ path }] },
      });
    }
    expect(context.sandbox.served.filter((r) => r.path.startsWith('/api/v1/eventHooks'))).toEqual([]);
  });

  it('a token without the event hook permission fails at the first read: nothing is made', async () => {
    const endpoint = await receiver();
    context.sandbox.addToken('00readOnlyNoAdminToken000000000000000000', { admin: false });
    const connection = {
      ...sandboxConnection(context.sandbox),
      apiToken: '00readOnlyNoAdminToken000000000000000000',
    };
    const result = await subscribe({ connection, triggers: TRIGGERS, url: endpoint.url }, SANDBOX_HOST);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', steps: [{ step: 'find the event hook', status: 'failed' }] },
    });
    expect(await hooks()).toEqual([]);
  });

  it('a host-given secret is used and not echoed; unsubscribe removes the hook, and again changes nothing', async () => {
    const endpoint = await receiver();
    const secret = newEventHookSecret();
    endpoint.setSecret(secret);
    const connection = sandboxConnection(context.sandbox);
    const result = await subscribe(
      { connection, triggers: TRIGGERS, url: endpoint.url, secret },
      SANDBOX_HOST,
    );
    expect(result).toMatchObject({ ok: true, output: { created: true } });
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(await unsubscribe({ connection }, SANDBOX_HOST)).toMatchObject({
      ok: true,
      output: { changed: true },
    });
    expect(await hooks()).toEqual([]);
    expect(await unsubscribe({ connection }, SANDBOX_HOST)).toMatchObject({
      ok: true,
      output: { changed: false, eventHookId: null },
    });
  });
});

describe('subscribe when the subscription changes', () => {
  it('replaces the hook with the new event types (and a new secret unless one is given), and verifies it again', async () => {
    const endpoint = await receiver();
    const connection = sandboxConnection(context.sandbox);
    const first = await subscribe({ connection, triggers: TRIGGERS, url: endpoint.url }, SANDBOX_HOST);
    expect(first.ok).toBe(true);
    const moved = await receiver();
    const changed = await subscribe(
      { connection, triggers: [...TRIGGERS, { key: 'user-suspended' }], url: moved.url },
      SANDBOX_HOST,
    );
    expect(changed).toMatchObject({
      ok: true,
      output: {
        changed: true,
        created: false,
        url: moved.url,
        verificationStatus: 'VERIFIED',
        secret: expect.any(String),
      },
    });
    if (!changed.ok || !first.ok) return;
    expect(changed.output.secret).not.toBe(first.output.secret);
    expect(changed.output.steps.map((s) => [s.step, s.status])).toEqual([
      ['find the event hook', 'done'],
      ['replace the event hook', 'done'],
      ['activate the event hook', 'skipped'],
      ['verify the event hook', 'done'],
    ]);
    const [hook] = await hooks();
    expect(hook?.events.items).toEqual([
      'group.user_membership.add',
      'user.lifecycle.deactivate',
      'user.lifecycle.suspend',
    ]);
    expect(await hooks()).toHaveLength(1);
  });

  it('rotateSecret replaces only the secret, with the one given', async () => {
    const endpoint = await receiver();
    const connection = sandboxConnection(context.sandbox);
    expect((await subscribe({ connection, triggers: TRIGGERS, url: endpoint.url }, SANDBOX_HOST)).ok).toBe(
      true,
    );
    const secret = newEventHookSecret();
    const rotated = await subscribe(
      { connection, triggers: TRIGGERS, url: endpoint.url, secret, rotateSecret: true },
      SANDBOX_HOST,
    );
    expect(rotated).toMatchObject({ ok: true, output: { changed: true, created: false } });
    expect(JSON.stringify(rotated)).not.toContain(secret);
    const stored = [
      ...(
        context.sandbox.org.slice('eventHooks', () => ({ byId: new Map() })) as {
          byId: Map<string, { name: string; authScheme: { value: string } | null }>;
        }
      ).byId.values(),
    ].find((hook) => hook.name === 'okta-actions');
    expect(stored?.authScheme?.value).toBe(secret);
  });
});
