/**
 * Drills for the triggers: Okta's delivery misbehaving (duplicated, reordered, delayed, dropped-then-
 * retried deliveries), a receiver slower than Okta waits, a poll cursor reused after a crash, and an event
 * Okta stores late. Each prints its counts: events expected, delivered to the flows, lost, duplicated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryFaultRule } from '../../src/sandbox/resources/event-hooks/delivery-faults.js';
import { poll } from '../../src/triggers/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';
import { ALL_TRIGGERS, byTrigger, expectedEvents, runPlaybook, tally } from './playbook.js';
import { subscribedReceiver, type TestReceiver } from './receiver-server.js';

/** Okta waits 3 s; the drills' sandbox waits 300 ms, so a slow receiver costs the test little time. */
const context = useSandbox({ eventHooks: { timeoutMs: 300 } });
const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function hookDrill(faults: DeliveryFaultRule[], receiverDelayMs = 0) {
  const sandbox = context.sandbox;
  const receiver = await subscribedReceiver(sandbox, ALL_TRIGGERS, { answerDelayMs: receiverDelayMs });
  receivers.push(receiver);
  const handles = faults.map((fault) => sandbox.eventHookDeliveries.faults.add(fault));
  const started = Date.now();
  await runPlaybook(sandbox);
  await sandbox.eventHookDeliveries.idle();
  // A request the slow receiver still holds is answered after the sandbox gave up on it.
  await new Promise((resolve) => setTimeout(resolve, receiverDelayMs + 50));
  await receiver.idle();
  const counts = tally(expectedEvents(sandbox, started), byTrigger(receiver.received));
  const attempts = sandbox.eventHookDeliveries.records.length;
  return { counts, fired: handles.map((h) => h.fired), attempts, problems: receiver.problems };
}

describe('event hook drills', () => {
  const drills: Array<[string, DeliveryFaultRule[], number?]> = [
    ['every delivery duplicated', [{ kind: 'duplicate' }]],
    ['deliveries reordered', [{ kind: 'reorder', ms: 200 }]],
    ['deliveries delayed', [{ kind: 'delay', ms: 150 }]],
    ['first attempts dropped, then retried', [{ kind: 'drop', attempt: 1 }]],
    [
      'all of it at once',
      [
        { kind: 'duplicate', times: 6 },
        { kind: 'reorder', ms: 100, times: 4 },
        { kind: 'drop', attempt: 1, times: 3 },
      ],
    ],
    ['a receiver slower than Okta waits (Okta retries)', [], 450],
  ];
  for (const [name, faults, delayMs] of drills) {
    it(`${name}: no event lost, none delivered twice`, async () => {
      const { counts, fired, attempts, problems } = await hookDrill(faults, delayMs);
      console.log(
        `drill "${name}": ${JSON.stringify(counts)}; faults fired ${JSON.stringify(fired)}; ${attempts} delivery attempts`,
      );
      expect(counts.expected).toBeGreaterThan(15);
      expect(counts).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
      expect(counts.delivered).toBe(counts.expected);
      for (const count of fired) expect(count).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });
  }
});

describe('when Okta gives up on a delivery', () => {
  it('both attempts lost: Okta logs event_hook.delivery; a catch-up poll through the receiver fills the gap, repeating nothing', async () => {
    const sandbox = context.sandbox;
    const receiver = await subscribedReceiver(sandbox, ALL_TRIGGERS);
    receivers.push(receiver);
    const connection = sandboxConnection(sandbox);
    const lose = sandbox.eventHookDeliveries.faults.add({ kind: 'drop', times: 2 });
    const started = Date.now();
    const since = new Date(started).toISOString();
    await runPlaybook(sandbox);
    await sandbox.eventHookDeliveries.idle();
    await receiver.idle();
    const expected = expectedEvents(sandbox, started);
    const before = tally(expected, byTrigger(receiver.received));
    expect(lose.fired).toBe(2);
    expect(before.lost).toBeGreaterThan(0);
    expect(sandbox.org.log.eventTypes()).toContain('event_hook.delivery');
    // The catch-up: each trigger's events since the start, handed to the same receiver.
    for (const { key } of ALL_TRIGGERS) {
      const polled = await poll({ connection, trigger: key, since }, SANDBOX_HOST);
      if (!polled.ok) throw new Error(polled.error.message);
      await receiver.deliver(polled.output.events);
    }
    const after = tally(expected, byTrigger(receiver.received));
    console.log(
      `drill "both attempts lost, then a catch-up poll": before ${JSON.stringify(before)}; after ${JSON.stringify(after)}`,
    );
    expect(after).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
  });
});

describe('polling drills', () => {
  it('a cursor reused after a crash gives the unsaved batch again, and the flow, keyed by event, gets each once', async () => {
    const sandbox = context.sandbox;
    const connection = sandboxConnection(sandbox);
    const since = new Date().toISOString();
    const started = Date.parse(since);
    await runPlaybook(sandbox);
    const expected = expectedEvents(sandbox, started)
      .get('user-created')!
      .concat(expectedEvents(sandbox, started).get('user-deactivated')!);
    const flow = new Map<string, number>();
    const deliver = (uuids: string[]) => {
      for (const uuid of uuids) flow.set(uuid, (flow.get(uuid) ?? 0) + 1);
    };
    const key = 'any-event';
    const input = { eventTypes: ['user.lifecycle.create', 'user.lifecycle.deactivate'] };
    const first = await poll({ connection, trigger: key, input, since, maxEvents: 1 }, SANDBOX_HOST);
    if (!first.ok) throw new Error(first.error.message);
    // The host crashes after handling the batch but before saving first.output.cursor: it polls again
    // from where it last saved (no cursor yet: the same start).
    const again = await poll({ connection, trigger: key, input, since, maxEvents: 1 }, SANDBOX_HOST);
    if (!again.ok) throw new Error(again.error.message);
    expect(again.output.events.map((e) => e.uuid)).toEqual(first.output.events.map((e) => e.uuid));
    // The flow keys its work by event uuid, so the repeat is harmless; then it saves and reads on.
    const seen = new Set<string>();
    const take = (uuids: string[]) => deliver(uuids.filter((uuid) => !seen.has(uuid) && seen.add(uuid)));
    take(first.output.events.map((e) => e.uuid));
    take(again.output.events.map((e) => e.uuid));
    let cursor = again.output.cursor;
    for (let i = 0; i < 50; i++) {
      const next = await poll({ connection, trigger: key, input, cursor, maxEvents: 1 }, SANDBOX_HOST);
      if (!next.ok) throw new Error(next.error.message);
      take(next.output.events.map((e) => e.uuid));
      cursor = next.output.cursor;
      if (next.output.caughtUp && next.output.eventsRead === 0) break;
    }
    const lost = expected.filter((uuid) => !flow.has(uuid)).length;
    const duplicated = [...flow.values()].filter((n) => n > 1).length;
    console.log(
      `drill "poll cursor reused after a crash": {"expected":${expected.length},"delivered":${flow.size},"lost":${lost},"duplicated":${duplicated}}`,
    );
    expect(expected.length).toBe(2);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  });

  it('a later poll never repeats what an earlier one returned, and an event Okta stores late is not missed', async () => {
    const sandbox = context.sandbox;
    const connection = sandboxConnection(sandbox);
    const since = new Date().toISOString();
    await runPlaybook(sandbox);
    const first = await poll({ connection, trigger: 'user-deactivated', since }, SANDBOX_HOST);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.events).toHaveLength(1);
    // Okta stores an event late: published a minute ago, persisted now (after the first poll's end).
    const late = sandbox.org.log.recordEvent({
      eventType: 'user.lifecycle.deactivate',
      displayMessage: 'Deactivate Okta user',
      targets: [
        {
          id: '00ulateLATElateLATE0',
          type: 'User',
          alternateId: 'late.arrival@example.com',
          displayName: 'Late Arrival',
        },
      ],
      publishedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const second = await poll(
      { connection, trigger: 'user-deactivated', cursor: first.output.cursor },
      SANDBOX_HOST,
    );
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.events.map((e) => e.uuid)).toEqual([late.uuid]);
    const third = await poll(
      { connection, trigger: 'user-deactivated', cursor: second.output.cursor },
      SANDBOX_HOST,
    );
    expect(third).toMatchObject({ ok: true, output: { events: [], caughtUp: true } });
  });

  it('refuses a cursor of another trigger, other filters or another org, before any request', async () => {
    const sandbox = context.sandbox;
    const connection = sandboxConnection(sandbox);
    const first = await poll({ connection, trigger: 'user-created' }, SANDBOX_HOST);
    if (!first.ok) throw new Error(first.error.message);
    const served = sandbox.served.length;
    const cursor = first.output.cursor;
    const elsewhere = [
      poll({ connection, trigger: 'user-deactivated', cursor }, SANDBOX_HOST),
      poll(
        { connection, trigger: 'user-created', input: { user: 'jane.doe@example.com' }, cursor },
        SANDBOX_HOST,
      ),
      poll(
        { connection: { ...connection, apiAddress: 'http://127.0.0.2:9' }, trigger: 'user-created', cursor },
        SANDBOX_HOST,
      ),
      poll({ connection, trigger: 'user-created', cursor: 'not-a-cursor' }, SANDBOX_HOST),
    ];
    for (const result of await Promise.all(elsewhere)) {
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', details: [{ path: 'cursor' }] },
      });
    }
    expect(sandbox.served.length).toBe(served);
  });
});
