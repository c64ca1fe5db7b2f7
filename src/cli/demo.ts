/**
 * The demo: a readable playbook run through execute() exactly as a host runs it, against a sandbox Okta
 * org started in this process. Onboard a user, offboard them, and find and deactivate a lost laptop;
 * each step prints the action, its input and a short result. A listener subscribed to some triggers
 * before the playbook then shows the events Okta delivered (demo-triggers.ts), and a summary closes the run.
 */

import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import { type ActionResult, execute } from '../runtime/execute.js';
import { testConnection } from '../runtime/test-connection.js';
import { startSandbox } from '../sandbox/index.js';
import { startDemoListener } from './demo-triggers.js';

export interface DemoIo {
  out: (line: string) => void;
}

interface StepOutcome {
  action: string;
  ok: boolean;
  changed?: boolean;
  requests: number;
}

type Connection = { type: string; apiAddress: string; apiToken: string };
/** The sandbox is on loopback; a host opts in to that, never a connection's author. */
const HOST_OPTIONS = { allowLoopback: true };

/** Runs one action of the playbook as a host would, prints it and its result, and keeps its outcome. */
class Playbook {
  readonly outcomes: StepOutcome[] = [];

  constructor(
    private readonly io: DemoIo,
    private readonly connection: Connection,
  ) {}

  async run<Key extends ActionKey>(
    key: Key,
    input: ActionTypes[Key]['input'],
    describe: (output: ActionTypes[Key]['output']) => string,
  ): Promise<ActionTypes[Key]['output']> {
    const { io } = this;
    io.out(`  ${String(this.outcomes.length + 1).padStart(2)}. ${key} ${JSON.stringify(input)}`);
    const result = (await execute(key, { connection: this.connection, input }, HOST_OPTIONS)) as ActionResult<
      ActionTypes[Key]['output']
    >;
    const changed = result.ok ? (result.output as { changed?: boolean }).changed : undefined;
    this.outcomes.push({
      action: key,
      ok: result.ok,
      ...(changed !== undefined ? { changed } : {}),
      requests: result.meta.requests,
    });
    if (!result.ok) {
      io.out(`      failed: ${result.error.code}: ${result.error.message}`);
      throw new Error(`${key} failed`);
    }
    io.out(`      ${describe(result.output)}${changed !== undefined ? ` (changed: ${changed})` : ''}`);
    return result.output;
  }
}

export async function runDemo(io: DemoIo): Promise<boolean> {
  const sandbox = await startSandbox();
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  const playbook = new Playbook(io, connection);
  const started = performance.now();
  try {
    io.out('okta-actions demo: a playbook against a local Okta sandbox (no Okta org needed)');
    io.out(`Sandbox org ${sandbox.url}, development token ${sandbox.token}\n`);
    io.out('Connection');
    const check = await testConnection(connection, HOST_OPTIONS);
    io.out(`   test-connection: ${check.message}`);
    if (!check.ok) return false;
    const listener = await startDemoListener(sandbox, connection, io.out);
    try {
      const hire = await onboard(io, playbook);
      await offboard(io, playbook, hire);
      await deactivateLostLaptop(io, playbook);
      const triggersAgree = await listener.report(io.out);
      summarize(io, playbook.outcomes, started, sandbox.org.log.eventTypes());
      return triggersAgree && sandbox.contractViolations.length === 0;
    } finally {
      await listener.close();
    }
  } catch {
    return false;
  } finally {
    await sandbox.close();
  }
}

interface Hire {
  id: string;
  login: string;
  groupIds: { engineering: string; vpn: string };
}

async function onboard(io: DemoIo, playbook: Playbook): Promise<Hire> {
  io.out('\nOnboard a new engineer');
  const hire = await playbook.run(
    'create-user',
    {
      profile: {
        email: 'alex.rivera@example.com',
        firstName: 'Alex',
        lastName: 'Rivera',
        department: 'Engineering',
        title: 'Platform Engineer',
      },
      activate: true,
    },
    (user) => `created ${user.login} (${user.id}), status ${user.status}: Okta emails the activation link`,
  );
  const groupNamed = async (name: string) =>
    (
      await playbook.run(
        'list-groups',
        { name, maxItems: 5 },
        (out) => `found ${out.groups.map((g) => `${g.profile.name} (${g.id})`).join(', ')}`,
      )
    ).groups[0]!.id;
  const engineering = await groupNamed('Engineering');
  const vpn = await groupNamed('VPN');
  await playbook.run(
    'add-user-to-group',
    { groupId: engineering, user: hire.login },
    () => 'added to Engineering',
  );
  await playbook.run('add-user-to-group', { groupId: vpn, user: hire.login }, () => 'added to VPN Users');
  await playbook.run(
    'add-user-to-group',
    { groupId: vpn, user: hire.login },
    () => 'already a member: nothing to do',
  );
  await playbook.run(
    'list-group-members',
    { groupId: vpn },
    (out) => `VPN Users has ${out.count} members: ${out.users.map((u) => u.profile.login).join(', ')}`,
  );
  return { id: hire.id, login: hire.login, groupIds: { engineering, vpn } };
}

async function offboard(io: DemoIo, playbook: Playbook, hire: Hire): Promise<void> {
  io.out('\nOffboard them');
  await playbook.run(
    'deactivate-user',
    { user: hire.login },
    (out) => `status ${out.previousStatus} -> ${out.status}`,
  );
  const { engineering, vpn } = hire.groupIds;
  await playbook.run(
    'remove-user-from-group',
    { groupId: vpn, user: hire.id },
    () => 'removed from VPN Users',
  );
  await playbook.run(
    'remove-user-from-group',
    { groupId: engineering, user: hire.id },
    () => 'removed from Engineering',
  );
  await playbook.run(
    'delete-user',
    { user: hire.id },
    (out) =>
      `deleted ${out.login} (${out.deactivatedFirst ? 'deactivated, then deleted' : 'second phase: the user was already deactivated'})`,
  );
}

async function deactivateLostLaptop(io: DemoIo, playbook: Playbook): Promise<void> {
  io.out('\nA laptop is reported lost');
  const found = await playbook.run(
    'list-devices',
    { search: 'profile.displayName co "Jane"', expand: 'userSummary' },
    (out) =>
      `found ${out.devices.map((d) => `${String(d.profile?.displayName)} (${d.id}, ${d.status})`).join(', ')}`,
  );
  const laptop = found.devices[0]!.id;
  await playbook.run(
    'deactivate-device',
    { deviceId: laptop },
    (out) => `${out.displayName}: ${out.previousStatus} -> ${out.status}`,
  );
  await playbook.run('deactivate-device', { deviceId: laptop }, () => 'already deactivated: nothing to do');
}

function summarize(io: DemoIo, outcomes: StepOutcome[], started: number, events: string[]): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const changes = outcomes.filter((o) => o.changed === true).length;
  const unchanged = outcomes.filter((o) => o.changed === false).length;
  const requests = outcomes.reduce((sum, o) => sum + o.requests, 0);
  io.out('\nSummary');
  io.out(
    `   ${outcomes.length} actions, all succeeded, in ${seconds} s: ${changes} changed Okta, ${unchanged} found it already as asked`,
  );
  io.out(`   ${requests} requests to the sandbox; every one matched Okta's published API description`);
  io.out(`   System Log: ${events.length} events (${[...new Set(events)].join(', ')})`);
}
