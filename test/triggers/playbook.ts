/**
 * A playbook that makes the org emit every kind of event the triggers cover, run through execute() against
 * a sandbox as a host would; and what each trigger should then get, read from the sandbox's own System Log
 * (the oracle: which events of the trigger's types the org recorded).
 */
import { execute } from '../../src/index.js';
import { manifest } from '../../src/manifest/manifest.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';
import { JANE } from '../helpers/sandbox-apps.js';
import { appIdOf, deviceIdsOf, groupIdOf } from '../helpers/sandbox-data.js';

export const RILEY = 'riley.quinn@example.com';

/** Every trigger with fixed event types, unfiltered: what the end-to-end tests subscribe to. */
export const ALL_TRIGGERS = manifest.triggers.filter((t) => !t.eventTypesInput).map((t) => ({ key: t.key }));

export async function runPlaybook(sandbox: Sandbox): Promise<void> {
  const connection = sandboxConnection(sandbox);
  const run = async (key: string, input: Record<string, unknown>) => {
    const result = await execute(key as never, { connection, input } as never, SANDBOX_HOST);
    if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message}`);
  };
  const engineering = groupIdOf(sandbox, 'Engineering');
  const app = appIdOf(sandbox, 'Expense Portal');
  const [janeDevice] = deviceIdsOf(sandbox, JANE);
  await run('create-user', {
    profile: { email: RILEY, firstName: 'Riley', lastName: 'Quinn' },
    password: 'Correct-Horse-Battery-9',
    activate: true,
  });
  await run('add-user-to-group', { groupId: engineering, user: RILEY });
  await run('assign-user-to-app', { appId: app, user: RILEY });
  await run('update-user', { user: RILEY, profile: { title: 'Site Reliability Engineer' } });
  await run('assign-role-to-user', { user: RILEY, roleType: 'HELP_DESK_ADMIN' });
  await run('unassign-role-from-user', { user: RILEY, roleType: 'HELP_DESK_ADMIN' });
  // Riley has no factors yet; Jane's are reset.
  await run('reset-factors', { user: JANE });
  sandbox.simulateFailedSignIn(RILEY, { times: 3 });
  await run('unlock-user', { user: RILEY });
  await run('suspend-user', { user: RILEY });
  await run('unsuspend-user', { user: RILEY });
  if (janeDevice) await run('suspend-device', { deviceId: janeDevice });
  if (janeDevice) await run('deactivate-device', { deviceId: janeDevice });
  await run('remove-user-from-group', { groupId: engineering, user: RILEY });
  await run('unassign-user-from-app', { appId: app, user: RILEY });
  // Last before leaving: the reset puts Riley in RECOVERY, where suspend and unlock no longer apply.
  await run('reset-password', { user: RILEY });
  await run('deactivate-user', { user: RILEY });
  await run('delete-user', { user: RILEY });
}

/** The uuids of the events each trigger should get: the org's events of its types (and conditions). */
export function expectedEvents(sandbox: Sandbox, since: number): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  const events = sandbox.org.log.events.filter((event) => Date.parse(event.published) >= since);
  for (const { key } of ALL_TRIGGERS) {
    const trigger = manifest.triggers.find((t) => t.key === key)!;
    const uuids = events
      .filter((event) => trigger.eventTypes.includes(event.eventType))
      .filter((event) =>
        Object.entries(trigger.where ?? {}).every(([path, value]) => valueAt(event, path) === value),
      )
      .map((event) => event.uuid);
    expected.set(key, uuids);
  }
  return expected;
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, name) => (node as Record<string, unknown> | null)?.[name], value);
}

/** Per trigger: expected, got (each once), lost and duplicated, over every trigger. */
export function tally(expected: Map<string, string[]>, got: Map<string, string[]>) {
  let total = 0;
  let delivered = 0;
  let lost = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [key, uuids] of expected) {
    const received = got.get(key) ?? [];
    const distinct = new Set(received);
    total += uuids.length;
    delivered += uuids.filter((uuid) => distinct.has(uuid)).length;
    lost += uuids.filter((uuid) => !distinct.has(uuid)).length;
    duplicated += received.length - distinct.size;
    unexpected += [...distinct].filter((uuid) => !uuids.includes(uuid)).length;
  }
  return { expected: total, delivered, lost, duplicated, unexpected };
}

/** The events a list of received events gives each trigger, in the order received. */
export function byTrigger(received: ReadonlyArray<{ trigger: string; event: { uuid: string } }>) {
  const got = new Map<string, string[]>();
  for (const { trigger, event } of received) got.set(trigger, [...(got.get(trigger) ?? []), event.uuid]);
  return got;
}
