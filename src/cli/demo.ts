/**
 * The demo: a readable playbook run through execute() exactly as a host runs it, against a sandbox Okta
 * org started in this process. Onboard a user, offboard them, and find and deactivate a lost laptop;
 * each step prints the action, its input and a short result, and a summary closes the run.
 */

import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import { execute, testConnection } from '../index.js';
import type { ActionResult } from '../runtime/execute.js';
import { startSandbox } from '../sandbox/index.js';

export interface DemoIo {
  out: (line: string) => void;
}

interface StepOutcome {
  action: string;
  ok: boolean;
  changed?: boolean;
  requests: number;
}

export async function runDemo(io: DemoIo): Promise<boolean> {
  const sandbox = await startSandbox();
  const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
  // The sandbox is on loopback; a host opts in to that, never a connection's author.
  const hostOptions = { allowLoopback: true };
  const outcomes: StepOutcome[] = [];
  const started = performance.now();

  const run = async <Key extends ActionKey>(
    key: Key,
    input: ActionTypes[Key]['input'],
    describe: (output: ActionTypes[Key]['output']) => string,
  ): Promise<ActionTypes[Key]['output']> => {
    io.out(`  ${String(outcomes.length + 1).padStart(2)}. ${key} ${JSON.stringify(input)}`);
    const result = (await execute(key, { connection, input }, hostOptions)) as ActionResult<
      ActionTypes[Key]['output']
    >;
    const changed = result.ok ? (result.output as { changed?: boolean }).changed : undefined;
    outcomes.push({
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
  };

  try {
    io.out('okta-actions demo: a playbook against a local Okta sandbox (no Okta org needed)');
    io.out(`Sandbox org ${sandbox.url}, development token ${sandbox.token}\n`);

    io.out('Connection');
    const check = await testConnection(connection, hostOptions);
    io.out(`   test-connection: ${check.message}`);
    if (!check.ok) return false;

    io.out('\nOnboard a new engineer');
    const hire = await run(
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
    const engineering = await run(
      'list-groups',
      { name: 'Engineering', maxItems: 5 },
      (out) => `found ${out.groups.map((g) => `${g.profile.name} (${g.id})`).join(', ')}`,
    );
    const vpn = await run(
      'list-groups',
      { name: 'VPN', maxItems: 5 },
      (out) => `found ${out.groups.map((g) => `${g.profile.name} (${g.id})`).join(', ')}`,
    );
    const engineeringId = engineering.groups[0]!.id;
    const vpnId = vpn.groups[0]!.id;
    await run(
      'add-user-to-group',
      { groupId: engineeringId, user: hire.login },
      () => 'added to Engineering',
    );
    await run('add-user-to-group', { groupId: vpnId, user: hire.login }, () => 'added to VPN Users');
    await run(
      'add-user-to-group',
      { groupId: vpnId, user: hire.login },
      () => 'already a member: nothing to do',
    );
    await run(
      'list-group-members',
      { groupId: vpnId },
      (out) => `VPN Users has ${out.count} members: ${out.users.map((u) => u.profile.login).join(', ')}`,
    );

    io.out('\nOffboard them');
    await run(
      'deactivate-user',
      { user: hire.login },
      (out) => `status ${out.previousStatus} -> ${out.status}`,
    );
    await run('remove-user-from-group', { groupId: vpnId, user: hire.id }, () => 'removed from VPN Users');
    await run(
      'remove-user-from-group',
      { groupId: engineeringId, user: hire.id },
      () => 'removed from Engineering',
    );
    await run(
      'delete-user',
      { user: hire.id },
      (out) =>
        `deleted ${out.login} (${out.deactivatedFirst ? 'deactivated, then deleted' : 'second phase: the user was already deactivated'})`,
    );

    io.out('\nA laptop is reported lost');
    const found = await run(
      'list-devices',
      { search: 'profile.displayName co "Jane"', expand: 'userSummary' },
      (out) =>
        `found ${out.devices.map((d) => `${String(d.profile?.displayName)} (${d.id}, ${d.status})`).join(', ')}`,
    );
    const laptop = found.devices[0]!.id;
    await run(
      'deactivate-device',
      { deviceId: laptop },
      (out) => `${out.displayName}: ${out.previousStatus} -> ${out.status}`,
    );
    await run('deactivate-device', { deviceId: laptop }, () => 'already deactivated: nothing to do');

    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const changes = outcomes.filter((o) => o.changed === true).length;
    const unchanged = outcomes.filter((o) => o.changed === false).length;
    const requests = outcomes.reduce((sum, o) => sum + o.requests, 0);
    const events = sandbox.org.log.eventTypes();
    io.out('\nSummary');
    io.out(
      `   ${outcomes.length} actions, all succeeded, in ${seconds} s: ${changes} changed Okta, ${unchanged} found it already as asked`,
    );
    io.out(`   ${requests} requests to the sandbox; every one matched Okta's published API description`);
    io.out(`   System Log: ${events.length} events (${[...new Set(events)].join(', ')})`);
    return sandbox.contractViolations.length === 0;
  } catch {
    return false;
  } finally {
    await sandbox.close();
  }
}
