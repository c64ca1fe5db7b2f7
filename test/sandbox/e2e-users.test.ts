/**
 * The users (reads), user lifecycle, credentials and sessions actions end to end: through execute(), the
 * real SDK and real HTTP, against the sandbox (which refuses any request that breaks Okta's description).
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { credentialsOf } from '../../src/sandbox/resources/credentials/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxActions } from '../helpers/sandbox-actions.js';
import { userIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

const JANE = 'jane.doe@example.com';
const MEI = 'mei.chen@example.com';
const LUKAS = 'lukas.weber@example.com';
const AMARA = 'amara.okafor@example.com';
const DIEGO = 'diego.garcia@example.com';
const PRIYA = 'priya.patel@example.com';
const ADMIN = 'sandbox.admin@example.com';

const statusOf = (sandbox: Sandbox, login: string) => findUser(sandbox.org, login)?.status;

/** Priya is seeded STAGED without a password; activating her leaves her PROVISIONED. */
async function provisionPriya(sandbox: Sandbox): Promise<void> {
  const answer = await sandboxClient(sandbox).post(
    `/api/v1/users/${userIdOf(sandbox, PRIYA)}/lifecycle/activate?sendEmail=true`,
  );
  expect(answer.status).toBe(200);
}

function factorOf(sandbox: Sandbox, login: string, factorType: string): string {
  const factors = credentialsOf(sandbox.org).factors.get(userIdOf(sandbox, login)) ?? [];
  const factor = factors.find((candidate) => candidate.factorType === factorType);
  if (!factor) throw new Error(`${login} has no ${factorType} factor in the sandbox`);
  return factor.id;
}

mutationScenarios([
  mutation({
    key: 'replace-user',
    input: async () => ({
      user: JANE,
      profile: { login: JANE, email: JANE, firstName: 'Jane', lastName: 'Doe', department: 'Finance' },
    }),
    expectOutput: (output, sandbox) => {
      // Jane's custom attributes (the seeded worker id and employee type) go too: a replacement keeps only what it sends.
      expect(output.changedFields.sort()).toEqual([
        'department',
        'employeeNumber',
        'employeeType',
        'title',
        'workerId',
      ]);
      expect(output.removedFields.sort()).toEqual(['employeeNumber', 'employeeType', 'title', 'workerId']);
      expect(findUser(sandbox.org, JANE)?.profile).toEqual({
        login: JANE,
        email: JANE,
        firstName: 'Jane',
        lastName: 'Doe',
        department: 'Finance',
      });
    },
  }),
  mutation({
    key: 'activate-user',
    input: async () => ({ user: PRIYA }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({
        previousStatus: 'STAGED',
        status: 'PROVISIONED',
        secretDelivery: 'EMAILED',
      });
      expect(output).not.toHaveProperty('activationUrl');
      expect(statusOf(sandbox, PRIYA)).toBe('PROVISIONED');
    },
  }),
  mutation({
    key: 'activate-user',
    title: 'returning the activation link',
    input: async () => ({ user: PRIYA, sendEmail: false, revealSecret: true }),
    expectOutput: (output) => {
      expect(output.secretDelivery).toBe('RETURNED');
      expect(output.activationUrl).toContain('/welcome/');
      expect(output.activationUrl).toContain(output.activationToken);
    },
  }),
  mutation({
    key: 'reactivate-user',
    input: async (sandbox) => {
      await provisionPriya(sandbox);
      return { user: PRIYA, sendEmail: false, revealSecret: true };
    },
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({
        previousStatus: 'PROVISIONED',
        status: 'PROVISIONED',
        secretDelivery: 'RETURNED',
      });
      expect(output.activationToken).toEqual(expect.any(String));
      expect(statusOf(sandbox, PRIYA)).toBe('PROVISIONED');
    },
  }),
  mutation({
    key: 'suspend-user',
    input: async () => ({ user: JANE }),
    expectOutput: (_output, sandbox) => expect(statusOf(sandbox, JANE)).toBe('SUSPENDED'),
  }),
  mutation({
    key: 'unsuspend-user',
    input: async () => ({ user: DIEGO }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'SUSPENDED', status: 'ACTIVE' });
      expect(statusOf(sandbox, DIEGO)).toBe('ACTIVE');
    },
  }),
  mutation({
    key: 'unlock-user',
    title: 'an active user blocked from unknown devices',
    input: async () => ({ user: AMARA }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ status: 'ACTIVE', blocksCleared: 1 });
      expect(credentialsOf(sandbox.org).blocks.get(userIdOf(sandbox, AMARA)) ?? []).toEqual([]);
    },
  }),
  mutation({
    key: 'unlock-user',
    title: 'a locked-out user',
    input: async (sandbox) => {
      // Okta locks a user out after failed sign-ins, which the API cannot cause.
      findUser(sandbox.org, MEI)!.status = 'LOCKED_OUT';
      return { user: MEI };
    },
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'LOCKED_OUT', status: 'ACTIVE' });
      expect(statusOf(sandbox, MEI)).toBe('ACTIVE');
    },
  }),
  mutation({
    key: 'reset-password',
    input: async () => ({ user: JANE, sendEmail: false, revealSecret: true, revokeSessions: true }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ status: 'RECOVERY', secretDelivery: 'RETURNED' });
      expect(output.resetPasswordUrl).toContain('/reset_password/');
      expect(statusOf(sandbox, JANE)).toBe('RECOVERY');
      expect(credentialsOf(sandbox.org).sessions.get(userIdOf(sandbox, JANE)) ?? []).toEqual([]);
    },
  }),
  mutation({
    key: 'expire-password',
    input: async () => ({ user: JANE }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ status: 'PASSWORD_EXPIRED', secretDelivery: 'NONE' });
      expect(statusOf(sandbox, JANE)).toBe('PASSWORD_EXPIRED');
    },
  }),
  mutation({
    key: 'expire-password',
    title: 'with a temporary password',
    input: async () => ({ user: JANE, temporaryPassword: true, revealSecret: true }),
    expectOutput: (output, sandbox) => {
      // The SDK would have answered {}: the password the output carries is the one Okta set.
      expect(output.temporaryPassword).toEqual(expect.any(String));
      expect(findUser(sandbox.org, JANE)?.password).toBe(output.temporaryPassword);
    },
  }),
  mutation({
    key: 'set-password',
    input: async () => ({ user: JANE, password: 'Blue-Harbor-Lamp-42' }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ status: 'ACTIVE', passwordChanged: expect.any(String) });
      expect(findUser(sandbox.org, JANE)?.password).toBe('Blue-Harbor-Lamp-42');
      expect(JSON.stringify(output)).not.toContain('Blue-Harbor-Lamp-42');
    },
  }),
  mutation({
    key: 'reset-factors',
    input: async () => ({ user: JANE }),
    expectOutput: (output, sandbox) => {
      expect(output.factors.map((f) => f.factorType).sort()).toEqual(
        ['push', 'signed_nonce', 'sms', 'token:software:totp'].sort(),
      );
      expect(credentialsOf(sandbox.org).factors.get(userIdOf(sandbox, JANE))).toEqual([]);
    },
  }),
  mutation({
    key: 'reset-factor',
    input: async (sandbox) => ({
      user: MEI,
      factorId: factorOf(sandbox, MEI, 'sms'),
      removeRecoveryPhone: true,
      missingOk: true,
    }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ factorType: 'sms', alsoRemoved: [] });
      const meiId = userIdOf(sandbox, MEI);
      expect(
        credentialsOf(sandbox.org)
          .factors.get(meiId)
          ?.map((f) => f.factorType),
      ).toEqual(['email']);
      expect(credentialsOf(sandbox.org).recoveryPhones.has(meiId)).toBe(false);
    },
  }),
  mutation({
    key: 'reset-factor',
    title: 'Okta Verify push takes its companions along',
    input: async (sandbox) => ({ user: JANE, factorId: factorOf(sandbox, JANE, 'push'), missingOk: true }),
    expectOutput: (output, sandbox) => {
      expect(output.alsoRemoved.map((f) => f.factorType).sort()).toEqual([
        'signed_nonce',
        'token:software:totp',
      ]);
      const left = credentialsOf(sandbox.org).factors.get(userIdOf(sandbox, JANE)) ?? [];
      expect(left.map((f) => f.factorType)).toEqual(['sms']);
    },
  }),
  mutation({
    key: 'clear-user-sessions',
    input: async () => ({ user: LUKAS }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ oauthTokensRevoked: true, devicesForgotten: true });
      const lukas = userIdOf(sandbox, LUKAS);
      expect(credentialsOf(sandbox.org).sessions.get(lukas) ?? []).toEqual([]);
      expect(credentialsOf(sandbox.org).oauthTokens.get(lukas) ?? []).toEqual([]);
    },
  }),
  mutation({
    key: 'revoke-user-grants',
    input: async () => ({ user: LUKAS }),
    expectOutput: (output, sandbox) => {
      expect(output.count).toBe(4);
      expect(output.grants.every((grant) => grant._embedded?.scope !== undefined)).toBe(true);
      expect(credentialsOf(sandbox.org).grants.get(userIdOf(sandbox, LUKAS)) ?? []).toEqual([]);
    },
  }),
]);

describe('users reads, credentials and sessions end to end', () => {
  const ctx = useSandbox();
  const { connection, run, failure } = sandboxActions(ctx);

  it('find-user finds by email or login, and refuses none, several or only a deactivated match', async () => {
    const jane = await run('find-user', { email: JANE });
    expect(jane).toMatchObject({ login: JANE, firstName: 'Jane', status: 'ACTIVE' });
    expect((await run('find-user', { login: MEI })).id).toBe(userIdOf(ctx.sandbox, MEI));
    expect(await failure('find-user', { email: 'nobody@example.com' })).toMatchObject({ code: 'NOT_FOUND' });

    // A second account with Jane's email, created a moment ago: the consistent filter sees it at once.
    await run('create-user', {
      profile: { login: 'jane.admin@example.com', email: JANE, firstName: 'Jane', lastName: 'Doe' },
    });
    const ambiguous = await failure('find-user', { email: JANE });
    expect(ambiguous).toMatchObject({ code: 'CONFLICT' });
    expect(ambiguous.message).toContain('2 users have the email jane.doe@example.com');
    expect((await run('find-user', { login: 'jane.admin@example.com' })).status).toBe('STAGED');

    await run('deactivate-user', { user: MEI });
    expect((await failure('find-user', { email: MEI })).message).toContain('includeDeprovisioned');
    expect(await run('find-user', { email: MEI, includeDeprovisioned: true })).toMatchObject({
      status: 'DEPROVISIONED',
    });
  });

  it("list-user-groups lists a user's groups with custom attributes and pages with a cursor", async () => {
    const all = await run('list-user-groups', { user: JANE });
    expect(all.groups.map((g) => g.profile.name)).toEqual(
      expect.arrayContaining(['Engineering', 'VPN Users']),
    );
    expect(all.groups.find((g) => g.profile.name === 'Engineering')?.profile.costCenter).toBe('CC-4410');
    const first = await run('list-user-groups', { user: JANE, maxItems: 1 });
    expect(first.nextCursor).not.toBeNull();
    const rest = await run('list-user-groups', { user: JANE, cursor: first.nextCursor! });
    expect([...first.groups, ...rest.groups].map((g) => g.id)).toEqual(all.groups.map((g) => g.id));
  });

  it("list-user-apps lists the apps on a user's dashboard", async () => {
    const apps = await run('list-user-apps', { user: JANE });
    expect(apps.apps.map((a) => a.label)).toEqual(
      expect.arrayContaining(['Slack', 'GitHub Enterprise Cloud']),
    );
    expect(apps.apps.map((a) => a.label)).not.toContain('Expense Portal');
    expect(apps.count).toBe(apps.apps.length);
  });

  it('list-user-blocks, list-user-roles and list-user-factors read what the user has', async () => {
    expect(await run('list-user-blocks', { user: AMARA })).toMatchObject({
      count: 1,
      blocks: [{ type: 'DEVICE_BASED', appliesTo: 'UNKNOWN_DEVICES' }],
    });
    expect((await run('list-user-blocks', { user: JANE })).count).toBe(0);
    expect((await run('list-user-roles', { user: ADMIN })).roles.map((r) => r.type)).toEqual(['SUPER_ADMIN']);
    expect(await run('list-user-roles', { user: JANE })).toMatchObject({ roles: [], count: 0 });
    const factors = await run('list-user-factors', { user: LUKAS });
    expect(factors.factors.map((f) => f.factorType).sort()).toEqual([
      'push',
      'question',
      'token:software:totp',
    ]);
    expect(factors.factors.find((f) => f.factorType === 'question')?.profile).toMatchObject({
      question: 'favorite_art_piece',
    });
    expect(await failure('list-user-factors', { user: 'ghost@example.com' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('list-user-grants lists consents with scope names, page by page', async () => {
    const all = await run('list-user-grants', { user: LUKAS, includeScopeDetails: true });
    expect(all.count).toBe(4);
    expect(all.grants.map((g) => (g._embedded?.scope as { name?: string } | undefined)?.name).sort()).toEqual(
      ['email', 'offline_access', 'openid', 'profile'].sort(),
    );
    const first = await run('list-user-grants', { user: LUKAS, limit: 2, maxItems: 3 });
    expect(first.count).toBe(3);
    const rest = await run('list-user-grants', { user: LUKAS, cursor: first.nextCursor! });
    expect([...first.grants, ...rest.grants].map((g) => g.id)).toEqual(all.grants.map((g) => g.id));
    expect(rest.nextCursor).toBeNull();
    const scopeId = all.grants[0]!.scopeId;
    expect((await run('list-user-grants', { user: LUKAS, scopeId })).grants.map((g) => g.scopeId)).toEqual([
      scopeId,
    ]);
  });

  it('get-user-info answers UNSUPPORTED with an API token and sends nothing', async () => {
    const result = await execute('get-user-info', { connection: connection(), input: {} }, SANDBOX_HOST);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' }, meta: { requests: 0 } });
  });

  it('lifecycle refusals name the status and the action that helps, and change nothing', async () => {
    const before = ctx.sandbox.org.version;
    expect((await failure('suspend-user', { user: PRIYA })).message).toContain(
      'priya.patel@example.com is STAGED; suspend-user works only for users who are ACTIVE: activate-user first',
    );
    expect((await failure('unlock-user', { user: DIEGO })).message).toContain('unsuspend-user first');
    expect((await failure('reactivate-user', { user: JANE })).code).toBe('CONFLICT');
    expect((await failure('expire-password', { user: PRIYA })).code).toBe('CONFLICT');
    expect(ctx.sandbox.org.version).toBe(before);
  });

  it('a user deactivated by an earlier step cannot get a password or factors reset', async () => {
    await run('deactivate-user', { user: MEI });
    expect((await failure('set-password', { user: MEI, password: 'Blue-Harbor-Lamp-42' })).message).toContain(
      'is DEPROVISIONED',
    );
    expect(await failure('reset-factors', { user: MEI })).toMatchObject({ code: 'CONFLICT' });
  });
});
