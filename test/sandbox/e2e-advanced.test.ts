import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions } from '../helpers/sandbox-actions.js';
import { deviceIdsOf, groupIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

mutationScenarios([
  mutation({
    key: 'offboard-user',
    input: async () => ({ user: 'jane.doe@example.com' }),
    expectOutput: (output, sandbox) => {
      expect(output.ok).toBe(true);
      expect(findUser(sandbox.org, 'jane.doe@example.com')?.status).toBe('SUSPENDED');
    },
  }),
  mutation({
    key: 'call-okta-api',
    input: async (sandbox) => ({
      method: 'PUT',
      path: `/api/v1/groups/${groupIdOf(sandbox, 'Finance')}/users/${findUser(sandbox.org, 'jane.doe@example.com')!.id}`,
    }),
  }),
]);

describe('offboard-user against the sandbox', () => {
  const ctx = useSandbox();
  const { run, failure } = sandboxActions(ctx);

  it('suspends, ends sessions, leaves groups, drops direct apps, resets factors, deactivates devices', async () => {
    const laptop = deviceIdsOf(ctx.sandbox, 'lukas.weber@example.com')[0]!;
    const output = await run('offboard-user', { user: 'lukas.weber@example.com' });
    const steps = output.steps.map((s) => `${s.step}: ${s.status}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'suspend: done',
        'end sessions and revoke tokens: done',
        'remove from group Finance: done',
        'reset factors: done',
        expect.stringMatching(/^deactivate device .*: done$/),
      ]),
    );
    // Lukas has two direct assignments (Salesforce, Legacy Payroll); the apps reached through Everyone stay.
    expect(steps.filter((s) => s.startsWith('remove app ')).sort()).toEqual([
      'remove app Legacy Payroll: done',
      'remove app Salesforce.com: done',
    ]);
    const events = ctx.sandbox.org.log.eventTypes();
    expect(events).toEqual(
      expect.arrayContaining([
        'user.lifecycle.suspend',
        'group.user_membership.remove',
        'application.user_membership.remove',
        'device.lifecycle.deactivate',
      ]),
    );
    expect(
      (
        (await fetch(`${ctx.sandbox.url}/api/v1/devices/${laptop}`, {
          headers: { authorization: `SSWS ${ctx.sandbox.token}` },
        }).then((r) => r.json())) as { status: string }
      ).status,
    ).toBe('DEACTIVATED');
  });

  it('deactivates last in deactivate mode', async () => {
    const output = await run('offboard-user', { user: 'omar.haddad@example.com', mode: 'deactivate' });
    expect(output.steps.at(-1)).toMatchObject({ step: 'deactivate', status: 'done' });
    expect(findUser(ctx.sandbox.org, 'omar.haddad@example.com')?.status).toBe('DEPROVISIONED');
  });

  it('skips suspending a staged user, who cannot sign in, and still does the rest', async () => {
    const output = await run('offboard-user', { user: 'priya.patel@example.com' });
    expect(output.steps[0]).toMatchObject({
      step: 'suspend',
      status: 'skipped',
      reason: 'a STAGED user was never activated and cannot sign in',
    });
    expect(output.steps.some((s) => s.step.startsWith('remove from group') && s.status === 'done')).toBe(
      true,
    );
    expect(findUser(ctx.sandbox.org, 'priya.patel@example.com')?.status).toBe('STAGED');
  });

  it('refuses to suspend a locked-out user, advises deactivate mode, and still does the rest', async () => {
    findUser(ctx.sandbox.org, 'mei.chen@example.com')!.status = 'LOCKED_OUT';
    const error = await failure('offboard-user', { user: 'mei.chen@example.com' });
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.steps?.[0]).toMatchObject({
      step: 'suspend',
      status: 'failed',
      error: { code: 'CONFLICT', message: expect.stringContaining('mode: deactivate') },
    });
    expect(error.steps?.slice(1).every((s) => s.status !== 'failed')).toBe(true);
  });
});

describe('call-okta-api against the sandbox', () => {
  const ctx = useSandbox();
  const { connection } = sandboxActions(ctx);

  it('reads a list page by page through the sandbox, and an object', async () => {
    const list = await execute(
      'call-okta-api',
      { connection: connection(), input: { path: '/api/v1/users?limit=3', maxItems: 7 } },
      SANDBOX_HOST,
    );
    expect(list).toMatchObject({
      ok: true,
      output: { status: 200, count: 7, nextCursor: expect.any(String) },
    });
    const me = await execute(
      'call-okta-api',
      { connection: connection(), input: { path: '/api/v1/users/me' } },
      SANDBOX_HOST,
    );
    expect(me).toMatchObject({
      ok: true,
      output: { body: { profile: { login: 'sandbox.admin@example.com' } } },
    });
  });

  it("is held to Okta's API description like any request", async () => {
    // Okta ignores a query parameter it does not know, and so does the sandbox; it records the request.
    const typo = await execute(
      'call-okta-api',
      { connection: connection(), input: { path: '/api/v1/users', query: { limt: 5 } } },
      SANDBOX_HOST,
    );
    expect(typo).toMatchObject({ ok: true });
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/users (listUsers): query parameter "limt" is not in the description',
    ]);
    const refused = await execute(
      'call-okta-api',
      { connection: connection(), input: { path: '/api/v1/users', query: { limit: 'many' } } },
      SANDBOX_HOST,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', okta: { errorCode: 'E0000001' } },
    });
    expect(takeRequestViolations(ctx.sandbox)).toContainEqual(
      expect.stringContaining('(listUsers) query parameter "limit": must be integer'),
    );
  });
});
