/**
 * Both trigger modes end to end against the sandbox: a real receiver subscribed through subscribe(),
 * deliveries sent by the sandbox over HTTP, and poll() over the System Log. A playbook of actions runs;
 * each trigger must get each of its events exactly once, in both modes, and the two modes the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { poll } from '../../src/triggers/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';
import { ALL_TRIGGERS, byTrigger, expectedEvents, runPlaybook, tally } from './playbook.js';
import { subscribedReceiver, type TestReceiver } from './receiver-server.js';

const context = useSandbox();
const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

/** Every event a trigger gets by polling from `since` until caught up. */
async function pollAll(key: string, since: string) {
  const connection = sandboxConnection(context.sandbox);
  const uuids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const result = await poll(
      { connection, trigger: key, ...(cursor ? { cursor } : { since }), maxEvents: 50 },
      SANDBOX_HOST,
    );
    if (!result.ok) throw new Error(`${key}: ${result.error.message}`);
    expect(result.output.rejected, key).toEqual([]);
    uuids.push(...result.output.events.map((e) => e.uuid));
    cursor = result.output.cursor;
    if (result.output.caughtUp) return uuids;
  }
}

describe('triggers end to end', () => {
  it('event hooks and polling each give every trigger its events exactly once, and the same ones', async () => {
    const sandbox = context.sandbox;
    const receiver = await subscribedReceiver(sandbox, ALL_TRIGGERS);
    receivers.push(receiver);
    const started = Date.now();
    const since = new Date(started).toISOString();

    await runPlaybook(sandbox);
    await sandbox.eventHookDeliveries.idle();
    await receiver.idle();

    const expected = expectedEvents(sandbox, started);
    // The playbook exercised every trigger.
    for (const [key, uuids] of expected) expect(uuids.length, key).toBeGreaterThan(0);
    expect(receiver.problems).toEqual([]);
    const hooked = tally(expected, byTrigger(receiver.received));
    expect(hooked).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });

    const polled = new Map<string, string[]>();
    for (const { key } of ALL_TRIGGERS) polled.set(key, await pollAll(key, since));
    expect(tally(expected, polled)).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    const sorted = (m: Map<string, string[]>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(polled)).toEqual(sorted(byTrigger(receiver.received)));
    console.log(
      `triggers e2e: ${ALL_TRIGGERS.length} triggers; event hooks ${JSON.stringify(hooked)}; polling ${JSON.stringify(tally(expected, polled))}`,
    );
  });

  it('the outputs carry the convenience fields from the event (user, group, app, device)', async () => {
    const sandbox = context.sandbox;
    const since = new Date().toISOString();
    await runPlaybook(sandbox);
    const connection = sandboxConnection(sandbox);
    const added = await poll({ connection, trigger: 'user-added-to-group', since }, SANDBOX_HOST);
    expect(added).toMatchObject({
      ok: true,
      output: { events: [{ user: { login: 'riley.quinn@example.com' }, group: { name: 'Engineering' } }] },
    });
    const failed = await poll(
      { connection, trigger: 'sign-in-failed', since, input: { user: 'RILEY.QUINN@example.com' } },
      SANDBOX_HOST,
    );
    expect(failed.ok && failed.output.events.map((e) => e.user)).toEqual(
      Array(3).fill(expect.objectContaining({ login: 'riley.quinn@example.com' })),
    );
    const device = await poll({ connection, trigger: 'device-deactivated', since }, SANDBOX_HOST);
    expect(device.ok && device.output.events[0]?.device).toEqual({
      id: expect.any(String),
      displayName: expect.stringContaining('Jane'),
    });
  });
});
